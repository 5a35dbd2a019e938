package io.caravan.skydive.source;

import io.caravan.api.plugin.ComponentProvider;
import io.caravan.api.plugin.PluginContext;
import io.caravan.api.stage.OptionSpec;
import java.util.List;
import org.apache.camel.Component;
import org.pf4j.Extension;

/** Contributes the {@code skydive:} component. */
@Extension
public class SkydiveComponentProvider implements ComponentProvider {

    @Override
    public String scheme() {
        return SkydiveConstants.SCHEME;
    }

    @Override
    public String description() {
        return "Subscribes to a Skydive analyzer's /ws/subscriber/flow (ws or wss, JSON or protobuf envelopes, Basic"
                + " or login-cookie auth) and hands on each message's flows as one FlowBatch of SKYDIVE records,"
                + " reconnecting with capped backoff.";
    }

    @Override
    public List<OptionSpec> options() {
        return SkydiveConfiguration.OPTIONS;
    }

    @Override
    public Component create(PluginContext context) {
        return new SkydiveComponent(context);
    }
}
