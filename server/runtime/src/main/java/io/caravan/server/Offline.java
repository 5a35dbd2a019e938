package io.caravan.server;

import io.caravan.server.config.CaravanConfig;
import io.caravan.server.config.Setting;
import io.caravan.server.plugin.LoadedPlugin;
import io.caravan.server.plugin.PluginLoadException;
import io.caravan.server.reload.RouteFileController;
import io.caravan.server.reload.RouteFileException;
import io.caravan.server.reload.Preconditions;
import io.caravan.server.reload.ReloadCoordinator;
import io.caravan.server.reload.RouteFileParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;

/**
 * The server's parts without running anything: plugins loaded, stage component registered, a
 * started CamelContext with no routes. {@code caravan validate} adds each route with
 * autoStartup off, so every endpoint and stage option is resolved and checked exactly as the
 * server would, but no consumer binds a port or reads a directory.
 */
public final class Offline implements AutoCloseable {
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final CaravanRuntime runtime;
    private final List<String> pluginErrors = new ArrayList<>();
    private final long maxRouteFileBytes;

    public Offline(CaravanConfig config) throws Exception {
        maxRouteFileBytes = config.getLong(Setting.ROUTES_MAX_FILE_BYTES);
        camel.getCamelContextExtension().setName("caravan-offline");
        camel.getPropertiesComponent().setInitialProperties(config.camelProperties());
        runtime = new CaravanRuntime(config, camel, "-offline-" + ProcessHandle.current().pid());
        camel.start();
        Path dir = config.path(Setting.PLUGINS_DIR);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path jar : s.filter(ReloadCoordinator::isJar).sorted().toList()) {
                    try {
                        LoadedPlugin p = runtime.host().load(jar);
                        try {
                            runtime.registrar().register(p);
                        } catch (PluginLoadException e) {
                            runtime.host().unload(p.id());
                            throw e;
                        }
                    } catch (PluginLoadException e) {
                        pluginErrors.add(e.getMessage());
                    }
                }
            }
        }
    }

    public CaravanRuntime runtime() {
        return runtime;
    }

    /** Plugin jars that were rejected, each with its reason. */
    public List<String> pluginErrors() {
        return pluginErrors;
    }

    /**
     * The outcome of validating one file: its route ids, or the error. {@code off}: routes whose
     * precondition is false here (not checked further, as the server would not add them).
     */
    public record Result(Path file, List<String> routes, Map<String, String> off, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    /** Validates files in order; a route id used by two files fails the later one. */
    public List<Result> validate(List<Path> files) {
        Map<String, Path> ids = new HashMap<>();
        List<Result> out = new ArrayList<>();
        RouteFileParser parser = new RouteFileParser(camel);
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        for (Path f : files) {
            List<RouteDefinition> defs = List.of();
            Map<String, String> off = Map.of();
            try {
                defs = parser.parse(f, RouteFileController.read(f, maxRouteFileBytes));
                off = Preconditions.off(camel, f, defs);
                Map<String, String> skipped = off;
                defs = defs.stream().filter(d -> !skipped.containsKey(d.getId())).toList();
                for (RouteDefinition d : defs) {
                    Path other = ids.putIfAbsent(d.getId(), f);
                    if (other != null && !other.equals(f)) {
                        throw new RouteFileException(f.getFileName() + ": route id '" + d.getId() + "' is already used by "
                                + other.getFileName(), null);
                    }
                    d.setAutoStartup("false");
                }
                model.addRouteDefinitions(defs);
                out.add(new Result(f, defs.stream().map(RouteDefinition::getId).toList(), off, null));
            } catch (RouteFileException | io.caravan.server.config.BoundedRead.TooLargeException e) {
                out.add(new Result(f, List.of(), Map.of(), e.getMessage()));
            } catch (Exception e) {
                out.add(new Result(f, List.of(), Map.of(), RouteFileParser.startFailure(f, e)));
            } finally {
                for (RouteDefinition d : defs) {
                    try {
                        model.removeRouteDefinition(d);
                        if (camel.getRoute(d.getId()) != null) {
                            camel.removeRoute(d.getId());
                        }
                    } catch (Exception ignored) {
                        // validation only: the context is thrown away anyway
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        camel.stop();
        runtime.close();
    }
}
