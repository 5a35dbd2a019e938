package io.caravan.skydive.store;

import io.caravan.api.plugin.PluginContext;
import io.caravan.api.stage.OptionException;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code skydive-store:<name>} component: one endpoint per store name and options; see
 * {@link StoreEndpoint}. The plugin context gives it its clock, logger
 * ({@code caravan.skydive.store}), data directory (for write=file's default) and meters.
 */
public final class StoreComponent extends DefaultComponent {
    private final PluginContext context;

    StoreComponent(PluginContext context) {
        this.context = context;
    }

    /**
     * Binds every parameter against the declared options, so a bad one (or an IBM api key) fails
     * the endpoint before its route starts, naming the component and the option.
     */
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        StoreConfiguration configuration;
        try {
            configuration = StoreConfiguration.of(remaining, parameters);
        } catch (OptionException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        parameters.clear();
        return new StoreEndpoint(uri, this, configuration, context);
    }

    @Override
    protected boolean useIntrospectionOnEndpoint() {
        return false;
    }
}
