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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.CamelContext;
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

    public AdminViews(CamelContext camel, RouteFileController files, PluginHost plugins, StageRegistry stages,
                      ReloadHistory history, RouteMetrics metrics) {
        this.camel = camel;
        this.files = files;
        this.plugins = plugins;
        this.stages = stages;
        this.history = history;
        this.metrics = metrics;
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

    public Object reloads() {
        return history.events();
    }

    /** Health: UP once started; lists routes, files and plugins, and flags files that are not running as written. */
    public Map<String, Object> health(boolean ready, boolean stopping) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", ready && !stopping ? "UP" : "DOWN");
        m.put("phase", stopping ? "stopping" : ready ? "running" : "starting");
        m.put("camel", camel.getStatus().name());
        Map<String, String> routes = new LinkedHashMap<>();
        for (Route r : camel.getRoutes()) {
            ServiceStatus s = camel.getRouteController().getRouteStatus(r.getRouteId());
            routes.put(r.getRouteId(), s == null ? "Unknown" : s.name());
        }
        m.put("routes", routes);
        Map<String, Object> fileStates = new LinkedHashMap<>();
        boolean degraded = false;
        for (RouteFileController.FileView f : files.view()) {
            fileStates.put(f.file(), f.status().name());
            degraded |= f.status() != RouteFileController.Status.ACTIVE;
        }
        m.put("files", fileStates);
        Map<String, String> pluginStates = new LinkedHashMap<>();
        plugins.plugins().forEach(p -> pluginStates.put(p.id(), p.version()));
        m.put("plugins", pluginStates);
        m.put("degraded", degraded);
        m.put("releasedPluginLoadersAlive", plugins.releasedLoadersAlive());
        m.put("time", Instant.now().toString());
        return m;
    }
}
