package io.caravan.udp.relay;

import io.caravan.api.plugin.ComponentProvider;
import io.caravan.api.plugin.PluginContext;
import io.caravan.api.stage.OptionSpec;
import java.util.List;
import org.apache.camel.Component;
import org.pf4j.Extension;

/** Contributes the {@code relay:} component. */
@Extension
public class RelayComponentProvider implements ComponentProvider {

    @Override
    public String scheme() {
        return RelayConfiguration.SCHEME;
    }

    @Override
    public String description() {
        return "Replicates UDP datagrams unchanged to N collectors (like samplicator or nfcapd -R), keeping each"
                + " exporter's source address where the process has CAP_NET_RAW.";
    }

    @Override
    public List<OptionSpec> options() {
        return RelayConfiguration.OPTIONS;
    }

    @Override
    public Component create(PluginContext context) {
        return new RelayComponent(context);
    }
}
