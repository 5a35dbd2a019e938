package io.caravan.pipeline.classify;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.OptionType;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import io.caravan.api.stage.StageOptions;
import io.caravan.api.stage.StageProvider;
import java.util.List;
import org.pf4j.Extension;

/**
 * {@code stage:classify}: tags each record {@code internal}, {@code egress}, {@code ingress} or
 * {@code other} by where its source and destination addresses lie relative to the site's networks.
 */
@Extension
public class ClassifyStageProvider implements StageProvider<FlowBatch, FlowBatch> {
    private final OptionSpec internal = OptionSpec.of("internal", OptionType.CIDR_LIST,
            "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7",
            "Networks inside the site.");
    private final OptionSpec attribute = OptionSpec.of("attribute", OptionType.STRING, "tag",
            "The record attribute that receives the class (internal, egress, ingress or other).");

    @Override
    public String name() {
        return "classify";
    }

    @Override
    public String description() {
        return "Tags each record internal, egress, ingress or other by its source and destination networks.";
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
        return List.of(internal, attribute);
    }

    @Override
    public Stage<FlowBatch, FlowBatch> create(StageOptions options, StageContext context) {
        return new ClassifyStage(options.getCidrs(internal.name()), options.getString(attribute.name()));
    }
}
