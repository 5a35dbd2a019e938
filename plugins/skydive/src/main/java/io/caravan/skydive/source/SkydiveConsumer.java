package io.caravan.skydive.source;

import io.caravan.skydive.analyzer.Analyzer;
import io.caravan.skydive.analyzer.AnalyzerAuth;
import io.caravan.skydive.analyzer.AnalyzerRefusal;
import io.caravan.skydive.analyzer.AuthMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;

/**
 * Subscribes for one route: starting schedules the first connection attempt and returns (an
 * analyzer that is down does not fail the route; the consumer keeps trying). Each attempt logs in
 * if asked to, upgrades {@code /ws/subscriber/flow} with the X-Client-Type, X-Client-Protocol,
 * X-Host-ID and X-Websocket-Namespace headers, and from then on every message goes through the
 * {@link FrameHandler} into the route on the client's callback thread, one at a time. A failed
 * attempt or a lost connection schedules the next one after the {@link Backoff}'s wait, and says
 * why in one WARN line (the reason in plain words, never a credential).
 */
final class SkydiveConsumer extends DefaultConsumer implements Subscription.Sink {
    private static final long STOP_WAIT_SECONDS = 5;
    private final SkydiveEndpoint endpoint;
    private final SkydiveConfiguration config;
    private final Analyzer analyzer;
    private final String address;
    private final String hostId;
    private final SkydiveCounts counts;
    private final ConnectionStatus status;
    private final FrameHandler frames;
    private final Logger log;

    private final Object lock = new Object();
    /** Guarded by lock. */
    private boolean running;
    private ScheduledExecutorService scheduler;
    private ExecutorService callbacks;
    private HttpClient http;
    private AnalyzerAuth auth;
    private Backoff backoff;
    private ScheduledFuture<?> pending;
    /** Null when queueSize is 0 (the route runs on the reader). */
    private volatile RouteQueue routeQueue;
    private WebSocket socket;
    private Subscription subscription;
    private long connectedAtNanos;
    private boolean everConnected;
    /** The analyzer's address as last resolved: the Origin of its batches. Written by the connect thread. */
    private volatile InetSocketAddress origin;

    SkydiveConsumer(SkydiveEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.config = endpoint.getConfiguration();
        this.analyzer = config.analyzer();
        this.address = analyzer.address();
        this.hostId = endpoint.hostId();
        this.counts = endpoint.counts();
        this.status = endpoint.connectionStatus();
        this.log = endpoint.logger("consumer");
        this.frames = new FrameHandler(address, endpoint.decoder(), counts, endpoint.clock(), endpoint.logger("decode"));
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // First, so a trust store that cannot be loaded fails the start before any thread exists.
        javax.net.ssl.SSLContext tls = analyzer.tls()
                ? io.caravan.skydive.analyzer.TrustStores.context(config.trustStore(), config.trustStorePassword())
                : null;
        synchronized (lock) {
            running = true;
            String name = "caravan-skydive-" + address;
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-connect"));
            callbacks = Executors.newCachedThreadPool(r -> daemon(r, name + "-ws"));
            HttpClient.Builder hb = HttpClient.newBuilder().executor(callbacks).connectTimeout(config.connectTimeout());
            if (tls != null) {
                hb.sslContext(tls);
            }
            http = hb.build();
            auth = new AnalyzerAuth(analyzer, http, config.connectTimeout());
            backoff = new Backoff(config.reconnectDelay(), config.maxReconnectDelay());
            routeQueue = config.queueSize() == 0 ? null : new RouteQueue(config.queueSize(), this::route, address,
                    name + "-route", log);
            everConnected = false;
            status.set(ConnectionStatus.State.CONNECTING);
            pending = scheduler.schedule(this::connect, 0, TimeUnit.MILLISECONDS);
        }
        endpoint.attach(this);
        log.info("{}: subscribing to {} on namespace {} as host id {} ({} envelopes{})", address, SkydiveConstants.PATH,
                config.namespace(), hostId, config.protocolHeader(), analyzer.hasCredentials() ? ", user "
                        + analyzer.username() + " by " + (analyzer.authMode() == AuthMode.BASIC ? "basic auth"
                        : "login cookie") : ", no credentials");
    }

