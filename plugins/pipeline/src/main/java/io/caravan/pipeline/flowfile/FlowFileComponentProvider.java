package io.caravan.pipeline.flowfile;

import io.caravan.api.plugin.ComponentProvider;
import io.caravan.api.plugin.PluginContext;
import io.caravan.api.stage.OptionSpec;
import java.util.List;
import org.apache.camel.Component;
import org.pf4j.Extension;

/** Contributes the {@code flowfile:} component. */
@Extension
public class FlowFileComponentProvider implements ComponentProvider {

    @Override
    public String scheme() {
        return FlowFileConstants.SCHEME;
    }

    @Override
    public String description() {
        return "Appends encoded flow records to rotating files, renamed from .<name>.inprogress to their final name when complete.";
    }

    @Override
    public List<OptionSpec> options() {
        return FlowFileConfiguration.OPTIONS;
    }

    @Override
    public Component create(PluginContext context) {
        return new FlowFileComponent(context);
    }
}
