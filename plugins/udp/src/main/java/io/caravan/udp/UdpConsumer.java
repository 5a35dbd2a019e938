package io.caravan.udp;

import io.caravan.api.flow.Datagram;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the endpoint's sockets when its route starts and reads them, one blocking reader thread
 * per socket, each into its own 64 KiB direct buffer, so no datagram is ever truncated. Each
 * datagram becomes an exchange whose body is a {@link Datagram} (an exact-size copy of the
 * payload, the sender, the receive time) and whose {@link UdpConstants#REMOTE_ADDRESS} header is
 * the sender. With {@code workers=0} the reader runs the route itself; otherwise it puts the
 * datagram into one bounded queue that the workers take from, and a datagram that finds the queue
 * full is dropped and counted.
 *
 * <p>Stopping closes the sockets first (which wakes the readers: the closed-channel exception is
 * how a reader normally ends), then lets the workers finish what is queued, waiting up to
 * {@value #STOP_WAIT_MS} ms in all; whatever is still queued then is counted as dropped.
 */
final class UdpConsumer extends DefaultConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(UdpConsumer.class);
    private static final long LOG_INTERVAL_MS = 10_000;
    private static final long STOP_WAIT_MS = 5_000;
    private static final Path RMEM_MAX = Path.of("/proc/sys/net/core/rmem_max");

    private final UdpEndpoint endpoint;
    private final UdpConfiguration config;
    private final String address;
    /** Put after the last queued datagram, one per worker: this consumer's own instance, compared by identity. */
    private final Datagram endOfQueue = new Datagram(new byte[0], null, 0);
    private final LogLimit dropLog = new LogLimit(LOG_INTERVAL_MS);
    private final LogLimit errorLog = new LogLimit(LOG_INTERVAL_MS);
    private final LogLimit receiveLog = new LogLimit(LOG_INTERVAL_MS);

    private List<DatagramChannel> channels = List.of();
    private List<Thread> readers = List.of();
    private List<Thread> workers = List.of();
    private volatile BlockingQueue<Datagram> queue;
    private volatile boolean stopping;
    private volatile boolean abandoned;
    private volatile InetSocketAddress local;
    private volatile int effectiveReceiveBufferSize;
    private AutoCloseable meters;

    UdpConsumer(UdpEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.config = endpoint.getConfiguration();
        this.address = config.address();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        stopping = false;
        abandoned = false;
        LOG.debug("{}: binding {} socket(s)", address, config.getSockets());
        channels = bindAll(resolve());
        try {
            local = (InetSocketAddress) channels.get(0).getLocalAddress();
            effectiveReceiveBufferSize = channels.get(0).getOption(StandardSocketOptions.SO_RCVBUF);
            warnIfReceiveBufferCapped();

            int port = local.getPort();
            if (config.getWorkers() > 0) {
                queue = new ArrayBlockingQueue<>(config.getQueueSize());
                workers = new ArrayList<>();
                for (int i = 0; i < config.getWorkers(); i++) {
                    workers.add(thread("caravan-udp-" + port + "-worker-" + i, this::work));
                }
            }
            readers = new ArrayList<>();
            for (int i = 0; i < channels.size(); i++) {
                DatagramChannel channel = channels.get(i);
                readers.add(thread("caravan-udp-" + port + "-reader-" + i, () -> read(channel)));
            }
            endpoint.attach(this);
            meters = registerMeters();
            LOG.info("{}: receiving on {} ({} socket(s), {} worker(s){}, SO_RCVBUF {} bytes)", address, local,
                    channels.size(), config.getWorkers(),
                    config.getWorkers() > 0 ? ", queue of " + config.getQueueSize() : "", effectiveReceiveBufferSize);
        } catch (Exception | Error e) {
            // Bound but not started: release what was taken, so a failed start leaves no socket or thread.
            doStop();
            throw e;
        }
    }

    @Override
    protected void doStop() throws Exception {
        stopping = true;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MS);
        LOG.debug("{}: closing {} socket(s)", address, channels.size());
        closeAll(channels);
        for (Thread reader : readers) {
            if (!join(reader, deadline)) {
                LOG.warn("{}: {} is still running the route after {} ms; it ends when that exchange completes",
                        address, reader.getName(), STOP_WAIT_MS);
            }
        }
        BlockingQueue<Datagram> q = queue;
        if (q != null) {
            drain(q, deadline);
        }
        if (meters != null) {
            try {
                meters.close();
            } catch (Exception e) {
                LOG.debug("{}: removing meters failed: {}", address, e.toString());
            }
            meters = null;
        }
        endpoint.detach(this);
        channels = List.of();
        readers = List.of();
        workers = List.of();
        queue = null;
        if (local != null) {
            LOG.info("{}: stopped receiving on {} ({} datagrams, {} dropped, {} failed since the endpoint was created)",
                    address, local, endpoint.getDatagrams(), endpoint.getQueueDrops(), endpoint.getProcessErrors());
        }
        local = null;
        effectiveReceiveBufferSize = 0;
        super.doStop();
    }

    int queueDepth() {
        BlockingQueue<Datagram> q = queue;
        return q == null ? 0 : q.size();
    }

    InetSocketAddress localAddress() {
        return local;
    }

    int effectiveReceiveBufferSize() {
        return effectiveReceiveBufferSize;
    }

    private InetAddress resolve() throws UnknownHostException {
        try {
            return InetAddress.getByName(config.getHost());
        } catch (UnknownHostException e) {
            throw new UnknownHostException(address + ": cannot resolve host '" + config.getHost() + "'");
        }
    }

    /** All sockets bound, or none: a failure closes those already bound. */
    private List<DatagramChannel> bindAll(InetAddress ip) throws IOException {
        List<DatagramChannel> bound = new ArrayList<>();
        try {
            int port = config.getPort();
            for (int i = 0; i < config.getSockets(); i++) {
                DatagramChannel channel = bind(ip, port);
                bound.add(channel);
                // With port 0 the first socket picks the port; the others join it.
                port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
            }
            return List.copyOf(bound);
        } catch (IOException | RuntimeException e) {
            closeAll(bound);
            throw e;
        }
    }

    private DatagramChannel bind(InetAddress ip, int port) throws IOException {
        DatagramChannel channel = DatagramChannel.open(
                ip instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            if (config.getSockets() > 1) {
                if (!channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                    throw new UnsupportedOperationException(address + ": option 'sockets' is " + config.getSockets()
                            + ", which needs SO_REUSEPORT, and this platform's DatagramChannel does not support it;"
                            + " use sockets=1");
                }
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            channel.setOption(StandardSocketOptions.SO_RCVBUF, config.getReceiveBufferSize());
            channel.bind(new InetSocketAddress(ip, port));
            return channel;
        } catch (BindException e) {
            closeQuietly(channel);
            // The JDK's message ("Address already in use") after ours, as the one message a route start failure shows.
            throw new BindException(address + ": cannot bind: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /**
     * On Linux the kernel grants min(asked, net.core.rmem_max) and may report the value doubled,
     * so compare with rmem_max itself; elsewhere compare with what the socket reports.
     */
    private void warnIfReceiveBufferCapped() {
        long asked = config.getReceiveBufferSize();
        long max = rmemMax();
        boolean capped = max > 0 ? asked > max : effectiveReceiveBufferSize < asked;
        if (capped) {
            LOG.warn("{}: the kernel capped SO_RCVBUF below the {} bytes asked for (it reports {}{}); bursts may be"
                    + " dropped by the kernel: raise net.core.rmem_max (sysctl -w net.core.rmem_max={})",
                    address, asked, effectiveReceiveBufferSize, max > 0 ? ", net.core.rmem_max is " + max : "", asked);
        }
    }

    /** net.core.rmem_max, or -1 where there is no such file. */
    private static long rmemMax() {
        // One read: a sysctl file answers a read at a non-zero offset with end-of-file, which cuts
        // Files.readString (it reads a zero-size file byte by byte) to the first digit.
        byte[] buffer = new byte[32];
        try (InputStream in = Files.newInputStream(RMEM_MAX)) {
            int n = in.read(buffer);
            return n <= 0 ? -1 : Long.parseLong(new String(buffer, 0, n, StandardCharsets.US_ASCII).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private AutoCloseable registerMeters() {
        try {
            return UdpMeters.register(endpoint.getCamelContext(), endpoint);
        } catch (LinkageError e) {
            LOG.debug("{}: Micrometer is not available, no meters: {}", address, e.toString());
            return null;
        }
    }

    private void read(DatagramChannel channel) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(UdpConstants.MAX_DATAGRAM);
        BlockingQueue<Datagram> q = queue;
        while (true) {
            buffer.clear();
            InetSocketAddress sender;
            try {
                sender = (InetSocketAddress) channel.receive(buffer);
            } catch (ClosedChannelException e) {
                // AsynchronousCloseException from doStop closing the channel: the normal way out.
                if (!stopping) {
                    LOG.error("{}: socket closed while receiving; {} ends", address, Thread.currentThread().getName(), e);
                }
                return;
            } catch (IOException | RuntimeException e) {
                if (receiveLog.allow()) {
                    LOG.warn("{}: receive failed (logged at most every {} s): {}", address, LOG_INTERVAL_MS / 1000,
                            e.toString());
                }
                continue;
            }
            if (sender == null) {
                continue;
            }
            buffer.flip();
            byte[] payload = new byte[buffer.remaining()];
            buffer.get(payload);
            endpoint.received();
            Datagram datagram = new Datagram(payload, sender, System.currentTimeMillis());
            if (q == null) {
                process(datagram);
                // An interrupt left by the route would close the channel on the next receive.
                Thread.interrupted();
            } else if (!q.offer(datagram)) {
                endpoint.dropped(1);
                if (dropLog.allow()) {
                    LOG.warn("{}: worker queue full ({} datagrams), datagram from {} dropped; {} dropped so far"
                            + " (logged at most every {} s): add workers or raise queueSize", address,
                            config.getQueueSize(), sender, endpoint.getQueueDrops(), LOG_INTERVAL_MS / 1000);
                }
            }
        }
    }

    private void work() {
        BlockingQueue<Datagram> q = queue;
        while (true) {
            Datagram datagram;
            try {
                datagram = q.take();
            } catch (InterruptedException e) {
                if (abandoned) {
                    return;
                }
                // An interrupt left by the route: cleared by the exception, keep working.
                continue;
            }
            if (datagram == endOfQueue) {
                return;
            }
            process(datagram);
        }
    }

    /** Runs the route on one datagram; nothing it throws leaves this method. */
    private void process(Datagram datagram) {
        Exchange exchange = null;
        Throwable failure;
        try {
            exchange = createExchange(false);
            exchange.getIn().setBody(datagram);
            exchange.getIn().setHeader(UdpConstants.REMOTE_ADDRESS, datagram.sender());
            getProcessor().process(exchange);
            failure = exchange.getException();
        } catch (Throwable t) {
            failure = t;
        }
        if (failure != null) {
            endpoint.failed();
            if (errorLog.allow()) {
                LOG.warn("{}: the route failed on a datagram from {}; {} failed so far (logged at most every {} s): {}",
                        address, datagram.sender(), endpoint.getProcessErrors(), LOG_INTERVAL_MS / 1000,
                        failure.toString());
            }
        }
        if (exchange != null) {
            try {
                releaseExchange(exchange, false);
            } catch (RuntimeException e) {
                LOG.debug("{}: releasing an exchange failed: {}", address, e.toString());
            }
        }
    }

    /**
     * The readers have ended: queue one end marker per worker behind the datagrams already taken
     * from the sockets, wait for the workers to reach them, and count what is left if they don't.
     */
    private void drain(BlockingQueue<Datagram> q, long deadline) {
        LOG.debug("{}: letting {} worker(s) finish {} queued datagram(s)", address, workers.size(), q.size());
        try {
            for (int i = 0; i < workers.size(); i++) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !q.offer(endOfQueue, left, TimeUnit.NANOSECONDS)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean finished = true;
        for (Thread worker : workers) {
            finished &= join(worker, deadline);
        }
        if (!finished) {
            abandoned = true;
            workers.forEach(Thread::interrupt);
        }
        long left = 0;
        for (Datagram d; (d = q.poll()) != null; ) {
            if (d != endOfQueue) {
                left++;
            }
        }
        if (left > 0) {
            endpoint.dropped(left);
            LOG.warn("{}: stopped after waiting {} ms with {} datagram(s) still queued; counted as dropped", address,
                    STOP_WAIT_MS, left);
        }
    }

    private static Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits for {@code t} until {@code deadline} (System.nanoTime); true when it ended. */
    private static boolean join(Thread t, long deadline) {
        try {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }

    private static void closeAll(List<DatagramChannel> list) {
        list.forEach(UdpConsumer::closeQuietly);
    }

    private static void closeQuietly(DatagramChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("Closing {} failed: {}", channel, e.toString());
        }
    }
}
