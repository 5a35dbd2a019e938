package io.caravan.server.plugin;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import org.pf4j.ClassLoadingStrategy;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * A plugin's class loader: its own classes first (PF4J's plugin → dependencies → application
 * order), except the packages the server and plugins must share, which always come from the
 * server. A plugin that bundles its own Camel or caravan-api still links against the server's.
 * It knows the jar it came from (the operator's file name, not the staged copy), so the exit guard
 * can name a plugin from the classes on a stack.
 */
final class IsolatingPluginClassLoader extends PluginClassLoader {
    /** Packages shared with the server. Kept short on purpose; tested in IsolatingPluginClassLoaderTest. */
    static final List<String> PARENT_FIRST = List.of(
            "io.caravan.api.", "org.apache.camel.", "org.pf4j.", "org.slf4j.", "io.netty.", "io.micrometer.");

    /** Every plugin loader not yet collected, for naming a plugin from a class name. */
    private static final Set<IsolatingPluginClassLoader> LIVE = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    private final ClassLoader parent;
    private final String jar;

    IsolatingPluginClassLoader(PluginManager manager, PluginDescriptor descriptor, ClassLoader parent, String jar) {
        super(manager, descriptor, parent, ClassLoadingStrategy.PDA);
        this.parent = parent;
        this.jar = jar;
        LIVE.add(this);
    }

    /** The file name of the jar in the plugins directory this loader's classes come from. */
    String jar() {
        return jar;
    }

    /** The jar of the plugin that loaded a class of this name, if any plugin did. */
    static Optional<String> jarOfLoadedClass(String className) {
        synchronized (LIVE) {
            for (IsolatingPluginClassLoader l : LIVE) {
                if (l.findLoadedClass(className) != null) {
                    return Optional.of(l.jar);
                }
            }
        }
        return Optional.empty();
    }

    static boolean sharedWithServer(String className) {
        for (String prefix : PARENT_FIRST) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Class<?> loadClass(String className) throws ClassNotFoundException {
        if (sharedWithServer(className)) {
            return parent.loadClass(className);
        }
        return super.loadClass(className);
    }

    @Override
    public String toString() {
        return "IsolatingPluginClassLoader[" + getURLs()[0] + "]";
    }
}
