package io.caravan.udp;

import io.caravan.api.plugin.PluginContext;
import io.caravan.api.stage.OptionException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code udp://HOST:PORT} component: a receive-only UDP source. One endpoint per URI; see
 * {@link UdpEndpoint} and {@link UdpConsumer}. Its meters, clock and loggers come from the plugin
 * context it was created with; its counts are kept per address for the component's life.
 */
public final class UdpComponent extends DefaultComponent {
    private final PluginContext context;
    private final Map<String, UdpCounts> counts = new ConcurrentHashMap<>();

    UdpComponent(PluginContext context) {
        this.context = context;
    }

    /**
     * Binds every parameter against the declared options ({@link UdpConfiguration#OPTIONS}), so
     * nothing is left for Camel's reflective binding and a bad one fails the endpoint before its
     * route starts, with a message that names the component and the option.
     */
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        UdpConfiguration configuration;
        try {
            configuration = UdpConfiguration.of(remaining, parameters);
        } catch (OptionException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        parameters.clear();
        UdpCounts c = counts.computeIfAbsent(configuration.address(), address -> new UdpCounts(context, address));
        return new UdpEndpoint(uri, this, configuration, c);
    }

    @Override
    protected boolean useIntrospectionOnEndpoint() {
        return false;
    }

    PluginContext context() {
        return context;
    }
}
