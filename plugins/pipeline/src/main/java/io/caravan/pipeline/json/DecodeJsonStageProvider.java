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
    /** What a line that is not a flow record does. */
    enum OnError { FAIL, SKIP }

    private final OptionSpec onError = OptionSpec.choice("onError", OnError.class, OnError.FAIL,
            "On a line that is not a flow record: fail the message, or skip the line and count it.");

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
        boolean skip = options.getEnum(onError.name(), OnError.class) == OnError.SKIP;
        return new DecodeJsonStage(new FlowJson(), context.clock(),
                skip ? context.counter("caravan.pipeline.json_invalid_lines") : null);
    }
}
