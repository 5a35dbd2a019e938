package io.caravan.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.caravan.server.log.SecretMask;
import io.caravan.server.metrics.UdpSockets;
import io.caravan.server.reload.ReloadCoordinator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP port: health ({@code /health/live}, {@code /health/ready}), Prometheus metrics
 * ({@code /metrics}) and the admin API under {@code /admin}. Reads are open; calls that change
 * state need {@code Authorization: Bearer <caravan.admin.token>} and are refused outright when no
 * token is configured.
 *
 * <p>Built to face strangers ({@link HttpLimits}): Vert.x reads requests without holding a thread,
 * so slow clients cost a socket, not a worker; a connection must deliver each whole request
 * within the read timeout and is closed when idle; headers and bodies are capped (431, 414, 413);
 * connections are capped. Liveness is answered on the event loop, readiness on a lane of its
 * own, everything else on the admin lane, so a long reload behind {@code POST /admin/reload}
 * never delays a probe. Every string in every answer passes {@link SecretMask}.
 *
 * <p>Why not the JDK's {@code com.sun.net.httpserver}: it reads each request on an executor thread,
 * so every slow client holds a thread; its only read limit, {@code sun.net.httpserver.maxReqTime},
 * is a JVM-wide system property checked by a timer, which closes slow connections only after the
 * threads they hold have already kept liveness waiting, and header size caps
 * ({@code maxReqHeaders}, {@code maxReqHeaderSize}) exist only in newer JDKs.
 *
 * <p>The router is also bound as Camel's platform-http router, so routes using
 * {@code platform-http:} (and the REST DSL on it) are served on this port, behind the same limits.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final InetSocketAddress bind;
    private final HttpLimits limits;
    private final Vertx vertx;
    private final HttpServer server;
    private final WorkerExecutor adminLane;
    private final WorkerExecutor healthLane;
    private final ObjectMapper json = maskingMapper();
    private final CamelContext camel;
    private final AdminViews views;
    private final ReloadCoordinator reloads;
    private final PrometheusMeterRegistry prometheus;
    private final UdpSockets udp;
    private final byte[] token;
    private final BooleanSupplier ready;
    private final BooleanSupplier stopping;
    private final AtomicInteger open = new AtomicInteger();
    /** Per open connection, the timer that closes it if the request it is expected to send does not arrive in time. */
    private final Map<HttpConnection, Long> deadlines = new ConcurrentHashMap<>();

    public AdminServer(InetSocketAddress bind, String token, CamelContext camel, AdminViews views, ReloadCoordinator reloads,
                       PrometheusMeterRegistry prometheus, UdpSockets udp, BooleanSupplier ready, BooleanSupplier stopping,
                       HttpLimits limits) {
        this.bind = bind;
        this.limits = limits;
        this.camel = camel;
        this.views = views;
        this.reloads = reloads;
        this.prometheus = prometheus;
        this.udp = udp;
        this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.ready = ready;
        this.stopping = stopping;
        this.vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(limits.threads())
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
        this.adminLane = vertx.createSharedWorkerExecutor("caravan-http", limits.threads(), 10, TimeUnit.MINUTES);
        this.healthLane = vertx.createSharedWorkerExecutor("caravan-http-health", 1, 1, TimeUnit.MINUTES);
        Router router = router();
        this.server = vertx.createHttpServer(new HttpServerOptions()
                        .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, limits.idleTimeout().toMillis()))
                        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                        .setMaxInitialLineLength(limits.maxHeaderBytes())
                        .setMaxHeaderSize(limits.maxHeaderBytes())
                        // HTTP/1.1 only: an h2c sniffer would hold a connection unclassified, and outside its deadline, until it sent bytes.
                        .setHttp2ClearTextEnabled(false)
                        .setCompressionSupported(false)
                        .setDecompressionSupported(false)
                        .setHandle100ContinueAutomatically(false))
                .connectionHandler(this::accepted)
                .invalidRequestHandler(this::invalid)
                .requestHandler(router);
        camel.getRegistry().bind(VertxPlatformHttpRouter.PLATFORM_HTTP_ROUTER_NAME_ZERO,
                new VertxPlatformHttpRouter(null, vertx, router, VertxPlatformHttpRouter.PLATFORM_HTTP_ROUTER_NAME_ZERO));
    }

    private Router router() {
        Router router = Router.router(vertx);
        // In order: the body (capped), then the connection's read deadline is met, then Caravan's paths;
        // anything else falls through to routes Camel's platform-http adds, and last to 404.
        router.route().handler(BodyHandler.create(false).setBodyLimit(limits.maxBodyBytes()));
        // A client that hung up (often one refused above) is nothing to report.
        router.route().failureHandler(ctx -> {
            if (ctx.response().ended() || ctx.response().closed()) {
                LOG.debug("HTTP request {} ended early: {}", ctx.request().uri(), String.valueOf(ctx.failure()));
            } else {
                ctx.next();
            }
        });
        router.route().handler(this::received);
        router.route().handler(this::dispatch);
        router.errorHandler(404, ctx -> send(ctx, 404, Map.of("error", "no such resource: " + ctx.request().path())));
        router.errorHandler(413, ctx -> refuse(ctx, 413, "request body over " + limits.maxBodyBytes()
                + " bytes (caravan.http.max.body.bytes)"));
        router.errorHandler(500, ctx -> {
            Throwable e = ctx.failure();
            LOG.warn("HTTP request {} failed", ctx.request().uri(), e);
            send(ctx, 500, Map.of("error", String.valueOf(e == null ? "internal error" : e.getMessage())));
        });
        return router;
    }

    public void start() throws IOException {
        try {
            server.listen(bind.getPort(), bind.getHostString()).toCompletionStage().toCompletableFuture()
                    .get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            close();
            throw new IOException("cannot listen on " + bind + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            close();
            throw new IOException("cannot listen on " + bind + ": no answer within " + START_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding " + bind, e);
        }
        LOG.info("HTTP (health, metrics, admin) listening on {}: read timeout {} ms, idle timeout {} ms, headers up to {} bytes,"
                        + " bodies up to {} bytes, {} connections, {} admin threads", address(), limits.readTimeout().toMillis(),
                limits.idleTimeout().toMillis(), limits.maxHeaderBytes(), limits.maxBodyBytes(), limits.maxConnections(),
                limits.threads());
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(bind.getAddress(), server.actualPort());
    }

    /** Open connections right now. */
    public int openConnections() {
        return open.get();
    }

    // ---- connections: cap and read deadline -------------------------------------------------

    private void accepted(HttpConnection conn) {
        if (open.incrementAndGet() > limits.maxConnections()) {
            open.decrementAndGet();
            conn.close();
            return;
        }
        conn.closeHandler(v -> {
            open.decrementAndGet();
            Long timer = deadlines.remove(conn);
            if (timer != null) {
                vertx.cancelTimer(timer);
            }
        });
        arm(conn);
    }

    /** From now on, the connection has the read timeout to deliver a whole request. */
    private void arm(HttpConnection conn) {
        long timer = vertx.setTimer(limits.readTimeout().toMillis(), id -> {
            if (deadlines.remove(conn, id)) {
                LOG.debug("Closing HTTP connection from {}: no complete request within {} ms", conn.remoteAddress(),
                        limits.readTimeout().toMillis());
                conn.close();
            }
        });
        Long previous = deadlines.put(conn, timer);
        if (previous != null) {
            vertx.cancelTimer(previous);
        }
    }

    /** The whole request is in: its deadline is met, and the next one starts when this answer is sent. */
    private void received(RoutingContext ctx) {
        HttpConnection conn = ctx.request().connection();
        Long timer = deadlines.remove(conn);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
        ctx.addEndHandler(v -> {
            if (!ctx.response().closed()) {
                arm(conn);
            }
        });
        ctx.next();
    }

    /** A request Netty could not decode: too long a line or headers, or not HTTP. */
    private void invalid(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        int status;
        String error;
        if (cause instanceof TooLongHttpLineException) {
            status = 414;
            error = "request line over " + limits.maxHeaderBytes() + " bytes (caravan.http.max.header.bytes)";
        } else if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
            status = 431;
            error = "request headers over " + limits.maxHeaderBytes() + " bytes (caravan.http.max.header.bytes)";
        } else {
            status = 400;
            error = "not a valid HTTP request";
        }
        byte[] body = bytes(Map.of("error", error));
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json").putHeader("Connection", "close")
                .end(Buffer.buffer(body)).onComplete(v -> request.connection().close());
    }

    // ---- requests -------------------------------------------------------------------------------

    private static boolean ours(String path) {
        return path.equals("/health") || path.startsWith("/health/") || path.equals("/metrics") || path.equals("/admin")
                || path.startsWith("/admin/");
    }

    private void dispatch(RoutingContext ctx) {
        String path = ctx.request().path().replaceAll("/+$", "");
        if (!ours(path)) {
            ctx.next();
            return;
        }
        HttpMethod method = ctx.request().method();
        if (method.equals(HttpMethod.GET)) {
            get(ctx, path);
        } else if (method.equals(HttpMethod.POST)) {
            if (authorized(ctx)) {
                answer(ctx, adminLane, () -> post(path));
            }
        } else {
            send(ctx, 405, Map.of("error", "method " + method + " not allowed"));
        }
    }

    /** What a blocking lane hands back to the event loop to send. */
    private record Reply(int status, String contentType, byte[] body) {
    }

    private Reply reply(int status, Object body) {
        return new Reply(status, "application/json", bytes(body));
    }

    private void get(RoutingContext ctx, String path) {
        switch (path) {
            case "/health/live" -> send(ctx, 200, Map.of("status", "UP"));
            case "/health", "/health/ready" -> answer(ctx, healthLane, () -> {
                boolean started = ready.getAsBoolean();
                boolean leaving = stopping.getAsBoolean();
                Map<String, Object> health = views.health(started, leaving);
                return reply("DOWN".equals(health.get("status")) ? 503 : 200, health);
            });
            case "/metrics" -> answer(ctx, adminLane, () -> new Reply(200, "text/plain; version=0.0.4; charset=utf-8",
                    SecretMask.mask(prometheus.scrape()).getBytes(StandardCharsets.UTF_8)));
            default -> answer(ctx, adminLane, () -> admin(path));
        }
    }

    private Reply admin(String path) {
        switch (path) {
            case "/admin/routes" -> {
                return reply(200, views.routes());
            }
            case "/admin/files" -> {
                return reply(200, views.files());
            }
            case "/admin/plugins" -> {
                return reply(200, views.plugins());
            }
            case "/admin/stages" -> {
                return reply(200, views.stages());
            }
            case "/admin/stages/status" -> {
                return reply(200, views.stageStatus());
            }
            case "/admin/sinks" -> {
                return reply(200, views.sinks());
            }
            case "/admin/reloads" -> {
                return reply(200, views.reloads());
            }
            case "/admin/udp" -> {
                return reply(200, Map.of("sockets", udp.sockets(), "hostRcvbufErrors", udp.rcvbufErrors()));
            }
            default -> {
                if (path.startsWith("/admin/routes/")) {
                    Route r = camel.getRoute(path.substring("/admin/routes/".length()));
                    if (r != null) {
                        return reply(200, views.route(r));
                    }
                }
                return reply(404, Map.of("error", "no such resource: " + path));
            }
        }
    }

    private Reply post(String path) {
        if (path.equals("/admin/reload")) {
            reloads.reloadAll();
            return reply(200, Map.of("files", views.files(), "plugins", views.plugins()));
        }
        String[] parts = path.split("/");
        // /admin/routes/{id}/{stop|start}
        if (parts.length == 5 && parts[1].equals("admin") && parts[2].equals("routes")) {
            String id = parts[3];
            if (camel.getRoute(id) == null) {
                return reply(404, Map.of("error", "no route '" + id + "'"));
            }
            try {
                switch (parts[4]) {
                    case "stop" -> camel.getRouteController().stopRoute(id);
                    case "start" -> camel.getRouteController().startRoute(id);
                    default -> {
                        return reply(404, Map.of("error", "unknown action '" + parts[4] + "'; use stop or start"));
                    }
                }
            } catch (Exception e) {
                return reply(409, Map.of("error", "route '" + id + "': " + e.getMessage()));
            }
            return reply(200, views.route(camel.getRoute(id)));
        }
        return reply(404, Map.of("error", "no such action: " + path));
    }

    private boolean authorized(RoutingContext ctx) {
        if (token == null) {
            send(ctx, 403, Map.of("error", "mutating admin calls are disabled: set caravan.admin.token (or CARAVAN_ADMIN_TOKEN)"));
            return false;
        }
        String header = ctx.request().getHeader("Authorization");
        byte[] given = header != null && header.startsWith("Bearer ")
                ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(given, token)) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            send(ctx, 401, Map.of("error", "missing or wrong bearer token"));
            return false;
        }
        return true;
    }

    /** Computes the answer on a lane (never on the event loop) and sends it from the event loop. */
    private void answer(RoutingContext ctx, WorkerExecutor lane, Callable<Reply> work) {
        Future<Reply> f = lane.executeBlocking(work, false);
        f.onComplete(ar -> {
            if (ar.succeeded()) {
                Reply r = ar.result();
                write(ctx, r.status(), r.contentType(), r.body());
            } else {
                LOG.warn("Admin request {} failed", ctx.request().uri(), ar.cause());
                send(ctx, 500, Map.of("error", String.valueOf(ar.cause().getMessage())));
            }
        });
    }

    private void send(RoutingContext ctx, int status, Object body) {
        write(ctx, status, "application/json", bytes(body));
    }

    /** Answers and closes the connection: what is left of the request is not worth reading. */
    private void refuse(RoutingContext ctx, int status, String error) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status).putHeader("Content-Type", "application/json").putHeader("Connection", "close")
                .end(Buffer.buffer(bytes(Map.of("error", error)))).onComplete(v -> ctx.request().connection().close());
    }

    private static void write(RoutingContext ctx, int status, String contentType, byte[] body) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status).putHeader("Content-Type", contentType).end(Buffer.buffer(body));
    }

    private byte[] bytes(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** JSON whose every string value has been through {@link SecretMask}. */
    private static ObjectMapper maskingMapper() {
        SimpleModule masking = new SimpleModule("caravan-secret-mask");
        masking.addSerializer(String.class, new StdSerializer<>(String.class) {
            @Override
            public void serialize(String value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(SecretMask.mask(value));
            }
        });
        return new ObjectMapper().registerModule(new JavaTimeModule()).registerModule(masking)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);
    }

    @Override
    public void close() {
        try {
            camel.getRegistry().unbind(VertxPlatformHttpRouter.PLATFORM_HTTP_ROUTER_NAME_ZERO);
        } catch (RuntimeException e) {
            LOG.debug("Unbinding the platform-http router failed: {}", e.toString());
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("HTTP server did not close cleanly: {}", e.toString());
        }
    }
}
