package io.caravan.server.plugin;

import io.caravan.api.plugin.BeanProvider;
import io.caravan.api.plugin.ComponentProvider;
import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.StageOptions;
import io.caravan.api.stage.StageProvider;
import io.caravan.server.config.BoundedRead;
import io.caravan.server.config.Setting;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and unloads plugin jars with PF4J, one at a time, and finds what each contributes. It
 * knows nothing of Camel: {@code ContributionRegistrar} takes the result from here.
 *
 * <p>Each jar is first copied to a private staging directory and loaded from there, so an
 * operator can overwrite or delete the jar in plugins/ at any time without pulling classes out
 * from under a running loader. Unloaded class loaders are watched through weak references, so a
 * leak shows up in the admin API instead of as slow memory growth.
 */
public final class PluginHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);
    private static final String EXTENSIONS_INDEX = "META-INF/extensions.idx";
    private static final Pattern STAGE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private final CaravanPluginManager manager;
    private final Path stagingDir;
    private final PluginLimits limits;
    private final Map<String, LoadedPlugin> plugins = new ConcurrentHashMap<>();
    private final List<WeakReference<ClassLoader>> released = new CopyOnWriteArrayList<>();

    public PluginHost(Path stagingDir, String serverVersion) throws IOException {
        this(stagingDir, serverVersion, PluginLimits.defaults());
    }

    /** @param limits what a jar may cost before it is trusted (see {@link PluginLimits}) */
    public PluginHost(Path stagingDir, String serverVersion, PluginLimits limits) throws IOException {
        this.stagingDir = stagingDir;
        this.limits = limits;
        Files.createDirectories(stagingDir);
        try (var old = Files.list(stagingDir)) {
            for (Path p : (Iterable<Path>) old::iterator) {
                Files.deleteIfExists(p);
            }
        }
        this.manager = new CaravanPluginManager(stagingDir, baseVersion(serverVersion));
    }

    /** PF4J compares Plugin-Requires against a plain x.y.z; a -SNAPSHOT would sort below its own release. */
    static String baseVersion(String version) {
        int dash = version.indexOf('-');
        return dash < 0 ? version : version.substring(0, dash);
    }

    /** The id a jar declares, read without loading it (and within the size limits). */
    public String pluginIdOf(Path jar) throws PluginLoadException {
        return readManifest(jar, jar.getFileName().toString()).getValue("Plugin-Id");
    }

    /** The manifest's main attributes, once the jar has passed the size limits. */
    private Attributes readManifest(Path jar, String name) throws PluginLoadException {
        Manifest mf = limits.check(jar, name);
        if (mf == null) {
            throw new PluginLoadException(name + ": not a plugin jar: it has no META-INF/MANIFEST.MF");
        }
        Attributes a = mf.getMainAttributes();
        if (blank(a.getValue("Plugin-Id"))) {
            throw new PluginLoadException(name + ": not a plugin jar: the manifest has no Plugin-Id");
        }
        if (blank(a.getValue("Plugin-Version"))) {
            throw new PluginLoadException(name + ": plugin '" + a.getValue("Plugin-Id") + "': the manifest has no Plugin-Version");
        }
        try (JarFile jf = new JarFile(jar.toFile(), false)) {
            if (jf.getEntry(EXTENSIONS_INDEX) == null) {
                throw new PluginLoadException(name + ": plugin '" + a.getValue("Plugin-Id") + "' has no "
                        + EXTENSIONS_INDEX + ", so it contributes nothing (was it built without the PF4J annotation processor?)");
            }
        } catch (IOException e) {
            throw new PluginLoadException(name + ": not a readable jar (" + e.getMessage() + ")", e);
        }
        return a;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /**
     * Loads, starts and inspects one jar. On any failure nothing stays loaded.
     *
     * @throws PluginLoadException saying what is wrong with the jar
     */
    public LoadedPlugin load(Path jar) throws PluginLoadException {
        return load(jar, jar);
    }

    /**
     * Loads the plugin whose bytes are in {@code content} as if from {@code jar} (used to bring
     * back the previous version of a plugin after a failed replacement).
     */
    public synchronized LoadedPlugin load(Path jar, Path content) throws PluginLoadException {
        Path source = jar.toAbsolutePath().normalize();
        String name = source.getFileName().toString();
        // The staged copy is what gets checked and loaded, so the jar cannot change in between.
        Path staged = stage(content, name);
        String id = null;
        try {
            Attributes manifest = readManifest(staged, name);
            String declaredId = manifest.getValue("Plugin-Id").trim();
            LoadedPlugin existing = plugins.get(declaredId);
            if (existing != null) {
                throw new PluginLoadException(name + ": plugin '" + declaredId + "' is already loaded from "
                        + existing.source().getFileName() + "; remove that jar first, or overwrite it to replace the plugin");
            }
            manager.jarName(staged, name);
            try {
                id = manager.loadPlugin(staged);
            } catch (RuntimeException e) {
                throw new PluginLoadException(source.getFileName() + ": PF4J refused it: " + e.getMessage(), e);
            }
            PluginWrapper wrapper = manager.getPlugin(id);
            if (wrapper.getPluginState() != PluginState.RESOLVED) {
                throw new PluginLoadException(source.getFileName() + ": plugin '" + id + "' requires Caravan "
                        + wrapper.getDescriptor().getRequires() + " but this server is " + manager.getSystemVersion());
            }
            PluginState state = manager.startPlugin(id);
            if (state != PluginState.STARTED) {
                Throwable cause = wrapper.getFailedException();
                throw new PluginLoadException(source.getFileName() + ": plugin '" + id + "' failed to start"
                        + (cause == null ? "" : ": " + cause), cause);
            }
            ClassLoader loader = wrapper.getPluginClassLoader();
            Contributions contributions = inspect(source, id, loader);
            LoadedPlugin loaded = new LoadedPlugin(id, wrapper.getDescriptor().getVersion(),
                    wrapper.getDescriptor().getPluginDescription(), source, staged, loader, contributions, Instant.now());
            plugins.put(id, loaded);
            LOG.info("Loaded plugin '{}' {} from {}: stages {}, components {}, beans {}", id, loaded.version(),
                    source.getFileName(), contributions.stageNames(), contributions.schemes(), contributions.beanNames());
            return loaded;
        } catch (PluginLoadException | RuntimeException | LinkageError e) {
            if (id != null) {
                ClassLoader loader = manager.getPlugin(id) == null ? null : manager.getPlugin(id).getPluginClassLoader();
                unloadQuietly(id, loader);
            }
            manager.forget(staged);
            deleteQuietly(staged);
            if (e instanceof PluginLoadException ple) {
                throw ple;
            }
            throw new PluginLoadException(source.getFileName() + ": " + e, e);
        }
    }

    /** Copies the jar into the staging directory, refusing it once it is over the jar limit. */
    private Path stage(Path content, String name) throws PluginLoadException {
        // The name comes from an operator's file: keep it to a safe file name inside the staging directory.
        Path staged = stagingDir.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_").replaceFirst("\\.jar$", "") + "-"
                + System.nanoTime() + ".jar");
        try (InputStream in = BoundedRead.stream(Files.newInputStream(content), limits.maxJarBytes(), name)) {
            long size = Files.size(content);
            if (size > limits.maxJarBytes()) {
                throw new PluginLoadException(BoundedRead.overLimit(name, size + " bytes", "plugin jar", limits.maxJarBytes(),
                        Setting.PLUGINS_MAX_JAR_BYTES));
            }
            Files.copy(in, staged, StandardCopyOption.REPLACE_EXISTING);
            return staged;
        } catch (BoundedRead.TooLargeException e) {
            deleteQuietly(staged);
            throw new PluginLoadException(BoundedRead.overLimit(name, "more than " + limits.maxJarBytes() + " bytes",
                    "plugin jar", limits.maxJarBytes(), Setting.PLUGINS_MAX_JAR_BYTES), e);
        } catch (IOException e) {
            deleteQuietly(staged);
            throw new PluginLoadException(name + ": cannot copy to " + stagingDir + ": " + e.getMessage(), e);
        }
    }

    /** Instantiates every listed extension ourselves: PF4J logs and skips ones that fail, which would hide a broken jar. */
    private Contributions inspect(Path source, String id, ClassLoader loader) throws PluginLoadException {
        List<StageProvider<?, ?>> stages = new ArrayList<>();
        List<ComponentProvider> components = new ArrayList<>();
        List<BeanProvider> beanProviders = new ArrayList<>();
        Map<String, String> beanDocs = new LinkedHashMap<>();
        Set<String> names = new TreeSet<>(manager.getExtensionClassNames(id));
        if (names.isEmpty()) {
            throw new PluginLoadException(source.getFileName() + ": plugin '" + id + "' lists no extensions in " + EXTENSIONS_INDEX);
        }
        try (LoaderSwap ignored = LoaderSwap.to(loader)) {
            for (String className : names) {
                Object ext = instantiate(source, id, className, loader);
                boolean known = false;
                if (ext instanceof StageProvider<?, ?> sp) {
                    checkStage(source, id, sp, stages);
                    checkOptions(source, id, "stage '" + sp.name() + "'", sp.options());
                    stages.add(sp);
                    known = true;
                }
                if (ext instanceof ComponentProvider cp) {
                    checkOptions(source, id, "component '" + cp.scheme() + "'", cp.options());
                    components.add(cp);
                    known = true;
                }
                if (ext instanceof BeanProvider bp) {
                    for (Map.Entry<String, String> e : bp.descriptions().entrySet()) {
                        if (beanDocs.putIfAbsent(e.getKey(), e.getValue()) != null) {
                            throw new PluginLoadException(source.getFileName() + ": plugin '" + id
                                    + "' contributes bean '" + e.getKey() + "' twice");
                        }
                    }
                    beanProviders.add(bp);
                    known = true;
                }
                if (!known) {
                    throw new PluginLoadException(source.getFileName() + ": plugin '" + id + "': extension " + className
                            + " implements no Caravan extension point (StageProvider, ComponentProvider, BeanProvider)");
                }
            }
        }
        return new Contributions(List.copyOf(stages), List.copyOf(components), List.copyOf(beanProviders), Map.copyOf(beanDocs));
    }

    private static Object instantiate(Path source, String id, String className, ClassLoader loader) throws PluginLoadException {
        String where = source.getFileName() + ": plugin '" + id + "': extension " + className;
        try {
            Class<?> type = Class.forName(className, true, loader);
            return type.getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new PluginLoadException(where + " is listed in " + EXTENSIONS_INDEX + " but is not in the jar", e);
        } catch (NoClassDefFoundError e) {
            throw missingClass(where, e);
        } catch (NoSuchMethodException e) {
            throw new PluginLoadException(where + " has no public no-argument constructor", e);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof NoClassDefFoundError missing) {
                // Thrown by the constructor or a field initializer, so wrapped in an InvocationTargetException.
                throw missingClass(where, missing);
            }
            throw new PluginLoadException(where + " could not be created: " + cause, cause);
        }
    }

    private static PluginLoadException missingClass(String where, NoClassDefFoundError e) {
        return new PluginLoadException(where + " needs class " + e.getMessage().replace('/', '.')
                + ", which is neither in the jar nor provided by the server (bundle or shade the dependency)", e);
    }

    private static void checkStage(Path source, String id, StageProvider<?, ?> sp, List<StageProvider<?, ?>> seen)
            throws PluginLoadException {
        String name = sp.name();
        if (name == null || !STAGE_NAME.matcher(name).matches()) {
            throw new PluginLoadException(source.getFileName() + ": plugin '" + id + "': stage name '" + name
                    + "' must be lower-case letters, digits and '-'");
        }
        Set<String> names = new HashSet<>();
        seen.forEach(s -> names.add(s.name()));
        if (names.contains(name)) {
            throw new PluginLoadException(source.getFileName() + ": plugin '" + id + "' declares stage '" + name + "' twice");
        }
        if (sp.inputType() == null || sp.outputType() == null) {
            throw new PluginLoadException(source.getFileName() + ": plugin '" + id + "': stage '" + name
                    + "' must declare its input and output types");
        }
    }

    /**
     * A plugin's own option declarations must hold: names declared once, defaults and bounds of
     * the option's type, defaults within bounds. Otherwise the jar is refused now, not a route later.
     */
    private static void checkOptions(Path source, String id, String what, List<OptionSpec> specs)
            throws PluginLoadException {
        String who = source.getFileName() + ": plugin '" + id + "': " + what;
        if (specs == null) {
            throw new PluginLoadException(who + " must declare its options (an empty list if it has none)");
        }
        try {
            StageOptions.checkSpecs(what, specs);
        } catch (IllegalArgumentException e) {
            throw new PluginLoadException(who + " declares an option its own rules refuse: "
                    + (e.getCause() instanceof OptionException oe ? oe.getMessage() : e.getMessage()), e);
        }
    }

    /** Stops and unloads a plugin, closing its class loader; its contributions must already be withdrawn. */
    public synchronized void unload(String id) {
        LoadedPlugin p = plugins.remove(id);
        if (p == null) {
            return;
        }
        unloadQuietly(id, p.classLoader());
        manager.forget(p.staged());
        deleteQuietly(p.staged());
        LOG.info("Unloaded plugin '{}' {} ({})", id, p.version(), p.source().getFileName());
    }

    private void unloadQuietly(String id, ClassLoader loader) {
        try {
            manager.stopPlugin(id);
        } catch (RuntimeException e) {
            LOG.warn("Stopping plugin '{}' failed: {}", id, e.toString());
        }
        try {
            manager.unloadPlugin(id);
        } catch (RuntimeException e) {
            LOG.warn("Unloading plugin '{}' failed: {}", id, e.toString());
        }
        if (loader != null) {
            released.add(new WeakReference<>(loader));
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("Could not delete staged plugin copy {}: {}", p, e.toString());
        }
    }

    public Optional<LoadedPlugin> get(String id) {
        return Optional.ofNullable(plugins.get(id));
    }

    public Optional<LoadedPlugin> bySource(Path jar) {
        Path source = jar.toAbsolutePath().normalize();
        return plugins.values().stream().filter(p -> p.source().equals(source)).findFirst();
    }

    public Collection<LoadedPlugin> plugins() {
        return List.copyOf(plugins.values());
    }

    /** Class loaders of unloaded plugins that the garbage collector has not yet reclaimed. */
    public int releasedLoadersAlive() {
        released.removeIf(ref -> ref.get() == null);
        return released.size();
    }

    public String systemVersion() {
        return manager.getSystemVersion();
    }

    @Override
    public synchronized void close() {
        for (String id : List.copyOf(plugins.keySet())) {
            unload(id);
        }
        try {
            Files.deleteIfExists(stagingDir);
        } catch (IOException e) {
            LOG.debug("Staging directory {} not removed: {}", stagingDir, e.toString());
        }
    }
}
