package io.caravan.testkit.peers.vanflow;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.proton.ProtonConnection;
import io.vertx.proton.ProtonQoS;
import io.vertx.proton.ProtonReceiver;
import io.vertx.proton.ProtonSender;
import io.vertx.core.Handler;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.proton.ProtonServer;
import io.vertx.proton.ProtonServerOptions;
import io.vertx.proton.sasl.ProtonSaslAuthenticator;
import java.nio.file.Path;
import org.apache.qpid.proton.engine.Sasl;
import org.apache.qpid.proton.engine.Transport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.Source;
import org.apache.qpid.proton.amqp.messaging.Target;
import org.apache.qpid.proton.message.Message;

/**
 * A listener that speaks AMQP 1.0 as a Skupper router's does, for collectors that connect straight
 * to it (no broker): a receiver a collector attaches gets every message published to its source
 * address (multicast, pre-settled); a message whose link has no credit left is dropped, as the
 * router drops pre-settled deliveries when a link's backlog is full; messages a collector sends to
 * an address (FLUSH to {@code sfe.<id>}) go to the handler registered for it. It records every
 * link attach with its address and capabilities exactly as they arrived on the wire. Built on
 * vertx-proton (proton-j 0.34) on one event-loop thread.
 */
public final class RouterListener implements Fabric, AutoCloseable {

    /**
     * One link a collector attached.
     *
     * @param role         the collector's end: {@code receiver} or {@code sender}
     * @param address      the source (receiver) or target (sender) address as sent
     * @param capabilities the terminus capabilities as sent
     */
    public record Attach(String role, String address, List<String> capabilities) {
    }

    private final Vertx vertx;
    private final Context context;
    private final ProtonServer server;
    private final Map<String, List<ProtonSender>> subscribers = new ConcurrentHashMap<>();
    private final Map<String, Consumer<Message>> direct = new ConcurrentHashMap<>();
    private final List<Attach> attaches = new CopyOnWriteArrayList<>();
    private final List<ProtonConnection> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger dropped = new AtomicInteger();

    private final List<String> saslMechanisms = new CopyOnWriteArrayList<>();
    private final boolean tls;

    private RouterListener(ProtonServerOptions options) {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        context = vertx.getOrCreateContext();
        tls = options.isSsl();
        server = ProtonServer.create(vertx, options);
        if (tls) {
            server.saslAuthenticatorFactory(External::new);
        }
        server.connectHandler(this::accepted);
    }

    /** Starts listening on 127.0.0.1 at a free port. */
    public static RouterListener start() {
        return start(new ProtonServerOptions());
    }

