package io.caravan.server.plugin;

import java.util.List;
import org.pf4j.ClassLoadingStrategy;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * A plugin's class loader: its own classes first (PF4J's plugin → dependencies → application
 * order), except the packages the server and plugins must share, which always come from the
 * server. A plugin that bundles its own Camel or caravan-api still links against the server's.
 */
final class IsolatingPluginClassLoader extends PluginClassLoader {
    /** Packages shared with the server. Kept short on purpose; tested in IsolatingPluginClassLoaderTest. */
    static final List<String> PARENT_FIRST = List.of(
            "io.caravan.api.", "org.apache.camel.", "org.pf4j.", "org.slf4j.", "io.netty.", "io.micrometer.");

    private final ClassLoader parent;

    IsolatingPluginClassLoader(PluginManager manager, PluginDescriptor descriptor, ClassLoader parent) {
        super(manager, descriptor, parent, ClassLoadingStrategy.PDA);
        this.parent = parent;
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
