package io.caravan.server.plugin;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.pf4j.DefaultPluginManager;
import org.pf4j.JarPluginLoader;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginLoader;
import org.pf4j.PluginRepository;
import org.pf4j.BasePluginRepository;

/**
 * PF4J configured for Caravan: plugins are jars described by their manifest, loaded one at a
 * time by path (never by scanning a directory), each in an {@link IsolatingPluginClassLoader}.
 */
final class CaravanPluginManager extends DefaultPluginManager {
    /** Staged copy → the operator's jar name, for the class loaders to carry. */
    private final Map<Path, String> jarNames = new ConcurrentHashMap<>();

    CaravanPluginManager(Path stagingDir, String systemVersion) {
        super(stagingDir);
        setSystemVersion(systemVersion);
        setExactVersionAllowed(false);
    }

    /** Names the operator's jar behind a staged copy, before the copy is loaded. */
    void jarName(Path staged, String jar) {
        jarNames.put(staged, jar);
    }

    void forget(Path staged) {
        jarNames.remove(staged);
    }

    @Override
    protected PluginDescriptorFinder createPluginDescriptorFinder() {
        return new ManifestPluginDescriptorFinder();
    }

    @Override
    protected PluginRepository createPluginRepository() {
        // Loading is driven by PluginHost.load(path); nothing is discovered by scanning.
        return new BasePluginRepository(getPluginsRoots());
    }

    @Override
    protected PluginLoader createPluginLoader() {
        return new JarPluginLoader(this) {
            @Override
            public ClassLoader loadPlugin(Path pluginPath, PluginDescriptor descriptor) {
                PluginClassLoader loader = new IsolatingPluginClassLoader(pluginManager, descriptor, getClass().getClassLoader(),
                        jarNames.getOrDefault(pluginPath, pluginPath.getFileName().toString()));
                loader.addFile(pluginPath.toFile());
                return loader;
            }
        };
    }
}
