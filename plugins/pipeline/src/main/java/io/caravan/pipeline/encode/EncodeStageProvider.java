package io.caravan.pipeline.encode;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import io.caravan.api.stage.StageOptions;
import io.caravan.api.stage.StageProvider;
import io.caravan.pipeline.json.EncodeJsonStageProvider;
import io.caravan.pipeline.protobuf.EncodeProtobufStageProvider;
import java.util.List;
import org.pf4j.Extension;

/**
 * {@code stage:encode?format=json|protobuf}: the encoder chosen by an option, so a route can take
 * the output format from configuration ({@code format={{caravan.collect.encoding}}}). It builds
 * {@code encode-json} or {@code encode-protobuf} with their defaults and hands every batch to it.
 */
@Extension
public class EncodeStageProvider implements StageProvider<FlowBatch, byte[]> {
    /** The encoders this stage chooses between. */
    enum Format { JSON, PROTOBUF }

    private final OptionSpec format = OptionSpec.choice("format", Format.class, Format.JSON,
            "json: as encode-json (JSON lines with attributes); protobuf: as encode-protobuf (length-delimited FlowMessages).");

    @Override
    public String name() {
        return "encode";
    }

    @Override
    public String description() {
        return "Writes a FlowBatch in the format an option names (JSON lines or length-delimited protobuf); an empty batch is dropped.";
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
        return List.of(format);
    }

    @Override
    public Stage<FlowBatch, byte[]> create(StageOptions options, StageContext context) throws OptionException {
        StageProvider<FlowBatch, byte[]> delegate = switch (options.getEnum(format.name(), Format.class)) {
            case PROTOBUF -> new EncodeProtobufStageProvider();
            case JSON -> new EncodeJsonStageProvider();
        };
        return delegate.create(StageOptions.defaults(delegate.name(), delegate.options()), context);
    }
}
