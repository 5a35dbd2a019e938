package io.caravan.udp;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;

/**
 * Receives for one route: starting binds the endpoint's sockets and starts one reader per socket
 * ({@link Receiver}: the JDK's DatagramChannel, {@link NioReceiver}, or Netty's native epoll with
 * recvmmsg, {@link EpollReceiver}, as the {@code transport} option says) that hands each batch on, either straight
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
    private volatile Receiver receiver;
    private volatile WorkerQueue queue;

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
        receiver = bind();
        try {
            String threads = "caravan-udp-" + receiver.localAddress().getPort();
            RouteRunner route = new RouteRunner(this, address, config.batchSize() == 1, endpoint.counts(),
                    endpoint.logger("route"));
            Handoff handoff = route;
            if (config.workers() > 0) {
                queue = new WorkerQueue(address, config.queueSize(), config.workers(), threads, route,
                        endpoint.counts(), endpoint.logger("workers"));
                handoff = queue;
            }
            receiver.start(handoff);
            endpoint.attach(this);
            log.info("{}: receiving on {} ({} socket(s), {}, batches of up to {}, {} worker(s){}, SO_RCVBUF {} bytes{})",
                    address, receiver.localAddress(), receiver.sockets(), receiver.describe(), config.batchSize(),
                    config.workers(), config.workers() > 0 ? ", queue of " + config.queueSize() : "",
                    receiver.effectiveReceiveBufferSize(), coalesceLog());
        } catch (Exception | Error e) {
            // Bound but not started: release what was taken, so a failed start leaves no socket or thread.
            doStop();
            throw e;
        }
    }

    /** The configured transport's sockets, bound; epoll falls back to NIO where Netty's native transport cannot load. */
    private Receiver bind() throws java.io.IOException {
        if (UdpConfiguration.EPOLL.equals(config.transport())) {
            String why = EpollReceiver.unavailable();
            if (why == null) {
                return EpollReceiver.bind(config, endpoint.clock(), endpoint.counts(), endpoint.logger("sockets"),
                        endpoint.logger("reader"));
            }
            log.warn("{}: transport epoll is not available here ({}); receiving through nio", address, why);
        }
        return NioReceiver.bind(config, endpoint.clock(), endpoint.counts(), endpoint::logger);
    }

    @Override
    protected void doStop() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MS);
        Receiver r = receiver;
        if (r != null) {
            log.debug("{}: closing {} socket(s)", address, r.sockets());
            r.stop(deadline);
        }
        if (queue != null) {
            queue.drain(deadline);
        }
        endpoint.detach(this);
        if (r != null) {
            log.info("{}: stopped receiving on {} ({} datagrams, {} dropped, {} failed so far)", address,
                    r.localAddress(), endpoint.getDatagrams(), endpoint.getQueueDrops(), endpoint.getProcessErrors());
        }
        receiver = null;
        queue = null;
        super.doStop();
    }

    /** The start log's note on coalescing: the wait as capped by the receive buffer, or nothing when off. */
    private String coalesceLog() {
        if (config.coalesceMicros() == 0) {
            return "";
        }
        long capUs = TimeUnit.NANOSECONDS.toMicros(Coalescing.cap(
                TimeUnit.MICROSECONDS.toNanos(config.coalesceMicros()), receiver.effectiveReceiveBufferSize()));
        return ", waits of up to " + capUs + " us to coalesce" + (capUs < config.coalesceMicros()
                ? " (coalesceMicros is " + config.coalesceMicros() + "; the receive buffer allows no more)" : "");
    }

    int queueDepth() {
        WorkerQueue q = queue;
        return q == null ? 0 : q.depth();
    }

    InetSocketAddress localAddress() {
        Receiver r = receiver;
        return r == null ? null : r.localAddress();
    }

    int effectiveReceiveBufferSize() {
        Receiver r = receiver;
        return r == null ? 0 : r.effectiveReceiveBufferSize();
    }
}
