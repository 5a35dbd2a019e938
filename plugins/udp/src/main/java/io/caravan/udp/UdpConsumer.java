package io.caravan.udp;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;

/**
 * Receives for one route: starting binds the endpoint's sockets ({@link UdpSockets}) and starts
 * one reader thread per socket ({@link DatagramReader}) that hands each batch on, either straight
 * into the route on the reader's own thread ({@code workers=0}, {@link RouteRunner}) or into the
 * bounded queue the workers take from ({@link WorkerQueue}). Every exchange's body is an
 * {@link io.caravan.api.flow.DatagramBatch}.
 *
 * <p>Stopping closes the sockets and the selectors first (which ends the readers, after handing on
 * what they had already read), then lets the workers finish what is queued, waiting up to
 * {@value #STOP_WAIT_MS} ms in all; whatever is still queued then is counted as dropped.
 */
final class UdpConsumer extends DefaultConsumer {
    private static final long STOP_WAIT_MS = 5_000;

    private final UdpEndpoint endpoint;
    private final UdpConfiguration config;
    private final String address;
    private final Logger log;

    /** Read by the endpoint's getters from any thread. */
    private volatile UdpSockets sockets;
    private volatile WorkerQueue queue;
    private List<DatagramReader> readers = List.of();
    private List<Thread> readerThreads = List.of();

    UdpConsumer(UdpEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.config = endpoint.getConfiguration();
        this.address = config.address();
        this.log = endpoint.logger("consumer");
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        log.debug("{}: binding {} socket(s)", address, config.sockets());
        sockets = UdpSockets.bind(config, endpoint.logger("sockets"));
        try {
            String threads = "caravan-udp-" + sockets.localAddress().getPort();
            RouteRunner route = new RouteRunner(this, address, config.batchSize() == 1, endpoint.counts(),
                    endpoint.logger("route"));
            Handoff handoff = route;
            if (config.workers() > 0) {
                queue = new WorkerQueue(address, config.queueSize(), config.workers(), threads, route,
                        endpoint.counts(), endpoint.logger("workers"));
                handoff = queue;
            }
            readers = new ArrayList<>();
            for (var channel : sockets.channels()) {
                readers.add(new DatagramReader(address, channel, handoff, config.batchSize(), new Coalescing(
                        TimeUnit.MICROSECONDS.toNanos(config.coalesceMicros()), sockets.effectiveReceiveBufferSize()),
                        endpoint.clock(), endpoint.counts(), endpoint.logger("reader")));
            }
            readerThreads = new ArrayList<>();
            for (int i = 0; i < readers.size(); i++) {
                readerThreads.add(Threads.start(threads + "-reader-" + i, readers.get(i)));
            }
            endpoint.attach(this);
            log.info("{}: receiving on {} ({} socket(s), batches of up to {}, {} worker(s){}, SO_RCVBUF {} bytes{})",
                    address, sockets.localAddress(), sockets.channels().size(), config.batchSize(), config.workers(),
                    config.workers() > 0 ? ", queue of " + config.queueSize() : "",
                    sockets.effectiveReceiveBufferSize(), coalesceLog());
        } catch (Exception | Error e) {
            // Bound but not started: release what was taken, so a failed start leaves no socket or thread.
            doStop();
            throw e;
        }
    }

    @Override
    protected void doStop() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MS);
        UdpSockets s = sockets;
        if (s != null) {
            log.debug("{}: closing {} socket(s)", address, s.channels().size());
        }
        readers.forEach(DatagramReader::stop);
        if (s != null) {
            s.close();
        }
        for (Thread reader : readerThreads) {
            if (!Threads.join(reader, deadline)) {
                log.warn("{}: {} is still running the route after {} ms; it ends when that exchange completes",
                        address, reader.getName(), STOP_WAIT_MS);
            }
        }
        if (queue != null) {
            queue.drain(deadline);
        }
        endpoint.detach(this);
        if (s != null) {
            log.info("{}: stopped receiving on {} ({} datagrams, {} dropped, {} failed so far)", address,
                    s.localAddress(), endpoint.getDatagrams(), endpoint.getQueueDrops(), endpoint.getProcessErrors());
        }
        sockets = null;
        readers = List.of();
        readerThreads = List.of();
        queue = null;
        super.doStop();
    }

    /** The start log's note on coalescing: the wait as capped by the receive buffer, or nothing when off. */
    private String coalesceLog() {
        if (config.coalesceMicros() == 0) {
            return "";
        }
        long capUs = TimeUnit.NANOSECONDS.toMicros(Coalescing.cap(
                TimeUnit.MICROSECONDS.toNanos(config.coalesceMicros()), sockets.effectiveReceiveBufferSize()));
        return ", waits of up to " + capUs + " us to coalesce" + (capUs < config.coalesceMicros()
                ? " (coalesceMicros is " + config.coalesceMicros() + "; the receive buffer allows no more)" : "");
    }

    int queueDepth() {
        WorkerQueue q = queue;
        return q == null ? 0 : q.depth();
    }

    InetSocketAddress localAddress() {
        UdpSockets s = sockets;
        return s == null ? null : s.localAddress();
    }

    int effectiveReceiveBufferSize() {
        UdpSockets s = sockets;
        return s == null ? 0 : s.effectiveReceiveBufferSize();
    }
}
