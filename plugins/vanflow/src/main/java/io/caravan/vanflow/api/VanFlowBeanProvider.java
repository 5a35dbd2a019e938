package io.caravan.vanflow.api;

import io.caravan.api.plugin.BeanProvider;
import io.caravan.api.plugin.PluginContext;
import io.caravan.vanflow.metrics.CollectorMetrics;
import io.caravan.vanflow.state.CollectorState;
import java.util.Map;
import org.pf4j.Extension;

/**
 * Binds the collector: {@code vanflowState} (the {@link CollectorState}, the
 * {@link io.caravan.vanflow.event.VanFlowListener} the AMQP side feeds) and {@code vanflowApi} (the
 * REST processor routes/vanflow-api.yaml calls). Both share one state per plugin load.
 */
@Extension
public class VanFlowBeanProvider implements BeanProvider {
    @Override
    public Map<String, Object> beans(PluginContext context) {
        CollectorState state = new CollectorState(context.clock(), new CollectorMetrics(context), CollectorState.DEFAULT_TTL,
                CollectorState.DEFAULT_MAX_RECORDS);
        return Map.of(BeanNames.STATE, state, BeanNames.API, new VanFlowApiProcessor(state, context.logger("api")));
    }

    @Override
    public Map<String, String> descriptions() {
        return Map.of(BeanNames.STATE, "The VAN-flow collector state (a VanFlowListener): records, event sources and derived views.",
                BeanNames.API, "Answers the collector REST API under /api/v1alpha1 from vanflowState (routes/vanflow-api.yaml).");
    }
}
