package io.caravan.pipeline.json;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import io.caravan.api.stage.StageOptions;
import io.caravan.api.stage.StageProvider;
import java.util.List;
import org.pf4j.Extension;

/** {@code stage:decode-json}: JSON lines, one flow record object per line, into a {@link FlowBatch}. */
@Extension
public class DecodeJsonStageProvider implements StageProvider<byte[], FlowBatch> {
    private final OptionSpec onError = OptionSpec.choice("onError", "fail",
            "On a line that is not a flow record: fail the message, or skip the line and count it.",
            "fail", "skip");

    @Override
    public String name() {
        return "decode-json";
    }

    @Override
    public String description() {
        return "Parses JSON lines (one flow record object per line) into a FlowBatch.";
    }

    @Override
    public Class<byte[]> inputType() {
        return byte[].class;
    }

    @Override
    public Class<FlowBatch> outputType() {
        return FlowBatch.class;
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(onError);
    }

    @Override
    public Stage<byte[], FlowBatch> create(StageOptions options, StageContext context) {
        boolean skip = "skip".equals(options.getString(onError.name()));
        return new DecodeJsonStage(new FlowJson(), context.clock(),
                skip ? context.counter("caravan.pipeline.json_invalid_lines") : null);
    }
}
