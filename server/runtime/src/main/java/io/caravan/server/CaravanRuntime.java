package io.caravan.server;

import io.caravan.server.metrics.MeterLeases;
import io.caravan.server.metrics.MicrometerPluginContext;
import java.nio.file.Path;
import io.caravan.server.config.CaravanConfig;
import io.caravan.server.config.Setting;
import io.caravan.server.s3.SharedS3Client;
import io.caravan.server.http.AdminViews;
import io.caravan.server.metrics.RouteMetrics;
import io.caravan.server.plugin.ContributionRegistrar;
import io.caravan.server.plugin.PluginHost;
import io.caravan.server.plugin.PluginLimits;
import io.caravan.server.reload.ReloadCoordinator;
import io.caravan.server.reload.ReloadHistory;
import io.caravan.server.reload.RouteFileController;
import io.caravan.server.reload.RouteFileParser;
import io.caravan.server.stage.DatagramConverters;
import io.caravan.server.stage.StageComponent;
import io.caravan.server.stage.StageRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import org.apache.camel.CamelContext;

/**
 * The server's parts wired around one CamelContext: plugin host, registrar, stage component and
 * its datagram converters, route files, reload coordinator, metrics and admin views. The server and the offline commands
 * ({@code validate}, {@code plugins}) build the same parts, so they judge routes the same way.
 */
public final class CaravanRuntime implements AutoCloseable {
    private final CamelContext camel;
    private final PrometheusMeterRegistry meters;
    private final StageRegistry stages = new StageRegistry();
    private final PluginHost host;
    private final ContributionRegistrar registrar;
    private final ReloadHistory history;
    private final RouteFileController routes;
    private final RouteMetrics routeMetrics;
    private final ReloadCoordinator coordinator;
    private final AdminViews views;

    /** Call before the context starts: adds the stage component and the route metrics policy. */
    public CaravanRuntime(CaravanConfig config, CamelContext camel, String stagingSuffix) throws IOException {
        this.camel = camel;
        this.meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.host = new PluginHost(config.path(Setting.DATA_DIR).resolve("plugins-staged" + stagingSuffix), Version.get(),
                PluginLimits.from(config));
        Path dataRoot = config.path(Setting.DATA_DIR);
        // Plugins reach meters, clock and data directory only through their PluginContext (stages,
        // components and beans alike); the registry is never bound into Camel for them to find.
        MeterLeases leases = new MeterLeases(meters);
        this.registrar = new ContributionRegistrar(camel, stages,
                id -> new MicrometerPluginContext(id, Clock.systemUTC(), leases, dataRoot));
        this.history = new ReloadHistory(config.getInt(Setting.RELOAD_HISTORY), meters);
        this.routes = new RouteFileController(camel, new RouteFileParser(camel), history,
                config.getLong(Setting.ROUTES_MAX_FILE_BYTES));
        this.routeMetrics = new RouteMetrics(meters);
        this.coordinator = new ReloadCoordinator(config.path(Setting.ROUTES_DIR), config.path(Setting.PLUGINS_DIR), host,
                registrar, routes, history);
        this.views = new AdminViews(camel, routes, host, stages, history, routeMetrics, coordinator::pluginFailures);
        camel.addComponent(StageComponent.SCHEME, new StageComponent(stages, leases, Clock.systemUTC(), dataRoot));
        // Decoders take one DatagramBatch, whatever the listener hands on (a datagram, a list, a netty payload).
        DatagramConverters.register(camel.getTypeConverterRegistry());
        camel.addRoutePolicyFactory(routeMetrics);
        SharedS3Client.bind(camel);
    }

    public CamelContext camel() {
        return camel;
    }

    public PrometheusMeterRegistry meters() {
        return meters;
    }

    public PluginHost host() {
        return host;
    }

    public ContributionRegistrar registrar() {
        return registrar;
    }

    public RouteFileController routes() {
        return routes;
    }

    public ReloadHistory history() {
        return history;
    }

    public ReloadCoordinator coordinator() {
        return coordinator;
    }

    public AdminViews views() {
        return views;
    }

    @Override
    public void close() {
        coordinator.close();
        host.close();
        meters.close();
    }
}
