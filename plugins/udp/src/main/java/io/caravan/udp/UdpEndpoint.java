package io.caravan.udp;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;

/**
 * One local address and port. Receive-only: its consumer binds the sockets when its route starts
 * and closes them when it stops (see {@link UdpConsumer}). The counts live here, so they keep
 * growing across route restarts for as long as the endpoint exists.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = UdpConstants.SCHEME, title = "UDP",
        syntax = "udp://host:port", consumerOnly = true, category = {Category.NETWORKING})
public final class UdpEndpoint extends DefaultEndpoint {
    @UriParam
    private final UdpConfiguration configuration;
    private final LongAdder datagrams = new LongAdder();
    private final LongAdder queueDrops = new LongAdder();
    private final LongAdder processErrors = new LongAdder();
    private volatile UdpConsumer running;

    UdpEndpoint(String uri, UdpComponent component, UdpConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(UdpConstants.SCHEME + ": is receive-only; use netty:udp to send");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        UdpConsumer consumer = new UdpConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public UdpConfiguration getConfiguration() {
        return configuration;
    }

    /** Datagrams read from the sockets since the endpoint was created: processed, queued or dropped. */
    public long getDatagrams() {
        return datagrams.sum();
    }

    /** Datagrams dropped because the worker queue was full (or still queued when a stop gave up waiting). */
    public long getQueueDrops() {
        return queueDrops.sum();
    }

    /** Datagrams whose exchange ended with an exception the route did not handle. */
    public long getProcessErrors() {
        return processErrors.sum();
    }

    /** Datagrams waiting in the worker queue now; 0 when there are no workers or the endpoint is not receiving. */
    public int getQueueDepth() {
        UdpConsumer c = running;
        return c == null ? 0 : c.queueDepth();
    }

    /** The address the sockets are bound to (with the real port when the URI says 0); null when not receiving. */
    public InetSocketAddress getLocalAddress() {
        UdpConsumer c = running;
        return c == null ? null : c.localAddress();
    }

    /**
     * SO_RCVBUF as the kernel reports it after binding (many Linux kernels report twice the granted
     * size); 0 when not receiving.
     */
    public int getEffectiveReceiveBufferSize() {
        UdpConsumer c = running;
        return c == null ? 0 : c.effectiveReceiveBufferSize();
    }

    void received(int n) {
        datagrams.add(n);
    }

    void dropped(long n) {
        queueDrops.add(n);
    }

    void failed(int n) {
        processErrors.add(n);
    }

    void attach(UdpConsumer consumer) {
        running = consumer;
    }

    void detach(UdpConsumer consumer) {
        if (running == consumer) {
            running = null;
        }
    }
}
