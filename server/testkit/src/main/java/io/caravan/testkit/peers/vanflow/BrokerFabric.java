package io.caravan.testkit.peers.vanflow;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.proton.ProtonClient;
import io.vertx.proton.ProtonConnection;
import io.vertx.proton.ProtonQoS;
import io.vertx.proton.ProtonReceiver;
import io.vertx.proton.ProtonSender;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.qpid.proton.message.Message;

/**
 * An event source's way to collectors through an AMQP 1.0 broker (the embedded {@link ArtemisBroker}):
 * one vertx-proton client connection, a pre-settled sender per address (the broker routes
 * {@code mc/...} multicast and discards what nobody subscribed to) and a receiver per direct address.
 * {@link #reconnect()} re-establishes all of it after a broker restart.
 */
public final class BrokerFabric implements Fabric, AutoCloseable {
    private final String host;
    private final int port;
    private final Vertx vertx;
    private final Context context;
    private final Map<String, ProtonSender> senders = new HashMap<>();
    private final Map<String, Consumer<Message>> direct = new ConcurrentHashMap<>();
    private ProtonConnection connection;

    public BrokerFabric(String host, int port) {
        this.host = host;
        this.port = port;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        this.context = vertx.getOrCreateContext();
        reconnect();
    }

    /** (Re)connects and re-attaches the direct receivers. */
    public void reconnect() {
        CompletableFuture<ProtonConnection> f = new CompletableFuture<>();
        context.runOnContext(v -> {
            senders.clear();
            if (connection != null) {
                connection.disconnect();
            }
            ProtonClient.create(vertx).connect(host, port, ar -> {
                if (ar.failed()) {
                    f.completeExceptionally(ar.cause());
                    return;
                }
                ProtonConnection c = ar.result();
                c.openHandler(o -> {
                    if (o.succeeded()) {
                        f.complete(c);
                    } else {
                        f.completeExceptionally(o.cause());
                    }
                });
                c.open();
            });
        });
        connection = f.orTimeout(10, TimeUnit.SECONDS).join();
        for (Map.Entry<String, Consumer<Message>> e : direct.entrySet()) {
            attach(e.getKey(), e.getValue());
        }
    }

    @Override
    public void publish(String address, Message message) {
        on(() -> {
            ProtonSender s = senders.computeIfAbsent(address, a -> {
                ProtonSender n = connection.createSender(a);
                n.setQoS(ProtonQoS.AT_MOST_ONCE);
                n.open();
                return n;
            });
            s.send(message);
            return null;
        });
    }

    @Override
    public boolean listening(String address) {
        return true;
    }

    @Override
    public void onDirect(String address, Consumer<Message> handler) {
        direct.put(address, handler);
        attach(address, handler);
    }

    private void attach(String address, Consumer<Message> handler) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        context.runOnContext(v -> {
            ProtonReceiver r = connection.createReceiver(address);
            r.handler((delivery, m) -> handler.accept(m));
            r.openHandler(ar -> f.complete(null));
            r.open();
        });
        f.orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Override
    public void close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        vertx.close(ar -> done.complete(null));
        done.orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
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
