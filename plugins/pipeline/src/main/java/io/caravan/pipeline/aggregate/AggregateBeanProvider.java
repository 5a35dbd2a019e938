package io.caravan.pipeline.aggregate;

import io.caravan.api.plugin.PluginContext;
import io.caravan.api.plugin.BeanProvider;
import java.util.Map;
import org.pf4j.Extension;

/** Contributes {@code flowBatchAggregator}, used from routes as {@code aggregationStrategy: "#flowBatchAggregator"}. */
@Extension
public class AggregateBeanProvider implements BeanProvider {
    private final String name = "flowBatchAggregator";

    @Override
    public Map<String, Object> beans(PluginContext context) {
        return Map.of(name, new FlowBatchAggregationStrategy());
    }

    @Override
    public Map<String, String> descriptions() {
        return Map.of(name, "Concatenates FlowBatch bodies; use with aggregate to batch by count or time.");
    }
}
