package io.caravan.pipeline.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.Origin;
import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.Stage;
import io.caravan.pipeline.json.EncodeJsonStageProvider;
import io.caravan.pipeline.protobuf.EncodeProtobufStageProvider;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncodeStageTest {
    private final RecordingStageContext context = RecordingStageContext.of("encode", new SettableClock(0));

    @Test
    void jsonIsTheDefaultAndWritesWhatEncodeJsonWrites() throws Exception {
        Stage<FlowBatch, byte[]> byDefault = context.create(new EncodeStageProvider(), Map.of());
        Stage<FlowBatch, byte[]> json = context.create(new EncodeStageProvider(), Map.of("format", "json"));
        Stage<FlowBatch, byte[]> reference = context.create(new EncodeJsonStageProvider(), Map.of());

        assertThat(byDefault.apply(batch())).isEqualTo(reference.apply(batch()));
        assertThat(json.apply(batch())).isEqualTo(reference.apply(batch()));
    }

    @Test
    void omitZeroIsPassedToEncodeJson() throws Exception {
        Stage<FlowBatch, byte[]> omitting = context.create(new EncodeStageProvider(), Map.of("omitZero", "true"));
        Stage<FlowBatch, byte[]> reference = context.create(new EncodeJsonStageProvider(), Map.of("omitZero", "true"));

        assertThat(omitting.apply(batch())).isEqualTo(reference.apply(batch()))
                .isNotEqualTo(context.create(new EncodeStageProvider(), Map.of()).apply(batch()));
        assertThat(new String(omitting.apply(batch()), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"type\":\"FLOWUNKNOWN\",\"bytes\":2,\"src_port\":1}\n"
                        + "{\"type\":\"FLOWUNKNOWN\",\"attributes\":{\"tag\":\"x\"}}\n");
    }

    @Test
    void omitZeroChangesNothingInProtobufWhichNeverWritesZeros() throws Exception {
        Stage<FlowBatch, byte[]> protobuf = context.create(new EncodeStageProvider(),
                Map.of("format", "protobuf", "omitZero", "true"));
        Stage<FlowBatch, byte[]> reference = context.create(new EncodeProtobufStageProvider(), Map.of());

        assertThat(protobuf.apply(batch())).isEqualTo(reference.apply(batch()));
    }

    @Test
    void protobufWritesWhatEncodeProtobufWrites() throws Exception {
        Stage<FlowBatch, byte[]> protobuf = context.create(new EncodeStageProvider(), Map.of("format", "protobuf"));
        Stage<FlowBatch, byte[]> reference = context.create(new EncodeProtobufStageProvider(), Map.of());

        assertThat(protobuf.apply(batch())).isEqualTo(reference.apply(batch())).startsWith(5);
    }

    @Test
    void anEmptyBatchIsDroppedInEitherFormat() throws Exception {
        for (String format : new String[] {"json", "protobuf"}) {
            assertThat(context.create(new EncodeStageProvider(), Map.of("format", format))
                    .apply(FlowBatch.of(Origin.UNKNOWN))).as(format).isNull();
        }
    }

    @Test
    void anUnknownFormatFailsNamingTheChoices() {
        assertThatThrownBy(() -> context.create(new EncodeStageProvider(), Map.of("format", "csv")))
                .isInstanceOf(OptionException.class)
                .hasMessage("stage 'encode': option 'format' must be one of json, protobuf; got 'csv'");
    }

    /** Two records: the first message (bytes 2, src_port 1) is 5 bytes long; the second has every field 0. */
    private static FlowBatch batch() {
        return FlowBatch.of(Origin.UNKNOWN, new FlowRecord().srcPort(1).bytes(2), new FlowRecord().attribute("tag", "x"));
    }
}
