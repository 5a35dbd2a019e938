package io.caravan.udp;

import io.caravan.api.plugin.ComponentProvider;
import io.caravan.api.plugin.PluginContext;
import io.caravan.api.stage.OptionSpec;
import java.util.List;
import org.apache.camel.Component;
import org.pf4j.Extension;

/** Contributes the {@code udp:} component. */
@Extension
public class UdpComponentProvider implements ComponentProvider {

    @Override
    public String scheme() {
        return UdpConstants.SCHEME;
    }

    @Override
    public String description() {
        return "Receives whole UDP datagrams as DatagramBatch bodies, from one or more SO_REUSEPORT sockets per port,"
                + " on the reader threads or through a bounded worker queue whose drops are counted.";
    }

    @Override
    public List<OptionSpec> options() {
        return UdpConfiguration.OPTIONS;
    }

    @Override
    public Component create(PluginContext context) {
        return new UdpComponent(context);
    }
}
