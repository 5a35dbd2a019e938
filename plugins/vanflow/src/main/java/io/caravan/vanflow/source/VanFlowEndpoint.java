package io.caravan.vanflow.source;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.support.DefaultEndpoint;

/**
 * One named collector connection. Receive-only: its consumer connects when the route starts and
 * closes when it stops. Counts belong to the name, so they carry on across route restarts.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = VanFlowConstants.SCHEME, title = "VAN-flow",
        syntax = "vanflow:name", consumerOnly = true, category = {Category.MESSAGING})
public final class VanFlowEndpoint extends DefaultEndpoint {
    private final VanFlowComponent component;
    private final VanFlowConfiguration configuration;
    private final IngestCounts counts;
    private volatile VanFlowConsumer running;

    VanFlowEndpoint(String uri, VanFlowComponent component, VanFlowConfiguration configuration,
                    IngestCounts counts) {
        super(uri, component);
        this.component = component;
        this.configuration = configuration;
        this.counts = counts;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(VanFlowConstants.SCHEME + ": is receive-only");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        VanFlowConsumer consumer = new VanFlowConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public VanFlowConfiguration getConfiguration() {
        return configuration;
    }

    /** One of the {@link VanFlowConstants} counts of this endpoint name so far. */
    public long count(String meter) {
        return counts.get(meter);
    }

    /** Event sources known now; 0 when not running. */
    public int getActiveSources() {
        VanFlowConsumer c = running;
        return c == null ? 0 : c.activeSources();
    }

    IngestCounts counts() {
        return counts;
    }

    VanFlowComponent component() {
        return component;
    }

    void attach(VanFlowConsumer consumer) {
        running = consumer;
    }

    void detach(VanFlowConsumer consumer) {
        if (running == consumer) {
            running = null;
        }
    }
}
