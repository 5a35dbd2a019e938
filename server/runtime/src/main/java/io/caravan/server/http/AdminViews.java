package io.caravan.server.http;

import io.caravan.api.plugin.ComponentProvider;
import io.caravan.api.stage.OptionSpec;
import io.caravan.server.metrics.RouteMetrics;
import io.caravan.server.plugin.LoadedPlugin;
import io.caravan.server.plugin.LoaderSwap;
import io.caravan.server.plugin.PluginHost;
import io.caravan.server.reload.ReloadHistory;
import io.caravan.server.reload.RouteFileController;
import io.caravan.server.stage.RegisteredStage;
import io.caravan.server.stage.StageRegistry;
import io.caravan.server.stage.StageEndpoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointAware;
import org.apache.camel.Navigate;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;

/** Builds what the admin API and {@code caravan plugins} show, as plain maps and lists for JSON. */
public final class AdminViews {
    private final CamelContext camel;
    private final RouteFileController files;
    private final PluginHost plugins;
    private final StageRegistry stages;
    private final ReloadHistory history;
    private final RouteMetrics metrics;
    private final Supplier<Map<String, String>> pluginFailures;

    /** @param pluginFailures jars in plugins/ that are not running as they are on disk, with the error */
    public AdminViews(CamelContext camel, RouteFileController files, PluginHost plugins, StageRegistry stages,
                      ReloadHistory history, RouteMetrics metrics, Supplier<Map<String, String>> pluginFailures) {
        this.camel = camel;
        this.files = files;
        this.plugins = plugins;
        this.stages = stages;
        this.history = history;
        this.metrics = metrics;
        this.pluginFailures = pluginFailures;
    }

