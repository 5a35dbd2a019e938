package io.caravan.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.caravan.server.metrics.UdpSockets;
import io.caravan.server.reload.ReloadCoordinator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP port: health ({@code /health/live}, {@code /health/ready}), Prometheus metrics
 * ({@code /metrics}) and the admin API under {@code /admin}. Reads are open; calls that change
 * state need {@code Authorization: Bearer <caravan.admin.token>} and are refused outright when no
 * token is configured.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);
    private final CamelContext camel;
    private final AdminViews views;
    private final ReloadCoordinator reloads;
    private final PrometheusMeterRegistry prometheus;
    private final UdpSockets udp;
    private final byte[] token;
    private final BooleanSupplier ready;
    private final BooleanSupplier stopping;

    public AdminServer(InetSocketAddress bind, String token, CamelContext camel, AdminViews views, ReloadCoordinator reloads,
                       PrometheusMeterRegistry prometheus, UdpSockets udp, BooleanSupplier ready, BooleanSupplier stopping)
            throws IOException {
        this.camel = camel;
        this.views = views;
        this.reloads = reloads;
        this.prometheus = prometheus;
        this.udp = udp;
        this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.ready = ready;
        this.stopping = stopping;
        this.server = HttpServer.create(bind, 64);
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "caravan-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public void start() {
        server.start();
        LOG.info("HTTP (health, metrics, admin) listening on {}", address());
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath().replaceAll("/+$", "");
            String method = ex.getRequestMethod();
            if (method.equals("GET")) {
                get(ex, path);
            } else if (method.equals("POST")) {
                if (authorized(ex)) {
                    post(ex, path);
                }
            } else {
                send(ex, 405, Map.of("error", "method " + method + " not allowed"));
            }
        } catch (RuntimeException e) {
            LOG.warn("Admin request {} failed", ex.getRequestURI(), e);
            send(ex, 500, Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    private void get(HttpExchange ex, String path) throws IOException {
        switch (path) {
            case "/health/live" -> send(ex, 200, Map.of("status", "UP"));
            case "/health", "/health/ready" -> {
                boolean up = ready.getAsBoolean() && !stopping.getAsBoolean();
                send(ex, up ? 200 : 503, views.health(ready.getAsBoolean(), stopping.getAsBoolean()));
            }
            case "/metrics" -> {
                byte[] body = prometheus.scrape().getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
            case "/admin/routes" -> send(ex, 200, views.routes());
            case "/admin/files" -> send(ex, 200, views.files());
            case "/admin/plugins" -> send(ex, 200, views.plugins());
            case "/admin/stages" -> send(ex, 200, views.stages());
            case "/admin/stages/status" -> send(ex, 200, views.stageStatus());
            case "/admin/reloads" -> send(ex, 200, views.reloads());
            case "/admin/udp" -> send(ex, 200, Map.of("sockets", udp.sockets(), "hostRcvbufErrors", udp.rcvbufErrors()));
            default -> {
                if (path.startsWith("/admin/routes/")) {
                    Route r = camel.getRoute(path.substring("/admin/routes/".length()));
                    if (r != null) {
                        send(ex, 200, views.route(r));
                        return;
                    }
                }
                send(ex, 404, Map.of("error", "no such resource: " + path));
            }
        }
    }

    private void post(HttpExchange ex, String path) throws IOException {
        if (path.equals("/admin/reload")) {
            reloads.reloadAll();
            send(ex, 200, Map.of("files", views.files(), "plugins", views.plugins()));
            return;
        }
        String[] parts = path.split("/");
        // /admin/routes/{id}/{stop|start}
        if (parts.length == 5 && parts[1].equals("admin") && parts[2].equals("routes")) {
            String id = parts[3];
            if (camel.getRoute(id) == null) {
                send(ex, 404, Map.of("error", "no route '" + id + "'"));
                return;
            }
            try {
                switch (parts[4]) {
                    case "stop" -> camel.getRouteController().stopRoute(id);
                    case "start" -> camel.getRouteController().startRoute(id);
                    default -> {
                        send(ex, 404, Map.of("error", "unknown action '" + parts[4] + "'; use stop or start"));
                        return;
                    }
                }
            } catch (Exception e) {
                send(ex, 409, Map.of("error", "route '" + id + "': " + e.getMessage()));
                return;
            }
            send(ex, 200, views.route(camel.getRoute(id)));
            return;
        }
        send(ex, 404, Map.of("error", "no such action: " + path));
    }

    private boolean authorized(HttpExchange ex) throws IOException {
        if (token == null) {
            send(ex, 403, Map.of("error", "mutating admin calls are disabled: set caravan.admin.token (or CARAVAN_ADMIN_TOKEN)"));
            return false;
        }
        String header = ex.getRequestHeaders().getFirst("Authorization");
        byte[] given = header != null && header.startsWith("Bearer ")
                ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(given, token)) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            send(ex, 401, Map.of("error", "missing or wrong bearer token"));
            return false;
        }
        return true;
    }

    private void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
