package io.caravan.pipeline.records;

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
import java.util.Map;
import org.apache.camel.Message;
import org.pf4j.Extension;

/**
 * {@code stage:encode-records}: one message per flow record, each with its own key, for sinks that
 * take a list of messages in one send (camel-kafka sends every element of a list body as its own
 * record, taking the key from each element's {@code kafka.KEY} header).
 */
@Extension
public class EncodeRecordsStageProvider implements StageProvider<FlowBatch, List<Message>> {
    /** The message formats. */
    enum Format { PROTOBUF, JSON }

    private final OptionSpec format = OptionSpec.choice("format", Format.class, Format.PROTOBUF,
            "protobuf: one goflow2 FlowMessage per message (as goflow2 -format bin); json: one JSON object per message.");
    private final OptionSpec delimited = OptionSpec.bool("delimited", true,
            "protobuf: put the varint length before the message, as goflow2 v2 does; false writes the bare message (goflow2 v1).");
    private final OptionSpec attributes = OptionSpec.bool("attributes", true,
            "json: include each record's attribute map (tags, enrichment).");
    private final OptionSpec key = OptionSpec.choice("key", RecordKey.class, RecordKey.EXPORTER,
            "Each message's key: the exporter (sampler) address, the source or destination address, or none.");
    private final OptionSpec keyHeader = OptionSpec.string("keyHeader", "kafka.KEY",
            "The header of each message that carries its key (kafka.KEY is camel-kafka's).");

    @Override
    public String name() {
        return "encode-records";
    }

    @Override
    public String description() {
        return "Writes each record of a FlowBatch as its own message (protobuf or JSON) with a key header, as a list for one send.";
    }

    @Override
    public Class<FlowBatch> inputType() {
        return FlowBatch.class;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Class<List<Message>> outputType() {
        return (Class) List.class;
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(format, delimited, attributes, key, keyHeader);
    }

    @Override
    public Stage<FlowBatch, List<Message>> create(StageOptions options, StageContext context) throws OptionException {
        Format f = options.getEnum(format.name(), Format.class);
        // The whole batch is encoded once by the format's own encoder, then cut into messages.
        Stage<FlowBatch, byte[]> encoder;
        if (f == Format.PROTOBUF) {
            EncodeProtobufStageProvider p = new EncodeProtobufStageProvider();
            encoder = p.create(StageOptions.bind(p.name(), p.options(), Map.of("delimited", "true")), context);
        } else {
            EncodeJsonStageProvider p = new EncodeJsonStageProvider();
            encoder = p.create(StageOptions.bind(p.name(), p.options(),
                    Map.of("attributes", String.valueOf(options.getBoolean(attributes.name())))), context);
        }
        String header = options.getString(keyHeader.name());
        if (header.isBlank()) {
            throw new OptionException("stage 'encode-records': keyHeader must not be blank");
        }
        Slicer slicer = f == Format.JSON ? Slicer.LINES
                : options.getBoolean(delimited.name()) ? Slicer.DELIMITED : Slicer.BARE;
        return new EncodeRecordsStage(encoder, slicer, options.getEnum(key.name(), RecordKey.class), header);
    }
}
