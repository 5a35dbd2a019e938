package io.caravan.udp;

import java.net.InetSocketAddress;
import java.time.Clock;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.support.DefaultEndpoint;
import org.slf4j.Logger;

/**
 * One local address and port. Receive-only: its consumer binds the sockets when its route starts
 * and closes them when it stops (see {@link UdpConsumer}). The counts belong to the address (see
 * {@link UdpCounts}), so they keep growing across route restarts.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = UdpConstants.SCHEME, title = "UDP",
        syntax = "udp://host:port", consumerOnly = true, category = {Category.NETWORKING})
public final class UdpEndpoint extends DefaultEndpoint {
    private final UdpComponent component;
    private final UdpConfiguration configuration;
    private final UdpCounts counts;
    private volatile UdpConsumer running;

    UdpEndpoint(String uri, UdpComponent component, UdpConfiguration configuration, UdpCounts counts) {
        super(uri, component);
        this.component = component;
        this.configuration = configuration;
        this.counts = counts;
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

    /** Datagrams read from the sockets of this address: processed, queued or dropped. */
    public long getDatagrams() {
        return counts.datagrams();
    }

    /** Datagrams dropped because the worker queue was full (or still queued when a stop gave up waiting). */
    public long getQueueDrops() {
        return counts.queueDrops();
    }

    /** Datagrams whose exchange ended with an exception the route did not handle. */
    public long getProcessErrors() {
        return counts.processErrors();
    }

    /** Batches waiting in the worker queue now; 0 when there are no workers or the endpoint is not receiving. */
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

    UdpCounts counts() {
        return counts;
    }

    /** The clock datagrams are time-stamped with: the plugin context's. */
    Clock clock() {
        return component.context().clock();
    }

    /** The plugin context's logger for one concern of the component ({@code caravan.udp.<concern>} in the server). */
    Logger logger(String concern) {
        return component.context().logger(concern);
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
