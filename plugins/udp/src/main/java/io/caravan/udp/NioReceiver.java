package io.caravan.udp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;

/** The JDK's DatagramChannel: one {@link DatagramReader} thread per socket, one datagram per receive call. */
final class NioReceiver implements Receiver {
    private final UdpConfiguration config;
    private final UdpSockets sockets;
    private final Clock clock;
    private final UdpCounts counts;
    private final Function<String, Logger> loggers;
    private final List<DatagramReader> readers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Logger log;

    private NioReceiver(UdpConfiguration config, UdpSockets sockets, Clock clock, UdpCounts counts,
                        Function<String, Logger> loggers) {
        this.config = config;
        this.sockets = sockets;
        this.clock = clock;
        this.counts = counts;
        this.loggers = loggers;
        this.log = loggers.apply("reader");
    }

    /** Binds the endpoint's sockets ({@link UdpSockets#bind}). */
    static NioReceiver bind(UdpConfiguration config, Clock clock, UdpCounts counts, Function<String, Logger> loggers)
            throws IOException {
        return new NioReceiver(config, UdpSockets.bind(config, loggers.apply("sockets")), clock, counts, loggers);
    }

    @Override
    public void start(Handoff handoff) {
        String prefix = "caravan-udp-" + sockets.localAddress().getPort() + "-reader-";
        try {
            for (DatagramChannel channel : sockets.channels()) {
                readers.add(new DatagramReader(config.address(), channel, handoff, config.batchSize(), new Coalescing(
                        TimeUnit.MICROSECONDS.toNanos(config.coalesceMicros()), sockets.effectiveReceiveBufferSize()),
                        clock, counts, loggers.apply("reader")));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(config.address() + ": cannot open a selector", e);
        }
        for (int i = 0; i < readers.size(); i++) {
            threads.add(Threads.start(prefix + i, readers.get(i)));
        }
    }

    @Override
    public void stop(long deadline) {
        readers.forEach(DatagramReader::stop);
        sockets.close();
        for (Thread reader : threads) {
            if (!Threads.join(reader, deadline)) {
                log.warn("{}: {} is still running the route after the stop wait; it ends when that exchange completes",
                        config.address(), reader.getName());
            }
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return sockets.localAddress();
    }

    @Override
    public int effectiveReceiveBufferSize() {
        return sockets.effectiveReceiveBufferSize();
    }

    @Override
    public int sockets() {
        return sockets.channels().size();
    }

    @Override
    public String describe() {
        return "transport nio";
    }
}
