package io.caravan.erspan;

import io.caravan.api.plugin.ComponentProvider;
import io.caravan.api.plugin.PluginContext;
import io.caravan.api.stage.OptionSpec;
import java.util.List;
import org.apache.camel.Component;
import org.pf4j.Extension;

/** Contributes the {@code erspan:} component. */
@Extension
public class ErspanComponentProvider implements ComponentProvider {

    @Override
    public String scheme() {
        return ErspanConfiguration.SCHEME;
    }

    @Override
    public String description() {
        return "Mirrors the frames records carry (sFlow raw packet headers with decode-sflow frames=true) to a packet"
                + " analyzer as GRE-encapsulated ERSPAN type II or III, with sequence numbers (needs CAP_NET_RAW).";
    }

    @Override
    public List<OptionSpec> options() {
        return ErspanConfiguration.OPTIONS;
    }

    @Override
    public Component create(PluginContext context) {
        return new ErspanComponent(context);
    }
}
