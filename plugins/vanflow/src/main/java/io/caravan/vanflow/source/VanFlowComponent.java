package io.caravan.vanflow.source;

import io.caravan.api.plugin.PluginContext;
import io.caravan.api.stage.OptionException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code vanflow:NAME?url=amqp://host:port} component: a VAN-flow collector's AMQP side. One
 * endpoint per name; see {@link VanFlowEndpoint} and {@link VanFlowConsumer}.
 */
public final class VanFlowComponent extends DefaultComponent {
    private final PluginContext context;
    private final Map<String, IngestCounts> counts = new ConcurrentHashMap<>();

    public VanFlowComponent(PluginContext context) {
        this.context = context;
    }

    /** Binds every parameter against {@link VanFlowConfiguration#OPTIONS}; a bad one fails the route. */
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        VanFlowConfiguration configuration;
        try {
            configuration = VanFlowConfiguration.of(remaining, parameters);
        } catch (OptionException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        parameters.clear();
        IngestCounts c = counts.computeIfAbsent(configuration.name(), n -> new IngestCounts(context, n));
        return new VanFlowEndpoint(uri, this, configuration, c);
    }

    @Override
    protected boolean useIntrospectionOnEndpoint() {
        return false;
    }

    PluginContext context() {
        return context;
    }
}