    /**
     * Starts an amqps listener as Skupper's local router listener is set up: TLS with a client
     * certificate signed by {@code ca} required, SASL EXTERNAL.
     */
    public static RouterListener startTls(Path cert, Path key, Path ca) {
        return start(new ProtonServerOptions().setSsl(true)
                .setPemKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString()))
                .setPemTrustOptions(new PemTrustOptions().addCertPath(ca.toString()))
                .setClientAuth(ClientAuth.REQUIRED));
    }

    /** The SASL mechanisms clients chose, in order (amqps listeners only). */
    public List<String> saslMechanisms() {
        return List.copyOf(saslMechanisms);
    }

    /** SASL EXTERNAL on a TLS connection whose client presented a certificate (TLS already checked it). */
    private final class External implements ProtonSaslAuthenticator {
        private Sasl sasl;
        private boolean ok;

        @Override
        public void init(NetSocket socket, ProtonConnection connection, Transport transport) {
            sasl = transport.sasl();
            sasl.server();
            sasl.allowSkip(false);
            sasl.setMechanisms("EXTERNAL");
        }

        @Override
        public void process(Handler<Boolean> done) {
            String[] chosen = sasl.getRemoteMechanisms();
            if (chosen.length == 0) {
                done.handle(false);
                return;
            }
            saslMechanisms.add(chosen[0]);
            ok = "EXTERNAL".equals(chosen[0]);
            sasl.done(ok ? Sasl.SaslOutcome.PN_SASL_OK : Sasl.SaslOutcome.PN_SASL_AUTH);
            done.handle(true);
        }

        @Override
        public boolean succeeded() {
            return ok;
        }
    }

    private static RouterListener start(ProtonServerOptions options) {
        RouterListener r = new RouterListener(options);
        CompletableFuture<Void> up = new CompletableFuture<>();
        r.context.runOnContext(v -> r.server.listen(0, "127.0.0.1", ar -> {
            if (ar.succeeded()) {
                up.complete(null);
            } else {
                up.completeExceptionally(ar.cause());
            }
        }));
        up.orTimeout(10, TimeUnit.SECONDS).join();
        return r;
    }

    public int port() {
        return server.actualPort();
    }

    /** {@code amqp://127.0.0.1:<port>}. */
    public String url() {
        return (tls ? "amqps" : "amqp") + "://127.0.0.1:" + port();
    }

    /** Every link attached so far, in order. */
    public List<Attach> attaches() {
        return List.copyOf(attaches);
    }

    /** Messages dropped because the receiving link had no credit. */
    public int dropped() {
        return dropped.get();
    }

    /** Connections open now. */
    public int connections() {
        return connections.size();
    }

    /** Drops every connection (as a router restart would), without closing the listener. */
    public void disconnectAll() {
        on(() -> {
            for (ProtonConnection c : connections) {
                c.disconnect();
            }
            connections.clear();
            subscribers.clear();
            return null;
        });
    }

    @Override
    public void publish(String address, Message message) {
        on(() -> {
            for (ProtonSender s : subscribers.getOrDefault(address, List.of())) {
                if (s.sendQueueFull()) {
                    dropped.incrementAndGet();
                } else {
                    s.send(message);
                }
            }
            return null;
        });
    }

    @Override
    public boolean listening(String address) {
        return !subscribers.getOrDefault(address, List.of()).isEmpty();
    }

    @Override
    public void onDirect(String address, Consumer<Message> handler) {
        direct.put(address, handler);
    }

    @Override
    public void close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        vertx.close(ar -> done.complete(null));
        done.orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }

    private void accepted(ProtonConnection c) {
        connections.add(c);
        c.openHandler(ar -> c.setContainer("caravan-test-router").open());
        c.closeHandler(ar -> {
            forget(c);
            c.close();
        });
        c.disconnectHandler(x -> forget(c));
        c.sessionOpenHandler(s -> s.open());
        c.senderOpenHandler(sender -> {
            Source source = (Source) sender.getRemoteSource();
            String address = source == null ? null : source.getAddress();
            attaches.add(new Attach("receiver", address, names(source == null ? null : source.getCapabilities())));
            sender.setSource(source);
            sender.setQoS(ProtonQoS.AT_MOST_ONCE);
            sender.closeHandler(ar -> {
                unsubscribe(sender);
                sender.close();
            });
            sender.detachHandler(ar -> {
                unsubscribe(sender);
                sender.detach();
            });
            sender.open();
            if (address != null) {
                subscribers.computeIfAbsent(address, a -> new CopyOnWriteArrayList<>()).add(sender);
            }
        });
        c.receiverOpenHandler(receiver -> {
            Target target = (Target) receiver.getRemoteTarget();
            String address = target == null ? null : target.getAddress();
            attaches.add(new Attach("sender", address, names(target == null ? null : target.getCapabilities())));
            receiver.setTarget(target);
            receiver.setQoS(receiver.getRemoteQoS());
            receiver.handler((delivery, message) -> {
                String to = address != null ? address : message.getAddress();
                Consumer<Message> h = to == null ? null : direct.get(to);
                if (h != null) {
                    h.accept(message);
                }
            });
            receiver.closeHandler(ar -> receiver.close());
            receiver.open();
        });
    }

    private void forget(ProtonConnection c) {
        connections.remove(c);
        for (List<ProtonSender> l : subscribers.values()) {
            l.removeIf(s -> s.getSession().getConnection() == c);
        }
    }

    private void unsubscribe(ProtonSender sender) {
        for (List<ProtonSender> l : subscribers.values()) {
            l.remove(sender);
        }
    }

    private static List<String> names(Symbol[] symbols) {
        if (symbols == null) {
            return List.of();
        }
        return new ArrayList<>(Arrays.stream(symbols).map(Symbol::toString).toList());
    }

    private <T> T on(Supplier<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                f.complete(work.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f.orTimeout(10, TimeUnit.SECONDS).join();
    }
}
