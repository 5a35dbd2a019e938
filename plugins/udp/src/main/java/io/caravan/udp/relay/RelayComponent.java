package io.caravan.udp.relay;

import io.caravan.api.plugin.PluginContext;
import io.caravan.api.stage.OptionException;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/** The {@code relay:<name>} component: UDP datagram replication to N collectors; see {@link RelayEndpoint}. */
public final class RelayComponent extends DefaultComponent {
    private final PluginContext context;

    RelayComponent(PluginContext context) {
        this.context = context;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        RelayConfiguration configuration;
        try {
            configuration = RelayConfiguration.of(remaining, parameters);
        } catch (OptionException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        parameters.clear();
        return new RelayEndpoint(uri, this, configuration, context);
    }

    @Override
    protected boolean useIntrospectionOnEndpoint() {
        return false;
    }
}
