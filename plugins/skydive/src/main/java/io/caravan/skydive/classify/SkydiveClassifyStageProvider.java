package io.caravan.skydive.classify;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.OptionType;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import io.caravan.api.stage.StageOptions;
import io.caravan.api.stage.StageProvider;
import io.caravan.skydive.topology.TopologyOptions;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;

/**
 * {@code stage:skydive-classify}: the exporter's {@code subnet_autodiscovery} classify. The plain
 * {@code subnet} classify is the pipeline plugin's {@code stage:classify} (same rule, same
 * attribute), so it is not repeated here.
 */
@Extension
public class SkydiveClassifyStageProvider implements StageProvider<FlowBatch, FlowBatch> {
    private final OptionSpec subnets = OptionSpec.of("subnets", OptionType.CIDR_LIST,
            "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16",
            "Networks inside the cluster, besides the discovered node addresses.");
    private final OptionSpec attribute = OptionSpec.string("attribute", "tag",
            "The record attribute that receives the class (internal, egress, ingress or other).");
    private final OptionSpec retry = OptionSpec.duration("retry", "1s",
            "Wait between node queries until the topology first answers.").min("100ms").max("1h");
    private final OptionSpec refresh = OptionSpec.duration("refresh", "5m",
            "Wait between node queries once the topology has answered.").min("1s").max("1d");
    private final OptionSpec analyzer = TopologyOptions.ANALYZER.asRequired();

    @Override
    public String name() {
        return "skydive-classify";
    }

    @Override
    public String description() {
        return "Tags each Skydive flow internal, egress, ingress or other by the cluster subnets plus the "
                + "Kubernetes node addresses discovered from the analyzer's topology.";
    }

    @Override
    public Class<FlowBatch> inputType() {
        return FlowBatch.class;
    }

    @Override
    public Class<FlowBatch> outputType() {
        return FlowBatch.class;
    }

    @Override
    public List<OptionSpec> options() {
        List<OptionSpec> all = new ArrayList<>(List.of(subnets, attribute, retry, refresh, analyzer));
        TopologyOptions.SPECS.stream().filter(s -> !s.name().equals(analyzer.name())).forEach(all::add);
        return all;
    }

    @Override
    public Stage<FlowBatch, FlowBatch> create(StageOptions options, StageContext context) {
        NodeDiscovery discovery = new NodeDiscovery(TopologyOptions.client(options), context.clock(),
                options.getDuration(retry.name()).toMillis(), options.getDuration(refresh.name()).toMillis(),
                context.counter("caravan.skydive.topology.queries", "purpose", "nodes"),
                context.counter("caravan.skydive.topology.errors", "purpose", "nodes"),
                context.logger("classify"));
        return new AutodiscoveryClassifyStage(options.getCidrs(subnets.name()), options.getString(attribute.name()),
                discovery);
    }
}