    public List<Map<String, Object>> routes() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Route r : camel.getRoutes()) {
            out.add(route(r));
        }
        return out;
    }

    public Map<String, Object> route(Route r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.getRouteId());
        m.put("file", files.fileOf(r.getRouteId()).orElse(null));
        m.put("from", r.getEndpoint().getEndpointUri());
        ServiceStatus status = camel.getRouteController().getRouteStatus(r.getRouteId());
        m.put("status", status == null ? "Unknown" : status.name());
        m.put("uptimeMs", r.getUptimeMillis());
        m.put("inflight", camel.getInflightRepository().size(r.getRouteId()));
        metrics.stats(r.getRouteId()).ifPresent(s -> {
            m.put("exchangesCompleted", s.completed());
            m.put("exchangesFailed", s.failed());
            m.put("meanLatencyMs", s.meanLatencyMs());
            m.put("lastError", s.lastError());
            m.put("lastErrorAt", s.lastErrorAt() == null ? null : s.lastErrorAt().toString());
        });
        return m;
    }

    public List<RouteFileController.FileView> files() {
        return files.view();
    }

    public List<Map<String, Object>> plugins() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (LoadedPlugin p : plugins.plugins()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", p.id());
            m.put("version", p.version());
            m.put("state", "STARTED");
            m.put("description", p.description());
            m.put("file", p.source().getFileName().toString());
            m.put("loadedAt", p.loadedAt().toString());
            m.put("stages", p.contributions().stageNames());
            m.put("components", components(p));
            m.put("beans", p.contributions().beanDescriptions());
            out.add(m);
        }
        out.sort((a, b) -> ((String) a.get("id")).compareTo((String) b.get("id")));
        return out;
    }

    /** A plugin's components: scheme, description and every option, read under the plugin's class loader. */
    private static List<Map<String, Object>> components(LoadedPlugin p) {
        List<Map<String, Object>> out = new ArrayList<>();
        try (LoaderSwap ignored = LoaderSwap.to(p.classLoader())) {
            for (ComponentProvider c : p.contributions().components()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("scheme", c.scheme());
                m.put("description", c.description());
                m.put("options", options(c.options()));
                out.add(m);
            }
        }
        return out;
    }

    public List<Map<String, Object>> stages() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RegisteredStage s : stages.all()) {
            try (LoaderSwap ignored = LoaderSwap.to(s.loader())) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", s.name());
                m.put("plugin", s.pluginId());
                m.put("version", s.pluginVersion());
                m.put("description", s.provider().description());
                m.put("input", s.provider().inputType().getSimpleName());
                m.put("output", s.provider().outputType().getSimpleName());
                m.put("options", options(s.provider().options()));
                out.add(m);
            }
        }
        return out;
    }

    /**
     * Options as declared: name, type, default, required, allowed values in words
     * ({@link OptionSpec#allowed()}: choices or bounds, "" when any value of the type goes), the
     * choices and bounds themselves, and the one-line doc.
     */
    static List<Map<String, Object>> options(List<OptionSpec> specs) {
        List<Map<String, Object>> options = new ArrayList<>();
        for (OptionSpec o : specs) {
            Map<String, Object> om = new LinkedHashMap<>();
            om.put("name", o.name());
            om.put("type", o.type().name().toLowerCase(Locale.ROOT));
            om.put("default", o.defaultValue());
            om.put("required", o.required());
            om.put("allowed", o.allowed());
            om.put("choices", o.choices());
            om.put("min", o.min());
            om.put("max", o.max());
            om.put("doc", o.doc());
            options.add(om);
        }
        return options;
    }

    /** Every started stage endpoint with what its stage reports (per-exporter accounting, templates, ...). */
    public List<Map<String, Object>> stageStatus() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (org.apache.camel.Endpoint e : camel.getEndpoints()) {
            if (e instanceof io.caravan.server.stage.StageEndpoint se) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("stage", se.stageName());
                m.put("endpoint", se.getEndpointUri());
                m.put("status", se.status());
                out.add(m);
            }
        }
        return out;
    }

    /**
     * What every component that holds outgoing data reports ({@link io.caravan.api.plugin.SinkStatus}):
     * one row per queue, with the component's scheme added.
     */
    public List<Map<String, Object>> sinks() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String scheme : camel.getComponentNames()) {
            if (camel.hasComponent(scheme) instanceof io.caravan.api.plugin.SinkStatus s) {
                for (Map<String, Object> row : s.sinkStatus()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("component", scheme);
                    m.putAll(row);
                    out.add(m);
                }
            }
        }
        return out;
    }

    public Object reloads() {
        return history.events();
    }

    /**
     * Health. DOWN (503) while starting or stopping; otherwise UP, or DEGRADED (still 200: the
     * server is live and serving) with one entry per reason under {@code degraded}: a route file not
     * running as written, a plugin jar that was refused, a stage working below par
     * ({@code Stage.degraded()}). Reads only published snapshots and lock-free state, so it answers
     * while a reload is in progress.
     */
    public Map<String, Object> health(boolean ready, boolean stopping) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Map<String, Object>> degraded = new ArrayList<>();
        Map<String, String> routes = new LinkedHashMap<>();
        List<Route> running = camel.getRoutes();
        for (Route r : running) {
            ServiceStatus s = camel.getRouteController().getRouteStatus(r.getRouteId());
            routes.put(r.getRouteId(), s == null ? "Unknown" : s.name());
        }
        Map<String, Object> fileStates = new LinkedHashMap<>();
        for (RouteFileController.FileView f : files.view()) {
            fileStates.put(f.file(), f.status().name());
            if (f.status() != RouteFileController.Status.ACTIVE) {
                degraded.add(reason("file", "file", f.file(), f.status().name() + ": " + f.error()));
            }
        }
        pluginFailures.get().forEach((jar, error) -> degraded.add(reason("plugin", "jar", jar, error)));
        for (Route r : running) {
            for (StageEndpoint se : stageEndpoints(r)) {
                Optional<String> why = se.degraded();
                if (why.isPresent()) {
                    Map<String, Object> d = reason("stage", "stage", se.stageName(), why.get());
                    d.put("route", r.getRouteId());
                    degraded.add(d);
                }
            }
        }
        m.put("status", !ready || stopping ? "DOWN" : degraded.isEmpty() ? "UP" : "DEGRADED");
        m.put("phase", stopping ? "stopping" : ready ? "running" : "starting");
        m.put("camel", camel.getStatus().name());
        m.put("routes", routes);
        m.put("files", fileStates);
        Map<String, String> pluginStates = new LinkedHashMap<>();
        plugins.plugins().forEach(p -> pluginStates.put(p.id(), p.version()));
        m.put("plugins", pluginStates);
        m.put("degraded", degraded);
        m.put("releasedPluginLoadersAlive", plugins.releasedLoadersAlive());
        m.put("time", Instant.now().toString());
        return m;
    }

    private static Map<String, Object> reason(String kind, String key, String name, String why) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("kind", kind);
        d.put(key, name);
        d.put("reason", why);
        return d;
    }

    /** The stage endpoints a route sends to, found by walking its processors. */
    static Set<StageEndpoint> stageEndpoints(Route route) {
        Set<StageEndpoint> out = new LinkedHashSet<>();
        Navigate<Processor> nav = route.navigate();
        if (nav != null && nav.hasNext()) {
            Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Processor p : nav.next()) {
                walk(p, out, seen);
            }
        }
        return out;
    }

    private static void walk(Object p, Set<StageEndpoint> out, Set<Object> seen) {
        if (p == null || !seen.add(p)) {
            return;
        }
        if (p instanceof EndpointAware ea && ea.getEndpoint() instanceof StageEndpoint se) {
            out.add(se);
        }
        if (p instanceof Navigate<?> n && n.hasNext()) {
            List<?> next = n.next();
            if (next != null) {
                for (Object c : next) {
                    walk(c, out, seen);
                }
            }
        }
    }
}
