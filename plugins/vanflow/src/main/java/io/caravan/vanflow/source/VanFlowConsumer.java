package io.caravan.vanflow.source;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.Origin;
import io.caravan.api.plugin.PluginContext;
import io.caravan.vanflow.amqp.AmqpSettings;
import io.caravan.vanflow.amqp.PemTls;
import io.caravan.vanflow.event.Beacon;
import io.caravan.vanflow.event.VanFlowListener;
import io.caravan.vanflow.event.VanRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;

/**
 * Runs an {@link Ingest} while its route runs, feeding the registry's {@link VanFlowListener} (option
 * {@code state}, the collector state bean) and the route with FlowBatch exchanges of FlowRecords.
 */
final class VanFlowConsumer extends DefaultConsumer {
    private final VanFlowEndpoint endpoint;
    private Ingest ingest;

    VanFlowConsumer(VanFlowEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        VanFlowConfiguration c = endpoint.getConfiguration();
        PluginContext context = endpoint.component().context();
        Logger log = context.logger("ingest");
        SSLContext ssl = null;
        if ("amqps".equals(c.url().getScheme()) && !(c.tlsCert().isEmpty() && c.tlsCa().isEmpty())) {
            try {
                ssl = PemTls.context(path(c.tlsCert()), path(c.tlsKey()), path(c.tlsCa()));
            } catch (Exception e) {
                throw new IllegalArgumentException(VanFlowConstants.SCHEME + ":" + c.name() + ": cannot load the TLS"
                        + " files (tlsCert, tlsKey, tlsCa): " + e.getMessage(), e);
            }
        }
        AmqpSettings settings = new AmqpSettings(c.url(), c.prefetch(), ssl, c.verifyHost(), c.connectTimeout(),
                "caravan-vanflow-" + c.name() + "-" + java.util.UUID.randomUUID(),
                c.tlsCert().isEmpty() ? "ANONYMOUS" : "EXTERNAL");
        ingest = new Ingest(c, settings, listener(c, log), this::emit, endpoint.counts(), context.clock(), log);
        endpoint.attach(this);
        endpoint.counts().activeSources(ingest::activeSources);
        ingest.start();
    }

    @Override
    protected void doStop() throws Exception {
        Ingest i = ingest;
        ingest = null;
        endpoint.detach(this);
        endpoint.counts().activeSources(() -> 0);
        if (i != null) {
            i.stop(Duration.ofSeconds(10));
        }
        super.doStop();
    }

    int activeSources() {
        Ingest i = ingest;
        return i == null ? 0 : i.activeSources();
    }

    /** The running ingest, or null once stopped (for the endpoint's status). */
    Ingest ingest() {
        return ingest;
    }

    /** On the ingest thread: one exchange per RECORD message that finished (or updated) flows. */
    private void emit(List<FlowRecord> records) {
        Exchange exchange = createExchange(false);
        try {
            exchange.getIn().setBody(new FlowBatch(new Origin(null, 0, System.currentTimeMillis()), records));
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("vanflow: a FlowBatch failed in the route", exchange,
                        exchange.getException());
            }
        } catch (Exception e) {
            getExceptionHandler().handleException("vanflow: a FlowBatch failed in the route", exchange, e);
        } finally {
            releaseExchange(exchange, false);
        }
    }

    private VanFlowListener listener(VanFlowConfiguration c, Logger log) {
        if (c.state().isEmpty()) {
            return NONE;
        }
        VanFlowListener l = endpoint.getCamelContext().getRegistry().lookupByNameAndType(c.state(),
                VanFlowListener.class);
        if (l == null) {
            log.warn("vanflow {}: no VanFlowListener bean named '{}' in the registry: records become FlowRecords"
                    + " only (set state=none to silence this)", c.name(), c.state());
            return NONE;
        }
        return l;
    }

    private static Path path(String s) {
        return s == null || s.isEmpty() ? null : Path.of(s);
    }

    private static final VanFlowListener NONE = new VanFlowListener() {
        @Override
        public void beacon(Beacon beacon, long nowMs) {
        }

        @Override
        public void heartbeat(String sourceId, long nowMs) {
        }

        @Override
        public void records(String sourceId, List<VanRecord> records, long nowMs) {
        }

        @Override
        public void sourceLost(String sourceId, long nowMs) {
        }
    };
}
