package io.caravan.udp;

import io.caravan.api.flow.Datagram;
import io.caravan.api.log.LogLimit;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Netty's native epoll transport: one event-loop thread per socket, each reading up to
 * {@link #perCall} datagrams per {@code recvmmsg} call into one direct buffer of {@value #SLOT}-byte
 * slots (so no datagram is ever truncated), the same buffer for every read of a socket
 * ({@link ReusedReceiveBuffer}). The handler copies each payload out,
 * gathers a batch of up to {@code batchSize}, and hands it on when it is full or when the read loop
 * has emptied the socket; with {@code workers=0} the route runs on the event-loop thread, as it runs
 * on the NIO reader's. Coalescing works as on NIO: after a read loop that found datagrams the next
 * read is scheduled {@link Coalescing#waitNs()} later (auto-read is off), otherwise it waits for the
 * socket at once.
 */
final class EpollReceiver implements Receiver {
    /** One slot per datagram: the largest UDP payload fits. */
    static final int SLOT = UdpConstants.MAX_DATAGRAM + 1;
    /** The most datagrams one recvmmsg call reads: 32 slots are a 2 MiB buffer, within the pool's chunk. */
    static final int MAX_PER_CALL = 32;

    private final UdpConfiguration config;
    private final EpollEventLoopGroup group;
    private final List<Thread> threads;
    private final List<Channel> channels;
    private final List<Reader> readers;
    private final InetSocketAddress local;
    private final int effectiveReceiveBufferSize;
    private final int perCall;
    private final Logger log;

    private EpollReceiver(UdpConfiguration config, EpollEventLoopGroup group, List<Thread> threads,
                          List<Channel> channels, List<Reader> readers, int perCall, Logger log) {
        this.config = config;
        this.group = group;
        this.threads = threads;
        this.channels = channels;
        this.readers = readers;
        this.perCall = perCall;
        this.log = log;
        this.local = (InetSocketAddress) channels.get(0).localAddress();
        this.effectiveReceiveBufferSize = channels.get(0).config().getOption(ChannelOption.SO_RCVBUF);
    }

    /** Null when the native transport loads here, else why it does not. */
    static String unavailable() {
        try {
            return Epoll.isAvailable() ? null : String.valueOf(Epoll.unavailabilityCause());
        } catch (LinkageError e) {
            return e.toString();
        }
    }

    /** Binds {@code sockets} epoll sockets with SO_REUSEPORT; all or none. Nothing is read before {@link #start}. */
    static EpollReceiver bind(UdpConfiguration config, Clock clock, UdpCounts counts, Logger socketLog,
                              Logger readerLog) throws IOException {
        InetAddress ip = UdpSockets.resolve(config);
        int perCall = Math.max(1, Math.min(config.batchSize(), MAX_PER_CALL));
        // The loop threads, kept so that stopping can wait for them to end (the group's termination
        // future completes just before they do).
        List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        DefaultThreadFactory daemons = new DefaultThreadFactory("caravan-udp-reader", true);
        EpollEventLoopGroup group = new EpollEventLoopGroup(config.sockets(), (Runnable r) -> {
            Thread t = daemons.newThread(r);
            threads.add(t);
            return t;
        });
        List<Channel> channels = new ArrayList<>();
        List<Reader> readers = new ArrayList<>();
        try {
            int port = config.port();
            for (int i = 0; i < config.sockets(); i++) {
                Reader reader = new Reader(config, perCall, clock, counts, readerLog);
                Bootstrap b = new Bootstrap().group(group)
                        .channelFactory(() -> new EpollDatagramChannel(ip instanceof Inet6Address
                                ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4))
                        .option(ChannelOption.AUTO_READ, false)
                        .option(ChannelOption.SO_RCVBUF, config.receiveBufferSize())
                        .option(EpollChannelOption.SO_REUSEPORT, config.sockets() > 1)
                        .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                        // recvmmsg: the buffer is cut into perCall slots of SLOT bytes, one datagram each.
                        .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, perCall > 1 ? SLOT : 0)
                        .option(ChannelOption.RCVBUF_ALLOCATOR, new ReusedReceiveBuffer(
                                new FixedRecvByteBufAllocator(SLOT * perCall)
                                        // Counted in datagrams: one read loop takes up to a batch.
                                        .maxMessagesPerRead(Math.max(config.batchSize(), perCall))))
                        .handler(reader);
                ChannelFuture bound = b.bind(new InetSocketAddress(ip, port)).awaitUninterruptibly();
                if (!bound.isSuccess()) {
                    throw bindFailure(config.address(), bound.cause());
                }
                channels.add(bound.channel());
                readers.add(reader);
                // With port 0 the first socket picks the port; the others join it.
                port = ((InetSocketAddress) bound.channel().localAddress()).getPort();
            }
            EpollReceiver r = new EpollReceiver(config, group, threads, List.copyOf(channels), List.copyOf(readers),
                    perCall, readerLog);
            UdpSockets.warnIfReceiveBufferCapped(config.address(), config.receiveBufferSize(),
                    r.effectiveReceiveBufferSize, socketLog);
            return r;
        } catch (IOException | RuntimeException e) {
            channels.forEach(c -> c.close().awaitUninterruptibly());
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly();
            throw e;
        }
    }

    private static IOException bindFailure(String address, Throwable cause) {
        String m = String.valueOf(cause.getMessage());
        // Netty's native message is "bind(..) failed with error(-98): Address already in use": keep the
        // reason, as NIO's path does; the message is the whole story, so no cause to unwrap past it.
        String reason = m.contains(": ") ? m.substring(m.lastIndexOf(": ") + 2) : m;
        return new BindException(address + ": cannot bind: " + reason);
    }

    @Override
    public void start(Handoff handoff) {
        String prefix = "caravan-udp-" + local.getPort() + "-reader-";
        List<Future<?>> started = new ArrayList<>();
        for (int i = 0; i < channels.size(); i++) {
            Channel c = channels.get(i);
            Reader reader = readers.get(i);
            String name = prefix + i;
            started.add(c.eventLoop().submit(() -> {
                Thread.currentThread().setName(name);
                reader.start(handoff, new Coalescing(TimeUnit.MICROSECONDS.toNanos(config.coalesceMicros()),
                        effectiveReceiveBufferSize), c);
            }));
        }
        // Wait, so that once the consumer has started its readers carry their names and read, as NIO's
        // do: a thread dump taken right after a start shows what it will show later.
        started.forEach(Future::syncUninterruptibly);
    }

    @Override
    public void stop(long deadline) {
        // Closing runs on each socket's event loop, after the exchange it may be running; its
        // handler hands on what it had read (channelInactive).
        List<ChannelFuture> closing = new ArrayList<>();
        channels.forEach(c -> closing.add(c.close()));
        for (ChannelFuture f : closing) {
            if (!f.awaitUninterruptibly(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())))) {
                log.warn("{}: a reader is still running the route after the stop wait; it ends when that exchange"
                        + " completes", config.address());
            }
        }
        group.shutdownGracefully(0, Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())),
                TimeUnit.MILLISECONDS).awaitUninterruptibly(
                Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        threads.forEach(t -> Threads.join(t, deadline));
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public int effectiveReceiveBufferSize() {
        return effectiveReceiveBufferSize;
    }

    @Override
    public int sockets() {
        return channels.size();
    }

    @Override
    public String describe() {
        return "transport epoll, up to " + perCall + " datagram(s) per recvmmsg";
    }

    /**
     * One socket's handler, run only by its event-loop thread: copies each datagram out of Netty's
     * pooled buffer, gathers batches, counts and hands them on.
     */
    private static final class Reader extends ChannelInboundHandlerAdapter {
        private final UdpConfiguration config;
        private final int perCall;
        private final Clock clock;
        private final UdpCounts counts;
        private final Logger log;
        private final LogLimit receiveLog = new LogLimit(LogLimit.DEFAULT_INTERVAL_MS);
        private Handoff handoff;
        private Coalescing coalescing;
        private List<Datagram> batch;
        private long receivedMs;
        /** Since when the socket has been awaited with nothing read (System.nanoTime), or -1. */
        private long blockedFrom = -1;
        /** Datagrams read since the last read loop ended. */
        private int readSince;

        Reader(UdpConfiguration config, int perCall, Clock clock, UdpCounts counts, Logger log) {
            this.config = config;
            this.perCall = perCall;
            this.clock = clock;
            this.counts = counts;
            this.log = log;
        }

        @Override
        public boolean isSharable() {
            return false;
        }

        /** On the event loop: takes the hand-off and asks for the first read. */
        void start(Handoff h, Coalescing c, Channel channel) {
            this.handoff = h;
            this.coalescing = c;
            this.batch = newBatch();
            blockedFrom = System.nanoTime();
            if (config.coalesceMicros() == 0) {
                channel.config().setAutoRead(true);
            } else {
                channel.read();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket packet = (DatagramPacket) msg;
            try {
                if (readSince++ == 0) {
                    if (blockedFrom >= 0) {
                        coalescing.blocked(System.nanoTime() - blockedFrom);
                        blockedFrom = -1;
                    }
                }
                if (batch.isEmpty()) {
                    // One clock read per batch, not per datagram, as on NIO.
                    receivedMs = clock.millis();
                }
                ByteBuf content = packet.content();
                byte[] payload = new byte[content.readableBytes()];
                content.getBytes(content.readerIndex(), payload);
                coalescing.read(payload.length);
                batch.add(new Datagram(payload, packet.sender(), receivedMs));
                if (batch.size() >= config.batchSize()) {
                    handOn();
                }
            } finally {
                packet.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (handoff == null) {
                return;
            }
            int found = readSince;
            readSince = 0;
            handOn();
            if (config.coalesceMicros() == 0) {
                return;
            }
            // With auto-read off, one read() is one recvmmsg call: a call that filled every slot may
            // have left more in the socket, so read again at once; one that did not emptied it.
            if (found > 0 && found % perCall == 0) {
                ctx.read();
                return;
            }
            long wait = found > 0 ? coalescingAfterEmptied() : 0;
            if (wait > 0) {
                // The socket was just emptied: let datagrams gather rather than wake for each one.
                ctx.executor().schedule(() -> {
                    ctx.read();
                }, wait, TimeUnit.NANOSECONDS);
            } else {
                if (found == 0 && blockedFrom < 0) {
                    blockedFrom = System.nanoTime();
                }
                ctx.read();
            }
        }

        private long coalescingAfterEmptied() {
            coalescing.emptied();
            return coalescing.waitNs();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            // Closed by stop(): hand on what was read.
            if (handoff != null) {
                handOn();
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (receiveLog.allow()) {
                log.warn("{}: receive failed (logged at most every {} s): {}", config.address(),
                        receiveLog.intervalSeconds(), cause.toString());
            }
        }

        private void handOn() {
            if (batch.isEmpty()) {
                return;
            }
            List<Datagram> full = batch;
            batch = newBatch();
            counts.received(full.size());
            handoff.accept(full);
            // An interrupt left by the route (run on this thread when there are no workers) would
            // make every epoll_wait return at once.
            Thread.interrupted();
        }

        private List<Datagram> newBatch() {
            return new ArrayList<>(Math.min(config.batchSize(), 64));
        }
    }
}
