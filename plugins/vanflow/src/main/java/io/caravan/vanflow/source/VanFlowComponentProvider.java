package io.caravan.vanflow.source;

import io.caravan.api.plugin.ComponentProvider;
import io.caravan.api.plugin.PluginContext;
import io.caravan.api.stage.OptionSpec;
import java.util.List;
import org.apache.camel.Component;
import org.pf4j.Extension;

/** Contributes the {@code vanflow:} component. */
@Extension
public class VanFlowComponentProvider implements ComponentProvider {

    @Override
    public String scheme() {
        return VanFlowConstants.SCHEME;
    }

    @Override
    public String description() {
        return "Collects Skupper VAN-flow over AMQP 1.0 from a router: discovers event sources by their beacons,"
                + " attaches their record addresses, sends FLUSH, feeds the decoded records to the collector state"
                + " and emits FLOW records as FlowBatch bodies.";
    }

    @Override
    public List<OptionSpec> options() {
        return VanFlowConfiguration.OPTIONS;
    }

    @Override
    public Component create(PluginContext context) {
        return new VanFlowComponent(context);
    }
}
