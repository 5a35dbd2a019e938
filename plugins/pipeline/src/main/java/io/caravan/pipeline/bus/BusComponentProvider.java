package io.caravan.pipeline.bus;

import io.caravan.api.plugin.ComponentProvider;
import io.caravan.api.plugin.PluginContext;
import io.caravan.api.stage.OptionSpec;
import java.util.List;
import org.apache.camel.Component;
import org.pf4j.Extension;

/** Contributes the {@code bus:} component. */
@Extension
public class BusComponentProvider implements ComponentProvider {

    @Override
    public String scheme() {
        return BusConstants.SCHEME;
    }

    @Override
    public String description() {
        return "In-process topics: to: bus:<topic> hands each flow batch to every subscriber route"
                + " (from: bus:<topic>?subscriber=<name>), each behind a bounded, counted queue.";
    }

    @Override
    public List<OptionSpec> options() {
        return BusConfiguration.OPTIONS;
    }

    @Override
    public Component create(PluginContext context) {
        return new BusComponent(context);
    }
}
