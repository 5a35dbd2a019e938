package io.caravan.vanflow.amqp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.Source;
import org.apache.qpid.proton.amqp.messaging.Target;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.amqp.transport.ReceiverSettleMode;
import org.apache.qpid.proton.amqp.transport.SenderSettleMode;
import org.apache.qpid.proton.engine.Collector;
import org.apache.qpid.proton.engine.Connection;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.EndpointState;
import org.apache.qpid.proton.engine.Event;
import org.apache.qpid.proton.engine.Link;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.engine.Sasl;
import org.apache.qpid.proton.engine.Sender;
import org.apache.qpid.proton.engine.Session;
import org.apache.qpid.proton.engine.Transport;

/**
 * One AMQP 1.0 connection to a router: proton-j's engine on a Netty channel, with receivers and
 * FLUSH senders opened and closed at run time as event sources come and go.
 *
 * <p>Why the engine and not Qpid JMS (which camel-amqp is built on, and which brings proton-j and
 * Netty to the server): Qpid JMS decodes every message with proton-j's fast-path codec, which
 * rejects application properties whose keys are AMQP symbols, and the Skupper router writes
 * BEACON and HEARTBEAT keys as symbols, so Qpid JMS drops them ("Error on transform") and no source
 * is ever discovered. The engine hands over each delivery's bytes, which
 * {@link io.caravan.vanflow.wire.MessageCodec} decodes generically. It also puts addresses on the
 * wire exactly as given (no {@code topic://}/{@code queue://} prefix, no capabilities), asks for
 * pre-settled deliveries and tops the credit up as fast as deliveries arrive.
 *
 * <p>All engine work runs on the connection's own Netty event loop; the public methods hand work
 * to it and may be called from any thread. Delivery bytes reach the handler on that loop.
 */
public final class AmqpClient implements AutoCloseable {
    private final AmqpSettings settings;
    private final Consumer<Exception> lost;
    private final EventLoopGroup group;
    private final Connection connection = Connection.Factory.create();
    private final Transport transport = Transport.Factory.create();
    private final Collector collector = Collector.Factory.create();
    private final Map<String, Receiver> receivers = new HashMap<>();
    private final Map<String, Sender> senders = new HashMap<>();
    private final Map<Sender, ArrayDeque<byte[]>> pending = new HashMap<>();
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private Session session;
    private Channel channel;
    private boolean failed;
    private long tag;

    /**
     * Connects and opens the connection; blocks until the router has answered the open or the
     * connect timeout passed.
     *
     * @param lost called once (on the connection's event loop) when an open connection fails or the peer closes it
     * @throws IOException when the connection cannot be established
     */
    public AmqpClient(AmqpSettings settings, Consumer<Exception> lost) throws IOException {
        this.settings = settings;
        this.lost = lost;
        this.group = new NioEventLoopGroup(1, r -> {
            Thread t = new Thread(r, "vanflow-amqp-" + settings.host() + ":" + settings.port());
            t.setDaemon(true);
            return t;
        });
        try {
            start();
            opened.get(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            close();
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            close();
            throw new IOException("no AMQP open from " + settings.host() + ":" + settings.port() + " within "
                    + settings.connectTimeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting", e);
        } catch (RuntimeException e) {
            close();
            throw new IOException(e.getMessage(), e);
        }
    }

    private void start() {
        transport.setIdleTimeout(60_000);
        Sasl sasl = transport.sasl();
        sasl.client();
        sasl.setMechanisms(settings.saslMechanism());
        transport.bind(connection);
        connection.collect(collector);
        connection.setHostname(settings.host());
        connection.setContainer(settings.container());
        connection.open();
        session = connection.session();
        session.setIncomingCapacity(Integer.MAX_VALUE);
        session.open();

        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        settings.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) throws Exception {
                        if (settings.tls()) {
                            SSLContext ctx = settings.sslContext() != null ? settings.sslContext()
                                    : SSLContext.getDefault();
                            SSLEngine engine = ctx.createSSLEngine(settings.host(), settings.port());
                            engine.setUseClientMode(true);
                            if (settings.verifyHost()) {
                                SSLParameters p = engine.getSSLParameters();
                                p.setEndpointIdentificationAlgorithm("HTTPS");
                                engine.setSSLParameters(p);
                            }
                            ch.pipeline().addLast(new SslHandler(engine));
                        }
                        ch.pipeline().addLast(new Io());
                    }
                });
        ChannelFuture f = b.connect(settings.host(), settings.port());
        f.addListener(done -> {
            if (!done.isSuccess()) {
                Throwable c = done.cause();
                opened.completeExceptionally(new IOException("cannot connect to " + settings.host() + ":"
                        + settings.port() + ": " + c.getMessage(), c));
            }
        });
        channel = f.channel();
        channel.eventLoop().scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Attaches a receiver to {@code address} (no-op when attached): source address exactly as given,
     * pre-settled deliveries, {@code credit} credit topped up as deliveries are taken.
     *
     * @param handler called per delivery, on the event loop, with the address and the message's bytes
     */
    public void receive(String address, BiConsumer<String, byte[]> handler) {
        onLoop(() -> {
            if (receivers.containsKey(address)) {
                return;
            }
            Receiver r = session.receiver("vanflow-" + address);
            Source source = new Source();
            source.setAddress(address);
            r.setSource(source);
            r.setTarget(new Target());
            r.setSenderSettleMode(SenderSettleMode.SETTLED);
            r.setReceiverSettleMode(ReceiverSettleMode.FIRST);
            r.setContext(handler);
            r.open();
            r.flow(settings.credit());
            receivers.put(address, r);
            pump();
        });
    }