    @Override
    protected void doStop() throws Exception {
        WebSocket ws;
        ScheduledExecutorService s;
        ExecutorService c;
        synchronized (lock) {
            running = false;
            if (pending != null) {
                pending.cancel(false);
            }
            ws = socket;
            socket = null;
            if (subscription != null) {
                subscription.abandon();
                subscription = null;
            }
            s = scheduler;
            c = callbacks;
        }
        if (ws != null) {
            counts.closed();
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "caravan stopping").get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.debug("{}: close handshake did not complete: {}", address, Subscription.describe(e));
            }
            ws.abort();
        }
        if (s != null) {
            s.shutdownNow();
            s.awaitTermination(5, TimeUnit.SECONDS);
        }
        RouteQueue q = routeQueue;
        if (q != null) {
            // The socket is closed: nothing more is queued, and what is already queued still goes through the route.
            q.close(System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_WAIT_SECONDS));
            routeQueue = null;
        }
        if (c != null) {
            c.shutdown();
            if (!c.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                log.warn("{}: a message was still in the route 5 s after the stop; it ends when its exchange does",
                        address);
            }
        }
        status.set(ConnectionStatus.State.STOPPED);
        endpoint.detach(this);
        log.info("{}: unsubscribed ({} messages, {} flows, {} decode errors, {} reconnects so far)", address,
                counts.messages(), counts.flows(), counts.envelopeErrors() + counts.flowErrors() + counts.oversize(),
                counts.reconnects());
        super.doStop();
    }

    /** One connection attempt, on the connect thread. */
    private void connect() {
        synchronized (lock) {
            if (!running) {
                return;
            }
            status.set(ConnectionStatus.State.CONNECTING);
        }
        Subscription sub = new Subscription(this, config.maxMessageBytes());
        WebSocket ws;
        java.util.concurrent.CompletableFuture<WebSocket> opening = null;
        try {
            origin = resolve();
            WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(config.connectTimeout())
                    .header("X-Client-Type", config.clientType())
                    .header("X-Client-Protocol", config.protocolHeader())
                    .header("X-Host-ID", hostId)
                    .header("X-Websocket-Namespace", config.namespace());
            auth.header().ifPresent(h -> b.header(h.getKey(), h.getValue()));
            opening = b.buildAsync(analyzer.webSocketUri(SkydiveConstants.PATH), sub);
            ws = opening.get(config.connectTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            abandon(opening, sub);
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            abandon(opening, sub);
            failed(e);
            return;
        }
        synchronized (lock) {
            if (!running) {
                sub.abandon();
                ws.abort();
                return;
            }
            socket = ws;
            subscription = sub;
            connectedAtNanos = System.nanoTime();
            counts.opened();
            status.set(ConnectionStatus.State.CONNECTED);
            everConnected = true;
        }
        log.info("{}: connected to {} (namespace {}, host id {})", address, SkydiveConstants.PATH, config.namespace(),
                hostId);
    }

    /** An attempt given up on (timed out, or the consumer stopping) may still open later: close it then. */
    private static void abandon(java.util.concurrent.CompletableFuture<WebSocket> opening, Subscription sub) {
        sub.abandon();
        if (opening != null) {
            opening.thenAccept(WebSocket::abort);
        }
    }

    private InetSocketAddress resolve() {
        try {
            return new InetSocketAddress(InetAddress.getByName(analyzer.host()), analyzer.port());
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    /** A failed attempt: say why and schedule the next. */
    private void failed(Exception e) {
        Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                ? e.getCause() : e;
        String why;
        boolean authFailure;
        if (cause instanceof WebSocketHandshakeException h) {
            int code = h.getResponse().statusCode();
            why = "the upgrade was refused: " + AnalyzerRefusal.explain(code);
            authFailure = code == 401 || code == 403;
            if (code == 401) {
                auth.invalidate();
            }
        } else if (cause instanceof AnalyzerRefusal r) {
            why = r.getMessage();
            authFailure = r.isAuthFailure();
        } else if (cause instanceof TimeoutException) {
            why = "no answer within " + config.connectTimeout().toMillis() + " ms";
            authFailure = false;
        } else {
            why = "cannot connect: " + Subscription.describe(cause);
            authFailure = false;
        }
        retry(why, authFailure);
    }

    private void retry(String why, boolean authFailure) {
        Duration wait;
        synchronized (lock) {
            if (!running) {
                return;
            }
            wait = backoff.next(authFailure);
            status.waiting(why, endpoint.clock().instant().plus(wait));
            counts.reconnect();
            pending = scheduler.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
        }
        log.warn("{}: {}; retrying in {} ms{}", address, why, wait.toMillis(),
                everConnected ? "" : " (not connected yet)");
    }

    @Override
    public void text(String text) {
        deliver(frames.text(text, origin));
    }

    @Override
    public void binary(byte[] bytes, int length) {
        deliver(frames.binary(bytes, length, origin));
    }

    @Override
    public void oversize(long size) {
        frames.oversize(size, config.maxMessageBytes());
    }

    /** On the reader: a batch goes to the route queue, or straight into the route when there is none. */
    private void deliver(FrameHandler.Result result) {
        if (result.batch() == null) {
            return;
        }
        RouteQueue q = routeQueue;
        if (q == null) {
            route(result);
            return;
        }
        try {
            q.put(result);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("{}: a message was not handed to the route: the consumer is stopping", address);
        }
    }

    /** One batch through the route, on the route thread (or the reader when queueSize is 0). */
    private void route(FrameHandler.Result result) {
        Exchange exchange = createExchange(false);
        try {
            exchange.getMessage().setBody(result.batch());
            exchange.getMessage().setHeader(SkydiveConstants.HEADER_NAMESPACE, result.namespace());
            exchange.getMessage().setHeader(SkydiveConstants.HEADER_ANALYZER, address);
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            counts.processError();
            getExceptionHandler().handleException("skydive " + address + ": the route failed on a message",
                    exchange, exchange.getException());
        }
        releaseExchange(exchange, false);
    }

    @Override
    public void ended(Subscription sub, String why) {
        synchronized (lock) {
            if (sub != subscription) {
                return;
            }
            subscription = null;
            WebSocket ws = socket;
            socket = null;
            counts.closed();
            if (ws != null) {
                ws.abort();
            }
            // A connection that stayed up a while was working: start the backoff again from the first wait.
            if (System.nanoTime() - connectedAtNanos > TimeUnit.SECONDS.toNanos(30)) {
                backoff.reset();
            }
        }
        retry(why, false);
    }

    /** For the endpoint's status: the host id this subscriber sends. */
    Map<String, Object> view() {
        return status.view();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
