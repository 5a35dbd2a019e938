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

/** {@code stage:decode-protobuf}: length-delimited goflow2 {@code FlowMessage}s into a {@link FlowBatch}. */
@Extension
public class DecodeProtobufStageProvider implements StageProvider<byte[], FlowBatch> {
    private final OptionSpec delimited = OptionSpec.of("delimited", OptionType.BOOLEAN, "true",
            "Read messages each after its length as a varint (goflow2 -format bin); false reads the body as one bare message.");

    @Override
    public String name() {
        return "decode-protobuf";
    }

    @Override
    public String description() {
        return "Parses goflow2 FlowMessage protobufs, each after a varint length, into a FlowBatch.";
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
        return List.of(delimited);
    }

    @Override
    public Stage<byte[], FlowBatch> create(StageOptions options, StageContext context) {
        return new DecodeProtobufStage(options.getBoolean(delimited.name()), context.clock());
    }
}
