package io.caravan.server;

import io.caravan.server.config.CaravanConfig;
import io.caravan.server.config.Setting;
import io.caravan.api.log.LogLimit;
import io.caravan.server.http.AdminServer;
import io.caravan.server.http.HttpLimits;
import io.caravan.server.log.RepeatFilter;
import io.caravan.server.plugin.ExitGuard;
import io.caravan.server.reload.ReloadEvent;
import io.caravan.server.metrics.UdpSockets;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.Gauge;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.DefaultMainShutdownStrategy;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code caravan run}: Camel Main with Caravan's runtime, in the foreground until SIGTERM or
 * SIGINT. Shutdown stops consumers first, lets in-flight exchanges and aggregations
 * ({@code forceCompletionOnStop}) finish within the timeout, then exits 0.
 */
public final class CaravanServer {
    private static final Logger LOG = LoggerFactory.getLogger(CaravanServer.class);
    /** Beyond Camel's own shutdown timeout, how long the rest of shutdown may take before the JVM is halted. */
    private static final long WATCHDOG_GRACE_MS = 15_000;

    private final CaravanConfig config;
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    /** A field, not a local: Micrometer holds the state of gauges and function counters weakly. */
    private final UdpSockets udp = new UdpSockets(Path.of("/proc"));
    /** Per plugin jar, how often a refused exit goes into the reload history. */
    private final Map<String, LogLimit> exitRecords = new ConcurrentHashMap<>();
    private static final long EXIT_RECORD_INTERVAL_MS = 60_000;

    public CaravanServer(CaravanConfig config) {
        this.config = config;
    }

    /** Runs until a signal stops it; returns the process exit code. */
    public int run() throws Exception {
        RepeatFilter.install(Duration.ofSeconds(config.getInt(Setting.LOG_REPEAT_INTERVAL_SECONDS)));
        Main main = new Main();
        main.setAppName("caravan");
        main.configure().setName("caravan");
        main.configure().setShutdownTimeout(config.getInt(Setting.SHUTDOWN_TIMEOUT_SECONDS));
        main.configure().setShutdownLogInflightExchangesOnTimeout(true);
        main.setInitialProperties(config.camelProperties());
        DefaultMainShutdownStrategy shutdown = new DefaultMainShutdownStrategy(main);
        // Our own signal handlers: the JVM's default for SIGTERM would exit 143 after the hooks run.
        shutdown.disableHangupSupport();
        main.setShutdownStrategy(shutdown);

        AtomicReference<CaravanRuntime> runtime = new AtomicReference<>();
        AtomicReference<AdminServer> http = new AtomicReference<>();
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                try {
                    CaravanRuntime rt = new CaravanRuntime(config, m.getCamelContext(), "");
                    runtime.set(rt);
                    ExitGuard.Mode mode = ExitGuard.install(config.getBoolean(Setting.PLUGINS_EXIT_GUARD), a -> exitRefused(rt, a));
                    LOG.info("Plugins calling System.exit: {}", mode == ExitGuard.Mode.REFUSING
                            ? "refused, and the jar named" : "not refused on this Java, the jar named in the log at exit");
                } catch (Exception e) {
                    throw new IllegalStateException("cannot set up the runtime: " + e.getMessage(), e);
                }
            }

            @Override
            public void afterStart(BaseMainSupport m) {
                try {
                    CaravanRuntime rt = runtime.get();
                    bindJvmMetrics(rt);
                    AdminServer server = new AdminServer(
                            new InetSocketAddress(config.get(Setting.HTTP_HOST), config.getInt(Setting.HTTP_PORT)),
                            config.get(Setting.ADMIN_TOKEN), rt.camel(), rt.views(), rt.coordinator(), rt.meters(),
                            udp, ready::get, stopping::get, HttpLimits.from(config));
                    server.start();
                    http.set(server);
                    writePortFile(server.address().getPort());
                    rt.coordinator().start(config.getBoolean(Setting.RELOAD_ROUTES), config.getBoolean(Setting.RELOAD_PLUGINS),
                            config.getMillis(Setting.RELOAD_DEBOUNCE_MS));
                    ready.set(true);
                    LOG.info("Caravan {} ready: {} routes, {} plugins, HTTP on {}", Version.get(), rt.camel().getRoutes().size(),
                            rt.host().plugins().size(), server.address());
                } catch (Exception e) {
                    LOG.error("Startup failed: {}", e.getMessage(), e);
                    main.completed();
                }
            }

