package io.caravan.pipeline.json;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.OptionType;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import io.caravan.api.stage.StageOptions;
import io.caravan.api.stage.StageProvider;
import java.util.List;
import org.pf4j.Extension;

/** {@code stage:encode-json}: a {@link FlowBatch} as JSON lines, one flow record object per line. */
@Extension
public class EncodeJsonStageProvider implements StageProvider<FlowBatch, byte[]> {
    private final OptionSpec attributes = OptionSpec.of("attributes", OptionType.BOOLEAN, "true",
            "Include each record's attribute map (tags, enrichment).");
    private final OptionSpec omitZero = OptionSpec.of("omitZero", OptionType.BOOLEAN, "false",
            "Leave out numbers equal to 0 and all-zero MACs (smaller lines; readers take a missing field as 0).");

    @Override
    public String name() {
        return "encode-json";
    }

    @Override
    public String description() {
        return "Writes a FlowBatch as JSON lines (UTF-8, one flow record object per line); an empty batch is dropped.";
    }

    @Override
    public Class<FlowBatch> inputType() {
        return FlowBatch.class;
    }

    @Override
    public Class<byte[]> outputType() {
        return byte[].class;
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(attributes, omitZero);
    }

    @Override
    public Stage<FlowBatch, byte[]> create(StageOptions options, StageContext context) {
        return new EncodeJsonStage(new FlowJson(), options.getBoolean(attributes.name()),
                options.getBoolean(omitZero.name()));
    }
}
