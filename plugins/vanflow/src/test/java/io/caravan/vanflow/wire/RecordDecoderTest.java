package io.caravan.vanflow.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.vanflow.event.VanRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.UnsignedByte;
import org.apache.qpid.proton.amqp.UnsignedInteger;
import org.apache.qpid.proton.amqp.UnsignedLong;
import org.apache.qpid.proton.amqp.UnsignedShort;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Properties;
import org.apache.qpid.proton.message.Message;
import org.junit.jupiter.api.Test;

class RecordDecoderTest {
    private final RecordDecoder decoder = new RecordDecoder();

    private static Map<Object, Object> map(Object... kv) {
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void everyAttributeValueTypeAndKeyWidthBecomesItsJavaForm() throws Exception {
        DecodedRecords d = decoder.decode(List.of(map(
                UnsignedInteger.ZERO, UnsignedInteger.valueOf(6), UnsignedInteger.ONE, "x7f2q:120",
                UnsignedLong.valueOf(3), UnsignedLong.valueOf(1_718_000_001_000_000L),
                UnsignedShort.valueOf((short) 23), UnsignedLong.valueOf("18446744073709551615"),
                UnsignedByte.valueOf((byte) 24), UnsignedInteger.valueOf(9400),
                7, Symbol.valueOf("sym"), 14L, "10.42.1.9",
                UnsignedInteger.valueOf(26), 5, UnsignedInteger.valueOf(27), true,
                UnsignedInteger.valueOf(28), 1.5d, UnsignedInteger.valueOf(29), new Binary(new byte[] {1, 2}),
                UnsignedInteger.valueOf(30), UUID.fromString("00000000-0000-0000-0000-000000000001"),
                UnsignedInteger.valueOf(31), null)));
        assertThat(d.records()).singleElement().satisfies(r -> {
            assertThat(r.type()).isEqualTo(6);
            assertThat(r.identity()).isEqualTo("x7f2q:120");
            assertThat(r.attributes()).containsEntry(3, 1_718_000_001_000_000L)
                    .containsEntry(23, -1L) // ulong max: the bits of an unsigned 64-bit counter
                    .containsEntry(24, 9400L).containsEntry(7, "sym").containsEntry(14, "10.42.1.9")
                    .containsEntry(26, 5L).containsEntry(27, true).containsEntry(28, 1.5d)
                    .containsEntry(30, "00000000-0000-0000-0000-000000000001")
                    .doesNotContainKey(31);
            assertThat((byte[]) r.attributes().get(29)).containsExactly(1, 2);
        });
        assertThat(d.unknownCodes()).isZero();
    }

    @Test
    void unknownTypesAreSkippedUnknownCodesKeptAndBothCounted() throws Exception {
        DecodedRecords d = decoder.decode(List.of(
                map(UnsignedInteger.ZERO, UnsignedInteger.valueOf(18), UnsignedInteger.ONE, "a:1"),
                map(UnsignedInteger.ZERO, UnsignedInteger.valueOf(16), UnsignedInteger.ONE, "a:2",
                        UnsignedInteger.valueOf(68), "new", UnsignedInteger.valueOf(500), UnsignedLong.valueOf(1))));
        assertThat(d.unknownTypes()).isEqualTo(1);
        assertThat(d.unknownCodes()).isEqualTo(2);
        assertThat(d.records()).extracting(VanRecord::identity).containsExactly("a:2");
        assertThat(d.records().get(0).attributes()).containsEntry(68, "new").containsEntry(500, 1L);
    }

    @Test
    void malformedMapsAreSkippedAndTheRestKept() throws Exception {
        DecodedRecords d = decoder.decode(List.of("x",
                map(UnsignedInteger.ONE, "no-type"),
                map(UnsignedInteger.ZERO, UnsignedInteger.ONE),
                map(UnsignedInteger.ZERO, UnsignedInteger.ONE, UnsignedInteger.ONE, "r:0", "key", "v"),
                map(UnsignedInteger.ZERO, UnsignedInteger.ONE, UnsignedInteger.ONE, "r:1")));
        assertThat(d.malformedRecords()).isEqualTo(4);
        assertThat(d.firstProblem()).contains("entry 0");
        assertThat(d.records()).extracting(VanRecord::identity).containsExactly("r:1");
        assertThatThrownBy(() -> decoder.decode(Map.of())).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("not an AMQP list");
        assertThatThrownBy(() -> decoder.decode(null)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void aGoControllerSiteIsReadByItsRecordType() throws Exception {
        DecodedRecords d = decoder.decode(List.of(
                map(UnsignedInteger.ZERO, UnsignedInteger.ZERO, UnsignedInteger.ONE, "site",
                        UnsignedInteger.valueOf(52), "1.9.2", UnsignedInteger.valueOf(53), "enabled",
                        UnsignedInteger.valueOf(54), "target"),
                map(UnsignedInteger.ZERO, UnsignedInteger.valueOf(15), UnsignedInteger.ONE, "ra",
                        UnsignedInteger.valueOf(52), UnsignedLong.valueOf(3), UnsignedInteger.valueOf(54), "inter-router")));
        assertThat(d.records().get(0).attributes()).containsEntry(32, "1.9.2").containsEntry(53, "enabled").doesNotContainKeys(52, 54);
        assertThat(d.records().get(1).attributes()).containsEntry(52, 3L).containsEntry(54, "inter-router");
    }

    @Test
    void theMessageCodecReadsSymbolKeysThatProtonJsOwnDecoderRejects() throws Exception {
        // Encoded as proton-j encodes string keys, then the key bytes patched to symbols (0xa1 -> 0xa3).
        Message m = Message.Factory.create();
        Properties p = new Properties();
        p.setTo("mc/sfe.all");
        p.setSubject("BEACON");
        m.setProperties(p);
        m.setApplicationProperties(new ApplicationProperties(Map.of("id", "x7f2q:0", "v", UnsignedInteger.ONE)));
        m.setBody(new AmqpValue(null));
        byte[] b = new byte[512];
        int n = m.encode(b, 0, b.length);
        byte[] bytes = java.util.Arrays.copyOf(b, n);
        for (int i = 0; i + 2 < bytes.length; i++) {
            if (bytes[i] == (byte) 0xa1 && ((bytes[i + 1] == 2 && bytes[i + 2] == 'i') || (bytes[i + 1] == 1
                    && bytes[i + 2] == 'v'))) {
                bytes[i] = (byte) 0xa3;
            }
        }
        Message proton = Message.Factory.create();
        assertThatThrownBy(() -> proton.decode(bytes, 0, bytes.length)).hasMessageContaining("SYM8");
        VanFlowMessage v = new MessageCodec().decode(bytes);
        assertThat(v.subject()).isEqualTo("BEACON");
        assertThat(v.to()).isEqualTo("mc/sfe.all");
        assertThat(v.beacon().identity()).isEqualTo("x7f2q:0");
        assertThat(v.beacon().version()).isEqualTo(1);
        assertThat(v.beacon().direct()).isEqualTo("sfe.x7f2q:0");
    }
}
