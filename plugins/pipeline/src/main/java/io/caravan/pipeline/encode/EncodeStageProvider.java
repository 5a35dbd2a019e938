package io.caravan.pipeline.encode;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.OptionType;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import io.caravan.api.stage.StageOptions;
import io.caravan.api.stage.StageProvider;
import io.caravan.pipeline.json.EncodeJsonStageProvider;
import io.caravan.pipeline.protobuf.EncodeProtobufStageProvider;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * {@code stage:encode?format=json|protobuf}: the encoder chosen by an option, so a route can take
 * the output format from configuration ({@code format={{caravan.collect.encoding}}}). It builds
 * {@code encode-json} or {@code encode-protobuf} with their defaults, but for {@code omitZero},
 * which it passes to encode-json, and hands every batch to it.
 */
@Extension
public class EncodeStageProvider implements StageProvider<FlowBatch, byte[]> {
    /** The encoders this stage chooses between. */
    enum Format { JSON, PROTOBUF }

    private final OptionSpec format = OptionSpec.choice("format", Format.class, Format.JSON,
            "json: as encode-json (JSON lines with attributes); protobuf: as encode-protobuf (length-delimited FlowMessages).");
    private final OptionSpec omitZero = OptionSpec.of("omitZero", OptionType.BOOLEAN, "false",
            "With json: leave out numbers equal to 0 and all-zero MACs, as encode-json's omitZero; protobuf never writes them.");

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
        return List.of(format, omitZero);
    }

    @Override
    public Stage<FlowBatch, byte[]> create(StageOptions options, StageContext context) throws OptionException {
        return switch (options.getEnum(format.name(), Format.class)) {
            case PROTOBUF -> create(new EncodeProtobufStageProvider(), Map.of(), context);
            case JSON -> create(new EncodeJsonStageProvider(),
                    Map.of(omitZero.name(), options.getBoolean(omitZero.name())), context);
        };
    }

    /** The delegate with its defaults but for the options given (bound by name: a rename fails here, loudly). */
    private static Stage<FlowBatch, byte[]> create(StageProvider<FlowBatch, byte[]> delegate, Map<String, ?> given,
            StageContext context) throws OptionException {
        return delegate.create(StageOptions.bind(delegate.name(), delegate.options(), given), context);
    }
}
