package io.caravan.pipeline.protobuf;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.OptionType;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import io.caravan.api.stage.StageOptions;
import io.caravan.api.stage.StageProvider;
import java.util.List;
import org.pf4j.Extension;

/** {@code stage:encode-protobuf}: a {@link FlowBatch} as goflow2 {@code FlowMessage}s, length-delimited. */
@Extension
public class EncodeProtobufStageProvider implements StageProvider<FlowBatch, byte[]> {
    private final OptionSpec delimited = OptionSpec.of("delimited", OptionType.BOOLEAN, "true",
            "Put each message after its length as a varint (goflow2 -format bin); false writes one bare message"
                    + " and takes only single-record batches.");

    @Override
    public String name() {
        return "encode-protobuf";
    }

    @Override
    public String description() {
        return "Writes a FlowBatch as goflow2 FlowMessage protobufs, each after a varint length; an empty batch is dropped.";
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
        return List.of(delimited);
    }

    @Override
    public Stage<FlowBatch, byte[]> create(StageOptions options, StageContext context) {
        return new EncodeProtobufStage(options.getBoolean(delimited.name()));
    }
}
