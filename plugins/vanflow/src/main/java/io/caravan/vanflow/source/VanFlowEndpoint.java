package io.caravan.vanflow.source;

import io.caravan.api.plugin.EndpointStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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
public final class VanFlowEndpoint extends DefaultEndpoint implements EndpointStatus {
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

    /** For GET /admin/endpoints: where it connects, whether it is, the sources it knows and what it counted. */
    @Override
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", configuration.where());
        VanFlowConsumer c = running;
        Ingest i = c == null ? null : c.ingest();
        m.put("running", i != null);
        m.put("connected", i != null && i.connected());
        m.put("sources", i == null ? 0 : i.activeSources());
        m.put("queued", i == null ? 0 : i.queued());
        m.put("lastError", i == null ? null : i.lastError());
        for (String meter : new String[] {VanFlowConstants.METER_CONNECTS, VanFlowConstants.METER_RECORDS,
            VanFlowConstants.METER_FLUSHES, VanFlowConstants.METER_PURGES, VanFlowConstants.METER_MALFORMED,
            VanFlowConstants.METER_QUEUE_DROPS, VanFlowConstants.METER_FLOW_RECORDS}) {
            m.put(meter.substring(meter.lastIndexOf("ingest.") + "ingest.".length()), counts.get(meter));
        }
        return m;
    }

    /** Degraded while its route runs but the router is not connected (connecting or reconnecting). */
    @Override
    public Optional<String> degraded() {
        VanFlowConsumer c = running;
        Ingest i = c == null ? null : c.ingest();
        if (i == null || i.connected()) {
            return Optional.empty();
        }
        String error = i.lastError();
        return Optional.of(VanFlowConstants.SCHEME + ":" + configuration.name() + ": not connected to "
                + configuration.where() + (error == null ? " (connecting)" : " (" + error + "); reconnecting"));
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
