package io.caravan.server.reload;

import io.caravan.server.plugin.ContributionRegistrar;
import io.caravan.server.plugin.LoadedPlugin;
import io.caravan.server.plugin.PluginHost;
import io.caravan.server.plugin.PluginLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies every change to routes and plugins on one thread, in arrival order: file watcher
 * reports, startup, and admin calls. Serializing them means a plugin swap never races a route
 * edit, and each change sees the state the previous one left.
 *
 * <p>It also remembers every jar in plugins/ that was refused, with the reason, until the jar
 * loads or is removed: {@code /health/ready} shows them as degraded.
 */
public final class ReloadCoordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadCoordinator.class);

    private final Path routesDir;
    private final Path pluginsDir;
    private final PluginHost host;
    private final ContributionRegistrar registrar;
    private final RouteFileController routes;
    private final ReloadHistory history;
    private final ExecutorService executor;
    private final List<DirectoryWatcher> watchers = new ArrayList<>();
    /** Jar file name → why it is not running as it is on disk. */
    private final Map<String, String> pluginFailures = new ConcurrentHashMap<>();

    public ReloadCoordinator(Path routesDir, Path pluginsDir, PluginHost host, ContributionRegistrar registrar,
                             RouteFileController routes, ReloadHistory history) {
        this.routesDir = routesDir;
        this.pluginsDir = pluginsDir;
        this.host = host;
        this.registrar = registrar;
        this.routes = routes;
        this.history = history;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "caravan-reload");
            t.setDaemon(true);
            return t;
        });
    }

    public static boolean isJar(Path p) {
        return p.getFileName().toString().endsWith(".jar");
    }

    /** Loads every plugin, then every route file; then, if asked, starts watching both directories. */
    public void start(boolean watchRoutes, boolean watchPlugins, Duration debounce) throws IOException {
        Files.createDirectories(routesDir);
        Files.createDirectories(pluginsDir);
        call(() -> {
            for (Path jar : jars()) {
                load(jar);
            }
            routes.loadAll(routesDir);
            return null;
        });
        if (watchPlugins) {
            watch("plugins", pluginsDir, ReloadCoordinator::isJar, debounce, this::onPluginsChanged);
        }
        if (watchRoutes) {
            watch("routes", routesDir, RouteFileParser::isRouteFile, debounce, this::onRoutesChanged);
        }
    }

    private void watch(String name, Path dir, java.util.function.Predicate<Path> filter, Duration debounce,
                       java.util.function.Consumer<Set<Path>> handler) throws IOException {
        DirectoryWatcher w = new DirectoryWatcher(name, dir, filter, debounce, changed -> executor.execute(() -> handler.accept(changed)));
        watchers.add(w);
        w.start();
    }

    private List<Path> jars() throws IOException {
        try (Stream<Path> s = Files.list(pluginsDir)) {
            return s.filter(ReloadCoordinator::isJar).filter(p -> !DirectoryWatcher.isTemporary(p)).sorted().toList();
        }
    }

    private void onRoutesChanged(Set<Path> changed) {
        changed.forEach(p -> routes.apply(p, false));
    }

    private void onPluginsChanged(Set<Path> changed) {
        for (Path jar : changed) {
            Optional<LoadedPlugin> loaded = host.bySource(jar);
            if (!Files.exists(jar)) {
                pluginFailures.remove(jar.getFileName().toString());
                loaded.ifPresent(p -> unload(p, "unloaded"));
            } else if (loaded.isPresent()) {
                // A watcher event for a jar whose bytes are the ones running (touched, copied over
                // with itself, an event that arrived after the start's own load) restarts nothing.
                if (unchanged(loaded.get())) {
                    LOG.debug("{}: unchanged since it was loaded; nothing to replace", jar.getFileName());
                } else {
                    replace(loaded.get(), jar);
                }
            } else {
                load(jar);
            }
        }
    }

    /**
     * Re-reads both directories now: new, changed and deleted jars and route files; files that are
     * not running as written are retried. Unchanged running files are left alone. Returns when done.
     */
    public void reloadAll() {
        call(() -> {
            Set<Path> present = new LinkedHashSet<>(jars());
            Set<String> presentNames = new java.util.HashSet<>();
            present.forEach(p -> presentNames.add(p.getFileName().toString()));
            pluginFailures.keySet().retainAll(presentNames);
            for (LoadedPlugin p : host.plugins()) {
                if (!present.contains(p.source())) {
                    unload(p, "unloaded");
                }
            }
            for (Path jar : present) {
                Optional<LoadedPlugin> loaded = host.bySource(jar);
                if (loaded.isEmpty()) {
                    load(jar);
                } else if (changedSinceLoad(loaded.get())) {
                    replace(loaded.get(), jar);
                }
            }
            for (Path known : routes.knownFiles()) {
                if (!Files.exists(known)) {
                    routes.remove(known);
                }
            }
            try (Stream<Path> s = Files.list(routesDir)) {
                s.filter(RouteFileParser::isRouteFile).filter(p -> !DirectoryWatcher.isTemporary(p)).sorted()
                        .forEach(p -> routes.apply(p, false));
            }
            return null;
        });
    }

    private static boolean changedSinceLoad(LoadedPlugin p) throws IOException {
        return Files.mismatch(p.source(), p.staged()) != -1;
    }

    private static boolean unchanged(LoadedPlugin p) {
        try {
            return !changedSinceLoad(p);
        } catch (IOException e) {
            return false;
        }
    }

    private void load(Path jar) {
        try {
            LoadedPlugin p = host.load(jar);
            register(p);
            pluginEvent(jar, "loaded", ReloadEvent.OK, null);
            List<Path> waiting = routes.failedFiles();
            if (!waiting.isEmpty()) {
                routes.reload(waiting, "retried");
            }
        } catch (PluginLoadException e) {
            pluginEvent(jar, "loaded", ReloadEvent.REJECTED, e.getMessage());
        }
    }

    private void register(LoadedPlugin p) throws PluginLoadException {
        try {
            registrar.register(p);
        } catch (PluginLoadException e) {
            host.unload(p.id());
            throw e;
        }
    }

    /** Swaps a plugin for the jar's new content; if the new one is rejected, the old one comes back. */
    private void replace(LoadedPlugin old, Path jar) {
        try {
            String newId = host.pluginIdOf(jar);
            if (!newId.equals(old.id()) && host.get(newId).isPresent()) {
                throw new PluginLoadException(jar.getFileName() + ": plugin '" + newId + "' is already loaded from "
                        + host.get(newId).get().source().getFileName());
            }
        } catch (PluginLoadException e) {
            pluginEvent(jar, "replaced", ReloadEvent.REJECTED, e.getMessage() + " (version " + old.version() + " keeps running)");
            return;
        }
        Path backup;
        try {
            backup = Files.createTempFile(old.staged().getParent(), old.id() + "-previous-", ".jar");
            Files.copy(old.staged(), backup, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            pluginEvent(jar, "replaced", ReloadEvent.REJECTED, "cannot keep a copy of the running version: " + e);
            return;
        }
        Set<Path> affected = routes.filesUsing(old.contributions());
        try {
            routes.suspend(affected, "restarting on a new version of plugin '" + old.id() + "'");
            registrar.withdraw(old);
            host.unload(old.id());
            try {
                register(host.load(jar));
                pluginEvent(jar, "replaced", ReloadEvent.OK, null);
            } catch (PluginLoadException e) {
                restorePrevious(old, backup, jar, e);
            }
            routes.reload(affected, "restarted");
            List<Path> waiting = routes.failedFiles();
            waiting.removeAll(affected);
            if (!waiting.isEmpty()) {
                routes.reload(waiting, "retried");
            }
        } finally {
            try {
                Files.deleteIfExists(backup);
            } catch (IOException e) {
                LOG.warn("Could not delete {}: {}", backup, e.toString());
            }
        }
    }

    private void restorePrevious(LoadedPlugin old, Path backup, Path jar, PluginLoadException why) {
        try {
            register(host.load(old.source(), backup));
            pluginEvent(jar, "replaced", ReloadEvent.REJECTED, why.getMessage() + " (version " + old.version() + " restored)");
        } catch (PluginLoadException e) {
            pluginEvent(jar, "replaced", ReloadEvent.FAILED, why.getMessage() + "; restoring version " + old.version()
                    + " failed too: " + e.getMessage());
        }
    }

    private void unload(LoadedPlugin p, String action) {
        Set<Path> affected = routes.filesUsing(p.contributions());
        routes.suspend(affected, "plugin '" + p.id() + "' was removed");
        registrar.withdraw(p);
        host.unload(p.id());
        pluginEvent(p.source(), action, ReloadEvent.OK, null);
        // Re-reading the files records, per file, which stage or component is now missing.
        routes.reload(affected, "stopped");
    }

    /** Jars in plugins/ that are not running as they are on disk, each with its error; sorted by name. */
    public Map<String, String> pluginFailures() {
        return new TreeMap<>(pluginFailures);
    }

    private void pluginEvent(Path jar, String action, String outcome, String error) {
        String name = jar.getFileName().toString();
        if (ReloadEvent.OK.equals(outcome)) {
            pluginFailures.remove(name);
        } else {
            pluginFailures.put(name, error);
        }
        history.record(new ReloadEvent(Instant.now(), "plugin", jar.getFileName().toString(), action, outcome, List.of(), error));
    }

    /** Runs an admin action on the reload thread and waits for it. */
    public <T> T call(Callable<T> action) {
        Future<T> f = executor.submit(action);
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public void close() {
        watchers.forEach(DirectoryWatcher::close);
        watchers.clear();
        executor.shutdown();
    }
}
