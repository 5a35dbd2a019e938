package io.caravan.udp;

import io.caravan.api.flow.Datagram;
import io.caravan.api.log.LogLimit;
import java.io.Closeable;
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
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the endpoint's sockets when its route starts and reads them, one reader thread per
 * socket, each into its own 64 KiB direct buffer, so no datagram is ever truncated. A reader takes
 * what is waiting in its socket, up to {@code batchSize} datagrams, without blocking, and waits in
 * a selector only when the socket is empty: under load batches fill, idle they hold one datagram,
 * so batching adds no latency. With {@code coalesceMicros} a reader that has just emptied its
 * socket under load first waits that long (less when the receive buffer is small, see {@link
 * Coalescing}) and reads again, and blocks only when that read finds nothing. With {@code
 * batchSize=1} each datagram becomes an exchange whose body is a {@link Datagram} (an exact-size
 * copy of the payload, the sender, the receive time) and whose {@link
 * UdpConstants#REMOTE_ADDRESS} header is the sender; with more, the body is a
 * {@code List<Datagram>} and there is no header. With {@code workers=0} the reader runs the route
 * itself; otherwise it puts the batch into one bounded queue that the workers take from, and a
 * batch that finds the queue full is dropped and its datagrams counted.
 *
 * <p>Stopping closes the sockets and the selectors first (which ends the readers: a closed channel
 * or selector is how a reader normally ends, after delivering what it had already read), then
 * lets the workers finish what is queued, waiting up to {@value #STOP_WAIT_MS} ms in all; whatever
 * is still queued then is counted as dropped.
 */
final class UdpConsumer extends DefaultConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(UdpConsumer.class);
    private static final long LOG_INTERVAL_MS = LogLimit.DEFAULT_INTERVAL_MS;
    private static final long STOP_WAIT_MS = 5_000;
    private static final Path RMEM_MAX = Path.of("/proc/sys/net/core/rmem_max");

    private final UdpEndpoint endpoint;
    private final UdpConfiguration config;
    private final String address;
    /** Put after the last queued batch, one per worker: this consumer's own instance, compared by identity. */
    private final List<Datagram> endOfQueue = new ArrayList<>(0);
    private final LogLimit dropLog = new LogLimit(LOG_INTERVAL_MS);
    private final LogLimit errorLog = new LogLimit(LOG_INTERVAL_MS);
    private final LogLimit receiveLog = new LogLimit(LOG_INTERVAL_MS);

    private List<DatagramChannel> channels = List.of();
    private List<Selector> selectors = List.of();
    private List<Thread> readers = List.of();
    private List<Thread> workers = List.of();
    private volatile BlockingQueue<List<Datagram>> queue;
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
            selectors = new ArrayList<>();
            for (DatagramChannel channel : channels) {
                Selector selector = Selector.open();
                selectors.add(selector);
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ);
            }
            readers = new ArrayList<>();
            for (int i = 0; i < channels.size(); i++) {
                DatagramChannel channel = channels.get(i);
                Selector selector = selectors.get(i);
                readers.add(thread("caravan-udp-" + port + "-reader-" + i, () -> read(channel, selector)));
            }
            endpoint.attach(this);
            meters = registerMeters();
            LOG.info("{}: receiving on {} ({} socket(s), batches of up to {}, {} worker(s){}, SO_RCVBUF {} bytes{})",
                    address, local, channels.size(), config.getBatchSize(), config.getWorkers(),
                    config.getWorkers() > 0 ? ", queue of " + config.getQueueSize() : "", effectiveReceiveBufferSize,
                    coalesceLog());
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
        // A reader waiting in select() is not woken by closing its channel; closing the selector wakes it.
        selectors.forEach(UdpConsumer::closeQuietly);
        for (Thread reader : readers) {
            if (!join(reader, deadline)) {
                LOG.warn("{}: {} is still running the route after {} ms; it ends when that exchange completes",
                        address, reader.getName(), STOP_WAIT_MS);
            }
        }
        BlockingQueue<List<Datagram>> q = queue;
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
        selectors = List.of();
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

    private String coalesceLog() {
        long capUs = TimeUnit.NANOSECONDS.toMicros(Coalescing.cap(
                TimeUnit.MICROSECONDS.toNanos(config.getCoalesceMicros()), effectiveReceiveBufferSize));
        if (config.getCoalesceMicros() == 0) {
            return "";
        }
        return ", waits of up to " + capUs + " us to coalesce" + (capUs < config.getCoalesceMicros()
                ? " (coalesceMicros is " + config.getCoalesceMicros() + "; the receive buffer allows no more)" : "");
    }

    int queueDepth() {
        BlockingQueue<List<Datagram>> q = queue;
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
            int sockets = socketsFor(ip);
            for (int i = 0; i < sockets; i++) {
                DatagramChannel channel = bind(ip, port, sockets > 1);
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

    /**
     * The sockets to bind: as configured, or 1 where the platform has no SO_REUSEPORT (Windows), since
     * the count is a way to spread load, and one socket still receives everything.
     */
    private int socketsFor(InetAddress ip) throws IOException {
        if (config.getSockets() == 1) {
            return 1;
        }
        try (DatagramChannel probe = open(ip)) {
            if (probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                return config.getSockets();
            }
        }
        LOG.warn("{}: option 'sockets' is {}, which needs SO_REUSEPORT, and this platform's DatagramChannel does not"
                + " support it; receiving on 1 socket", address, config.getSockets());
        return 1;
    }

    private static DatagramChannel open(InetAddress ip) throws IOException {
        return DatagramChannel.open(ip instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
    }

    private DatagramChannel bind(InetAddress ip, int port, boolean reusePort) throws IOException {
        DatagramChannel channel = open(ip);
        try {
            if (reusePort) {
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

    private void read(DatagramChannel channel, Selector selector) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(UdpConstants.MAX_DATAGRAM);
        BlockingQueue<List<Datagram>> q = queue;
        int max = config.getBatchSize();
        Coalescing coalescing = new Coalescing(TimeUnit.MICROSECONDS.toNanos(config.getCoalesceMicros()),
                effectiveReceiveBufferSize);
        List<Datagram> batch = new ArrayList<>(Math.min(max, 64));
        boolean coalesce = false;
        while (true) {
            boolean open = true;
            if (coalesce) {
                // The socket was just emptied: let datagrams gather rather than wake for each one.
                LockSupport.parkNanos(coalescing.waitNs());
                coalesce = false;
            }
            boolean emptied = false;
            // One clock read per batch, not per datagram: a batch is read within a fraction of a millisecond.
            long receivedMs = System.currentTimeMillis();
            try {
                while (batch.size() < max) {
                    Datagram d = receive(channel, buffer, receivedMs);
                    if (d == null) {
                        emptied = true;
                        coalescing.emptied();
                        break;
                    }
                    coalescing.read(d.payload().length);
                    batch.add(d);
                }
            } catch (ClosedChannelException e) {
                // doStop closed the channel: the normal way out, after delivering what was read.
                if (!stopping) {
                    LOG.error("{}: socket closed while receiving; {} ends", address, Thread.currentThread().getName(), e);
                }
                open = false;
            }
            if (!batch.isEmpty()) {
                endpoint.received(batch.size());
                if (q == null) {
                    process(batch);
                    // An interrupt left by the route would make every select() return at once.
                    Thread.interrupted();
                } else if (!q.offer(batch)) {
                    queueFull(batch);
                }
                batch = new ArrayList<>(Math.min(max, 64));
                coalesce = emptied && open && coalescing.waitNs() > 0;
                continue;
            }
            if (!open) {
                return;
            }
            long blockedFrom = System.nanoTime();
            if (!await(selector)) {
                return;
            }
            coalescing.blocked(System.nanoTime() - blockedFrom);
        }
    }

    /** The next waiting datagram, or null when the socket is empty (or a receive failed, which is logged). */
    private Datagram receive(DatagramChannel channel, ByteBuffer buffer, long receivedMs) throws ClosedChannelException {
        buffer.clear();
        InetSocketAddress sender;
        try {
            sender = (InetSocketAddress) channel.receive(buffer);
        } catch (ClosedChannelException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (receiveLog.allow()) {
                LOG.warn("{}: receive failed (logged at most every {} s): {}", address, LOG_INTERVAL_MS / 1000,
                        e.toString());
            }
            return null;
        }
        if (sender == null) {
            return null;
        }
        buffer.flip();
        byte[] payload = new byte[buffer.remaining()];
        buffer.get(payload);
        return new Datagram(payload, sender, receivedMs);
    }

    /** Waits until the socket is readable; false when the selector was closed (the consumer is stopping). */
    private boolean await(Selector selector) {
        try {
            selector.select();
            selector.selectedKeys().clear();
            return selector.isOpen();
        } catch (ClosedSelectorException e) {
            return false;
        } catch (IOException e) {
            if (receiveLog.allow()) {
                LOG.warn("{}: waiting for datagrams failed (logged at most every {} s): {}", address,
                        LOG_INTERVAL_MS / 1000, e.toString());
            }
            return selector.isOpen();
        }
    }

    private void queueFull(List<Datagram> batch) {
        endpoint.dropped(batch.size());
        if (dropLog.allow()) {
            LOG.warn("{}: worker queue full ({} entries), {} datagram(s) from {} dropped; {} dropped so far"
                    + " (logged at most every {} s): add workers or raise queueSize", address, config.getQueueSize(),
                    batch.size(), batch.get(0).sender(), endpoint.getQueueDrops(), LOG_INTERVAL_MS / 1000);
        }
    }

    private void work() {
        BlockingQueue<List<Datagram>> q = queue;
        while (true) {
            List<Datagram> batch;
            try {
                batch = q.take();
            } catch (InterruptedException e) {
                if (abandoned) {
                    return;
                }
                // An interrupt left by the route: cleared by the exception, keep working.
                continue;
            }
            if (batch == endOfQueue) {
                return;
            }
            process(batch);
        }
    }

    /** Runs the route on one batch (a Datagram body when batchSize is 1); nothing it throws leaves this method. */
    private void process(List<Datagram> batch) {
        Exchange exchange = null;
        Throwable failure;
        Datagram first = batch.get(0);
        try {
            exchange = createExchange(false);
            if (config.getBatchSize() == 1) {
                exchange.getIn().setBody(first);
                exchange.getIn().setHeader(UdpConstants.REMOTE_ADDRESS, first.sender());
            } else {
                exchange.getIn().setBody(batch);
            }
            getProcessor().process(exchange);
            failure = exchange.getException();
        } catch (Throwable t) {
            failure = t;
        }
        if (failure != null) {
            endpoint.failed(batch.size());
            if (errorLog.allow()) {
                LOG.warn("{}: the route failed on {} datagram(s) from {}{}; {} failed so far (logged at most every {} s):"
                        + " {}", address, batch.size(), first.sender(), batch.size() > 1 ? " and others" : "",
                        endpoint.getProcessErrors(), LOG_INTERVAL_MS / 1000, failure.toString());
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
    private void drain(BlockingQueue<List<Datagram>> q, long deadline) {
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
        for (List<Datagram> b; (b = q.poll()) != null; ) {
            if (b != endOfQueue) {
                left += b.size();
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

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            LOG.debug("Closing {} failed: {}", closeable, e.toString());
        }
    }
}
