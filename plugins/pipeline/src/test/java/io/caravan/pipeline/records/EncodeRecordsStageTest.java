package io.caravan.pipeline.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.Origin;
import io.caravan.api.net.AddressText;
import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageOptions;
import io.caravan.pipeline.json.EncodeJsonStageProvider;
import io.caravan.pipeline.protobuf.EncodeProtobufStageProvider;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.apache.camel.Message;
import org.junit.jupiter.api.Test;

class EncodeRecordsStageTest {
    private final EncodeRecordsStageProvider provider = new EncodeRecordsStageProvider();

    private Stage<FlowBatch, List<Message>> stage(Map<String, String> options) throws OptionException {
        return provider.create(StageOptions.bind(provider.name(), provider.options(), options),
                RecordingStageContext.of(provider.name(), new SettableClock(0)));
    }

    /** Three records from two exporters; the last names none, so the batch's exporter is its key. */
    private static FlowBatch batch() {
        return FlowBatch.of(new Origin(new InetSocketAddress("192.0.2.9", 2055), 0, 1),
                new FlowRecord().samplerAddress(AddressText.parse("192.0.2.1")).srcAddr(AddressText.parse("10.0.0.1"))
                        .srcPort(1).bytes(2),
                new FlowRecord().samplerAddress(AddressText.parse("2001:db8::1")).dstAddr(AddressText.parse("10.0.0.2"))
                        .attribute("tag", "x"),
                new FlowRecord().packets(7));
    }

    private static byte[] concat(List<Message> messages, String separator) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Message m : messages) {
            out.writeBytes((byte[]) m.getBody());
            out.writeBytes(separator.getBytes());
        }
        return out.toByteArray();
    }

    @Test
    void protobufMessagesAreTheDelimitedStreamCutPerRecordKeyedByExporter() throws Exception {
        EncodeProtobufStageProvider p = new EncodeProtobufStageProvider();
        byte[] stream = p.create(StageOptions.defaults(p.name(), p.options()), RecordingStageContext.of(p.name(), new SettableClock(0)))
                .apply(batch());

        List<Message> out = stage(Map.of()).apply(batch());

        assertThat(out).hasSize(3);
        assertThat(concat(out, "")).isEqualTo(stream);
        assertThat(out).extracting(m -> m.getHeader("kafka.KEY")).containsExactly("192.0.2.1", "2001:db8::1", "192.0.2.9");
    }

    @Test
    void bareProtobufDropsEachLength() throws Exception {
        List<Message> delimited = stage(Map.of()).apply(batch());
        List<Message> bare = stage(Map.of("delimited", "false")).apply(batch());

        for (int i = 0; i < 3; i++) {
            byte[] d = (byte[]) delimited.get(i).getBody();
            byte[] b = (byte[]) bare.get(i).getBody();
            assertThat(d[0]).isEqualTo((byte) b.length); // each record is under 128 bytes: a one-byte varint
            assertThat(java.util.Arrays.copyOfRange(d, 1, d.length)).isEqualTo(b);
        }
    }

    @Test
    void jsonMessagesAreTheLinesWithoutNewlines() throws Exception {
        EncodeJsonStageProvider p = new EncodeJsonStageProvider();
        byte[] lines = p.create(StageOptions.defaults(p.name(), p.options()), RecordingStageContext.of(p.name(), new SettableClock(0)))
                .apply(batch());

        List<Message> out = stage(Map.of("format", "json", "key", "src-addr", "keyHeader", "key")).apply(batch());

        assertThat(concat(out, "\n")).isEqualTo(lines);
        assertThat(out).allSatisfy(m -> assertThat(new String((byte[]) m.getBody())).doesNotContain("\n"));
        assertThat(out).extracting(m -> m.getHeader("key")).containsExactly("10.0.0.1", null, null);
        assertThat(out.get(2).getHeaders()).isEmpty();
    }

    @Test
    void otherKeysAndNone() throws Exception {
        assertThat(stage(Map.of("key", "dst-addr")).apply(batch())).extracting(m -> m.getHeader("kafka.KEY"))
                .containsExactly(null, "10.0.0.2", null);
        assertThat(stage(Map.of("key", "none")).apply(batch())).allSatisfy(m -> assertThat(m.getHeaders()).isEmpty());
    }

    @Test
    void emptyBatchIsDroppedAndBadOptionsRefused() throws Exception {
        assertThat(stage(Map.of()).apply(FlowBatch.of(Origin.UNKNOWN))).isNull();
        assertThatThrownBy(() -> stage(Map.of("key", "flow"))).isInstanceOf(OptionException.class);
        assertThatThrownBy(() -> stage(Map.of("keyHeader", " "))).isInstanceOf(OptionException.class)
                .hasMessageContaining("keyHeader");
    }
}
