package io.caravan.skydive.source;

import io.caravan.api.plugin.EndpointStatus;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.support.DefaultEndpoint;
import org.slf4j.Logger;

/**
 * One analyzer subscription. Receive-only: its consumer connects when the route starts and
 * disconnects when it stops (see {@link SkydiveConsumer}). The counts belong to the analyzer (see
 * {@link SkydiveCounts}); {@link #status()} is what operators see, without credentials.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = SkydiveConstants.SCHEME, title = "Skydive analyzer flows",
        syntax = "skydive:host:port", consumerOnly = true, category = {Category.NETWORKING, Category.MONITORING})
public final class SkydiveEndpoint extends DefaultEndpoint implements EndpointStatus {
    private final SkydiveComponent component;
    private final SkydiveConfiguration configuration;
    private final String hostId;
    private final SkydiveCounts counts;
    private final ConnectionStatus status;
    private volatile SkydiveConsumer running;

    SkydiveEndpoint(String uri, SkydiveComponent component, SkydiveConfiguration configuration, String hostId,
                    SkydiveCounts counts) {
        super(uri, component);
        this.component = component;
        this.configuration = configuration;
        this.hostId = hostId;
        this.counts = counts;
        this.status = new ConnectionStatus(component.context().clock());
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(SkydiveConstants.SCHEME + ": is receive-only (an analyzer subscriber)");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        SkydiveConsumer consumer = new SkydiveConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public SkydiveConfiguration getConfiguration() {
        return configuration;
    }

    /** The X-Host-ID sent: the configured one, or the one generated for this subscription. */
    public String hostId() {
        return hostId;
    }

    /**
     * The subscription as operators see it: analyzer, namespace, host id, connection state (since,
     * last error, next attempt) and the analyzer's counts. Never a credential.
     */
    @Override
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("analyzer", configuration.analyzer().address());
        m.put("tls", configuration.analyzer().tls());
        m.put("namespace", configuration.namespace());
        m.put("protocol", configuration.protocolHeader());
        m.put("hostId", hostId);
        m.putAll(status.view());
        m.put("messages", counts.messages());
        m.put("flows", counts.flows());
        m.put("ignored", counts.ignored());
        m.put("envelopeErrors", counts.envelopeErrors());
        m.put("flowErrors", counts.flowErrors());
        m.put("oversize", counts.oversize());
        m.put("reconnects", counts.reconnects());
        m.put("processErrors", counts.processErrors());
        return m;
    }

    /**
     * While the route runs without an open connection: "disconnected" while connecting for the
     * first time, "retrying" after a failure, with the last error (never a credential).
     */
    @Override
    public Optional<String> degraded() {
        ConnectionStatus.State s = status.state();
        if (running == null || s == ConnectionStatus.State.CONNECTED || s == ConnectionStatus.State.STOPPED) {
            return Optional.empty();
        }
        String error = status.lastError();
        String what = s == ConnectionStatus.State.WAITING ? "retrying" : "disconnected";
        return Optional.of(what + ": not subscribed to analyzer " + configuration.analyzer().address()
                + (error.isEmpty() ? "" : " (" + error + ")"));
    }

    /** Whether a connection is open now. */
    public boolean isConnected() {
        return status.state() == ConnectionStatus.State.CONNECTED;
    }

    /** The last connection error in words ("" when none yet). */
    public String getLastError() {
        return status.lastError();
    }

    public long getMessages() {
        return counts.messages();
    }

    public long getFlows() {
        return counts.flows();
    }

    public long getIgnored() {
        return counts.ignored();
    }

    public long getEnvelopeErrors() {
        return counts.envelopeErrors();
    }

    public long getFlowErrors() {
        return counts.flowErrors();
    }

    public long getOversize() {
        return counts.oversize();
    }

    public long getReconnects() {
        return counts.reconnects();
    }

    public long getProcessErrors() {
        return counts.processErrors();
    }

    SkydiveCounts counts() {
        return counts;
    }

    ConnectionStatus connectionStatus() {
        return status;
    }

    EnvelopeDecoder decoder() {
        return component.decoder();
    }

    Clock clock() {
        return component.context().clock();
    }

    Logger logger(String concern) {
        return component.context().logger(concern);
    }

    void attach(SkydiveConsumer consumer) {
        running = consumer;
    }

    void detach(SkydiveConsumer consumer) {
        if (running == consumer) {
            running = null;
        }
    }
}
