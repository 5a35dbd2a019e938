package io.caravan.skydive.store;

import io.caravan.api.plugin.PluginContext;
import io.caravan.api.plugin.SinkStatus;
import io.caravan.api.stage.OptionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code skydive-store:<name>} component: one endpoint per store name and options; see
 * {@link StoreEndpoint}. The plugin context gives it its clock, logger
 * ({@code caravan.skydive.store}), data directory (for write=file's default) and meters. Each
 * started store is a row of {@code GET /admin/sinks}: flows held per tag, stream, next sequence,
 * retry state, and why it is degraded when its writes fail.
 */
public final class StoreComponent extends DefaultComponent implements SinkStatus {
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
    public List<Map<String, Object>> sinkStatus() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Endpoint e : getCamelContext().getEndpoints()) {
            if (e instanceof StoreEndpoint store && store.getComponent() == this && store.isStarted()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("store", store.getConfiguration().name());
                row.putAll(store.status());
                store.degraded().ifPresent(why -> row.put("degraded", why));
                rows.add(row);
            }
        }
        return rows;
    }

    @Override
    protected boolean useIntrospectionOnEndpoint() {
        return false;
    }
}