    /** Detaches the receiver on {@code address}, if any. */
    public void stopReceiving(String address) {
        onLoop(() -> {
            Receiver r = receivers.remove(address);
            if (r != null) {
                r.setContext(null);
                r.close();
                pump();
            }
        });
    }

    /** Sends {@code message} (pre-settled) through a sender whose target is {@code address}; queued until it has credit. */
    public void send(String address, byte[] message) {
        onLoop(() -> {
            Sender s = senders.get(address);
            if (s == null) {
                s = session.sender("vanflow-to-" + address);
                Target target = new Target();
                target.setAddress(address);
                s.setTarget(target);
                s.setSource(new Source());
                s.setSenderSettleMode(SenderSettleMode.SETTLED);
                s.open();
                senders.put(address, s);
                pending.put(s, new ArrayDeque<>());
            }
            pending.get(s).add(message);
            drainSender(s);
            pump();
        });
    }

    /** Closes the sender to {@code address}, if any. */
    public void stopSending(String address) {
        onLoop(() -> {
            Sender s = senders.remove(address);
            if (s != null) {
                pending.remove(s);
                s.close();
                pump();
            }
        });
    }

    @Override
    public void close() {
        failed = true;
        Channel c = channel;
        if (c != null && c.isActive()) {
            c.eventLoop().execute(() -> {
                connection.close();
                pump();
                c.close();
            });
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    // ---- the engine, on the event loop ------------------------------------------------------

    private final class Io extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            pump();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                while (in.isReadable() && !failed) {
                    ByteBuffer tail = transport.tail();
                    int n = Math.min(tail.remaining(), in.readableBytes());
                    if (n <= 0) {
                        fail(new IOException("the AMQP transport refused input"));
                        return;
                    }
                    int limit = tail.limit();
                    tail.limit(tail.position() + n);
                    in.readBytes(tail);
                    tail.limit(limit);
                    transport.process();
                    events();
                }
            } catch (RuntimeException e) {
                fail(new IOException("AMQP protocol error: " + e.getMessage(), e));
            } finally {
                in.release();
            }
            pump();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail(new IOException("connection to " + settings.host() + ":" + settings.port() + " closed"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(new IOException(cause.getMessage(), cause));
            ctx.close();
        }
    }

    private void events() {
        Event e;
        while ((e = collector.peek()) != null) {
            switch (e.getType()) {
                case CONNECTION_REMOTE_OPEN -> opened.complete(null);
                case CONNECTION_REMOTE_CLOSE -> fail(new IOException("the peer closed the connection"
                        + condition(e.getConnection().getRemoteCondition())));
                case LINK_REMOTE_CLOSE, LINK_REMOTE_DETACH -> linkClosed(e.getLink());
                case DELIVERY -> delivery(e.getDelivery());
                case LINK_FLOW -> {
                    if (e.getLink() instanceof Sender s) {
                        drainSender(s);
                    }
                }
                case TRANSPORT_ERROR -> fail(new IOException("AMQP transport error"
                        + condition(e.getTransport().getCondition())));
                default -> {
                }
            }
            collector.pop();
        }
    }

    /**
     * Takes every complete delivery at the head of the link, whichever delivery raised the event
     * (a delivery raises one per frame, and several may complete in one read).
     */
    private void delivery(Delivery event) {
        if (!(event.getLink() instanceof Receiver r)) {
            return;
        }
        Delivery d;
        while ((d = r.current()) != null && d.isReadable() && !d.isPartial()) {
            byte[] bytes = new byte[d.available()];
            int n = r.recv(bytes, 0, bytes.length);
            // Advance, then settle: proton-j's settle() of the current delivery advances the link
            // itself, so settling first and advancing again would skip the next delivery.
            r.advance();
            d.settle();
            @SuppressWarnings("unchecked")
            BiConsumer<String, byte[]> handler = (BiConsumer<String, byte[]>) r.getContext();
            if (handler != null && n > 0) {
                handler.accept(((Source) r.getSource()).getAddress(), n == bytes.length ? bytes
                        : java.util.Arrays.copyOf(bytes, n));
            }
        }
        if (r.getLocalState() == EndpointState.ACTIVE && r.getCredit() < settings.credit() / 2) {
            r.flow(settings.credit() - r.getCredit());
        }
    }

    private void drainSender(Sender s) {
        ArrayDeque<byte[]> q = pending.get(s);
        while (q != null && !q.isEmpty() && s.getCredit() > 0) {
            byte[] m = q.poll();
            Delivery d = s.delivery(Long.toString(tag++).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.send(m, 0, m.length);
            s.advance();
            d.settle();
        }
    }

    private void linkClosed(Link link) {
        if (link.getLocalState() != EndpointState.CLOSED) {
            // The peer refused or dropped a link we still want: the connection is no longer what we
            // think it is, so start over (the ingest side reconnects and re-attaches).
            String where = link instanceof Receiver ? "receiver on " + ((Source) link.getSource()).getAddress()
                    : "sender to " + ((Target) link.getTarget()).getAddress();
            fail(new IOException("the peer closed the " + where + condition(link.getRemoteCondition())));
        } else {
            link.free();
        }
    }

    private void tick() {
        if (!failed) {
            transport.tick(System.currentTimeMillis());
            pump();
        }
    }

    /** Writes whatever the engine has to send. */
    private void pump() {
        Channel c = channel;
        if (c == null || !c.isActive()) {
            return;
        }
        boolean wrote = false;
        while (true) {
            int p = transport.pending();
            if (p <= 0) {
                break;
            }
            ByteBuffer head = transport.head();
            ByteBuf out = c.alloc().buffer(p);
            out.writeBytes(head.duplicate());
            int n = out.readableBytes();
            transport.pop(n);
            c.write(out);
            wrote = true;
        }
        if (wrote) {
            c.flush();
        }
        if (transport.isClosed() && !failed) {
            fail(new IOException("the AMQP transport closed" + condition(transport.getCondition())));
        }
    }

    private void fail(IOException e) {
        if (!opened.isDone()) {
            opened.completeExceptionally(e);
            failed = true;
            return;
        }
        if (!failed) {
            failed = true;
            lost.accept(e);
        }
    }

    private void onLoop(Runnable r) {
        Channel c = channel;
        if (c == null || failed) {
            return;
        }
        if (c.eventLoop().inEventLoop()) {
            r.run();
        } else {
            c.eventLoop().execute(r);
        }
    }

    private static String condition(ErrorCondition c) {
        if (c == null || c.getCondition() == null) {
            return "";
        }
        Symbol s = c.getCondition();
        return ": " + s + (c.getDescription() == null ? "" : " (" + c.getDescription() + ")");
    }
}