            @Override
            public void beforeStop(BaseMainSupport m) {
                stopping.set(true);
                CaravanRuntime rt = runtime.get();
                if (rt != null) {
                    // No reloads while Camel drains: a route swapped in now would start mid-shutdown.
                    rt.coordinator().close();
                    ShutdownOrder.stopSources(rt.camel(), config.getInt(Setting.SHUTDOWN_TIMEOUT_SECONDS));
                }
            }
        });

        Runnable onSignal = () -> {
            if (stopping.compareAndSet(false, true)) {
                LOG.info("Shutdown requested: stopping consumers, completing in-flight exchanges and aggregations");
                startWatchdog();
                main.completed();
            }
        };
        Signal.handle(new Signal("TERM"), s -> onSignal.run());
        Signal.handle(new Signal("INT"), s -> onSignal.run());

        main.run();

        AdminServer server = http.get();
        if (server != null) {
            server.close();
        }
        CaravanRuntime rt = runtime.get();
        if (rt != null) {
            rt.close();
        }
        LOG.info("Caravan stopped");
        return main.getExitCode();
    }

    /** A plugin's exit was refused: logged, and put in the reload history at most once a minute per jar. */
    private void exitRefused(CaravanRuntime rt, ExitGuard.Attempt a) {
        if (exitRecords.computeIfAbsent(a.jar(), j -> new LogLimit(EXIT_RECORD_INTERVAL_MS)).allow()) {
            rt.history().record(new ReloadEvent(Instant.now(), "plugin", a.jar(), "exit", "refused", List.of(), a.message()));
        } else {
            LOG.error("{}", a.message());
        }
    }

    private void bindJvmMetrics(CaravanRuntime rt) {
        new JvmMemoryMetrics().bindTo(rt.meters());
        new JvmGcMetrics().bindTo(rt.meters());
        new JvmThreadMetrics().bindTo(rt.meters());
        new ClassLoaderMetrics().bindTo(rt.meters());
        new ProcessorMetrics().bindTo(rt.meters());
        new UptimeMetrics().bindTo(rt.meters());
        FunctionCounter.builder("caravan.udp.rcvbuf.errors", udp, u -> Math.max(0, u.rcvbufErrors()))
                .description("Host-wide UDP datagrams dropped for a full socket receive buffer (/proc/net/snmp RcvbufErrors)")
                .register(rt.meters());
        Gauge.builder("caravan.udp.socket.drops", udp, u -> u.sockets().stream().mapToLong(s -> s.drops()).sum())
                .description("Datagrams the kernel dropped on this process's UDP sockets (per-socket detail: GET /admin/udp)")
                .register(rt.meters());
        Gauge.builder("caravan.plugins.loaded", rt.host(), h -> h.plugins().size())
                .description("Plugins loaded and started").register(rt.meters());
        Gauge.builder("caravan.plugins.released.loaders.alive", rt.host(), h -> h.releasedLoadersAlive())
                .description("Class loaders of unloaded plugins not yet garbage collected (a lasting non-zero value is a leak)")
                .register(rt.meters());
    }

    private void writePortFile(int port) throws java.io.IOException {
        Path data = config.path(Setting.DATA_DIR);
        Files.createDirectories(data);
        Files.writeString(data.resolve("http.port"), Integer.toString(port), StandardCharsets.UTF_8);
    }

    private void startWatchdog() {
        long limitMs = config.getInt(Setting.SHUTDOWN_TIMEOUT_SECONDS) * 1000L + WATCHDOG_GRACE_MS;
        Thread t = new Thread(() -> {
            try {
                // A plain wait is the point here: if orderly shutdown has not ended by now, it never will.
                Thread.sleep(limitMs);
                LOG.error("Shutdown did not finish within {} ms; halting", limitMs);
                java.lang.Runtime.getRuntime().halt(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "caravan-shutdown-watchdog");
        t.setDaemon(true);
        t.start();
    }
}
