package io.caravan.pipeline.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.UnknownFieldSet;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.api.flow.Origin;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageException;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import io.caravan.testkit.peers.kafka.Goflow2FlowMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class ProtobufTest {
    private static final long NOW_MS = 1_700_000_000_123L;

    private final RecordingStageContext context = RecordingStageContext.of("protobuf", new SettableClock(NOW_MS));

    @Test
    void everyFieldOfAFullRecordIsWrittenUnderGoflow2sNumber() throws Exception {
        FlowRecord full = fullRecord();
        assertThat(defaultedFields(full)).as("fields left at their default").isEmpty();

        List<UnknownFieldSet> messages = parseDelimited(encode(Map.of(), full));

        assertThat(messages).hasSize(1);
        Map<Integer, Object> expected = new LinkedHashMap<>();
        expected.put(1, 3L);
        expected.put(3, 1000L);
        expected.put(4, 4_000_000_000L);
        expected.put(6, ip("10.0.0.1"));
        expected.put(7, ip("2001:db8::1"));
        expected.put(9, 1500L);
        expected.put(10, 3L);
        expected.put(11, ip("192.0.2.1"));
        expected.put(12, mapped("198.51.100.1"));
        expected.put(13, 64501L);
        expected.put(14, 64500L);
        expected.put(15, 4_200_000_000L);
        expected.put(16, 24L);
        expected.put(17, 48L);
        expected.put(18, 11L);
        expected.put(19, 12L);
        expected.put(20, 6L);
        expected.put(21, 443L);
        expected.put(22, 51000L);
        expected.put(23, 0xB8L);
        expected.put(24, 64L);
        expected.put(25, 63L);
        expected.put(26, 0x1BL);
        expected.put(27, 0xAABB_CCDD_EEFFL);
        expected.put(28, 0x0102_0304_0506L);
        expected.put(29, 300L);
        expected.put(30, 0x86DDL);
        expected.put(31, 3L);
        expected.put(32, 4L);
        expected.put(33, 100L);
        expected.put(34, 200L);
        expected.put(35, 0x1234L);
        expected.put(36, 185L);
        expected.put(37, 0xFFFFFL);
        expected.put(38, 2L);
        expected.put(70, 7L);
        expected.put(71, 8L);
        expected.put(100, ip("2001:db8:0:1::fe"));
        expected.put(110, 1_700_000_000_000_000_001L);
        expected.put(111, 1_699_999_999_000_000_000L);
        expected.put(112, 1_699_999_999_500_000_000L);
        expected.put(1000, 1L);
        assertFields(messages.get(0), expected);
    }

    @Test
    void zerosAndAbsentAddressesAreLeftOut() throws Exception {
        FlowRecord sparse = new FlowRecord().bytes(1500).srcPort(443).dstAddr(ip("198.51.100.7"));

        List<UnknownFieldSet> messages = parseDelimited(encode(Map.of(), sparse, new FlowRecord()));

        assertThat(messages).hasSize(2);
        assertFields(messages.get(0), Map.of(9, 1500L, 21, 443L, 7, ip("198.51.100.7")));
        assertThat(messages.get(1).asMap()).as("a record with every field at its default").isEmpty();
        assertThat(encode(Map.of(), new FlowRecord())).as("an empty message after its length 0").containsExactly(0);
    }

    @Test
    void unsignedMaximaAreWrittenAsTenByteVarints() throws Exception {
        FlowRecord max = new FlowRecord().bytes(-1L).packets(Long.MIN_VALUE).timeReceivedNs(-1L)
                .srcAs(0xFFFF_FFFFL).srcPort(-1).srcMac(0xFFFF_FFFF_FFFFL);

        byte[] out = encode(Map.of("delimited", "false"), max);
        UnknownFieldSet message = UnknownFieldSet.parseFrom(out);

        assertFields(message, Map.of(9, -1L, 10, Long.MIN_VALUE, 110, -1L, 14, 0xFFFF_FFFFL, 21, 0xFFFF_FFFFL,
                27, 0xFFFF_FFFF_FFFFL));
        assertThat(HexFormat.of().formatHex(out))
                .as("bytes (tag 9, varint) is 18446744073709551615 in 10 bytes")
                .contains("48" + "ffffffffffffffffff01")
                .as("packets (tag 10) is 2^63")
                .contains("50" + "80808080808080808001")
                .as("src_port (tag 21, 2 bytes) as uint32 0xffffffff")
                .contains("a801" + "ffffffff0f");
        assertSameFields(decode(Map.of("delimited", "false"), out).records().get(0), max);
    }

    @Test
    void ipv4AndIpv6AddressesAreTheirRawBytes() throws Exception {
        FlowRecord r = new FlowRecord().srcAddr(ip("192.0.2.1")).dstAddr(ip("2001:db8::ff"))
                .nextHop(mapped("10.1.2.3")).bgpNextHop(ip("::1")).samplerAddress(ip("255.255.255.255"));

        UnknownFieldSet message = parseDelimited(encode(Map.of(), r)).get(0);

        assertThat(bytesOf(message, 6)).hasSize(4).containsExactly(192, 0, 2, 1);
        assertThat(bytesOf(message, 7)).hasSize(16).isEqualTo(ip("2001:db8::ff"));
        assertThat(bytesOf(message, 12)).as("IPv4-mapped stays 16 bytes").hasSize(16).isEqualTo(mapped("10.1.2.3"));
        assertThat(bytesOf(message, 100)).hasSize(16).isEqualTo(ip("::1"));
        assertThat(bytesOf(message, 11)).containsExactly(255, 255, 255, 255);
        assertSameFields(roundTrip(r), r);
    }

    @Test
    void goflow2sSchemaReadsEveryFieldByNameAndProtobufWritesTheSameBytes() throws Exception {
        FlowRecord full = fullRecord();
        byte[] ours = encode(Map.of("delimited", "false"), full);

        DynamicMessage parsed = DynamicMessage.parseFrom(Goflow2FlowMessage.FLOW_MESSAGE, ours);

        assertThat(value(parsed, "type")).isEqualTo("NETFLOW_V9");
        assertThat(value(parsed, "time_received_ns")).isEqualTo(1_700_000_000_000_000_001L);
        assertThat(value(parsed, "sequence_num")).isEqualTo((int) 4_000_000_000L);
        assertThat(value(parsed, "src_addr")).isEqualTo(ByteString.copyFrom(ip("10.0.0.1")));
        assertThat(value(parsed, "dst_addr")).isEqualTo(ByteString.copyFrom(ip("2001:db8::1")));
        assertThat(value(parsed, "src_port")).isEqualTo(443);
        assertThat(value(parsed, "src_mac")).isEqualTo(0xAABB_CCDD_EEFFL);
        assertThat(value(parsed, "dst_as")).isEqualTo((int) 4_200_000_000L);
        assertThat(value(parsed, "observation_point_id")).isEqualTo(8);
        assertThat(value(parsed, "bgp_next_hop")).isEqualTo(ByteString.copyFrom(ip("2001:db8:0:1::fe")));
        assertThat(parsed.getAllFields()).as("set fields").hasSize(41);
        assertThat(parsed.getUnknownFields().asMap()).as("only flow_direction is custom").containsOnlyKeys(1000);
        assertThat(parsed.toByteArray()).as("protobuf-java writes the same message byte for byte").isEqualTo(ours);
    }

    @Test
    void protobufsParseDelimitedFromReadsTheStreamAndWriteDelimitedToIsReadBack() throws Exception {
        byte[] ours = encode(Map.of(), new FlowRecord().srcPort(1), new FlowRecord(), new FlowRecord().srcPort(3));

        ByteArrayInputStream in = new ByteArrayInputStream(ours);
        List<Object> ports = new ArrayList<>();
        DynamicMessage m;
        while ((m = DynamicMessage.getDefaultInstance(Goflow2FlowMessage.FLOW_MESSAGE).getParserForType()
                .parseDelimitedFrom(in)) != null) {
            ports.add(value(m, "src_port"));
        }
        ByteArrayOutputStream theirs = new ByteArrayOutputStream();
        DynamicMessage.parseFrom(Goflow2FlowMessage.FLOW_MESSAGE, encode(Map.of("delimited", "false"), fullRecord()))
                .writeDelimitedTo(theirs);
        DynamicMessage.newBuilder(Goflow2FlowMessage.FLOW_MESSAGE)
                .setField(field("src_port"), 53).setField(field("bytes"), -1L).build().writeDelimitedTo(theirs);

        assertThat(ports).containsExactly(1, 0, 3);
        FlowBatch back = decode(Map.of(), theirs.toByteArray());
        assertThat(back.records()).hasSize(2);
        assertSameFields(back.records().get(0), fullRecord());
        assertThat(back.records().get(1).srcPort()).isEqualTo(53);
        assertThat(back.records().get(1).bytes()).isEqualTo(-1L);
    }

    @Test
    void aFullRecordSurvivesTheRoundTripButItsAttributes() throws Exception {
        FlowRecord full = fullRecord();

        FlowRecord back = roundTrip(full);

        assertSameFields(back, full);
        assertThat(back.attributes()).isEmpty();
    }

    @Test
    void everyFlowTypeSurvivesTheRoundTripCaravansOwnAsFiveAndSix() throws Exception {
        for (FlowType t : FlowType.values()) {
            assertThat(roundTrip(new FlowRecord().type(t)).type()).isEqualTo(t);
        }
        assertThat(parseDelimited(encode(Map.of(), new FlowRecord().type(FlowType.SKYDIVE))).get(0)
                .getField(1).getVarintList()).containsExactly(5L);
        assertThat(parseDelimited(encode(Map.of(), new FlowRecord().type(FlowType.VANFLOW))).get(0)
                .getField(1).getVarintList()).containsExactly(6L);
        assertThat(decode(Map.of(), new byte[] {2, 0x08, 9}).records().get(0).type())
                .as("a number Caravan does not know").isEqualTo(FlowType.FLOWUNKNOWN);
    }

    @Test
    void aBatchIsOneMessagePerRecordInOrder() throws Exception {
        byte[] out = encode(Map.of(), new FlowRecord().srcPort(1), new FlowRecord().srcPort(2), new FlowRecord().srcPort(3));

        assertThat(parseDelimited(out)).extracting(m -> m.getField(21).getVarintList().get(0)).containsExactly(1L, 2L, 3L);
        assertThat(decode(Map.of(), out).records()).extracting(FlowRecord::srcPort).containsExactly(1, 2, 3);
        assertThat(decode(Map.of(), out).origin()).isEqualTo(new Origin(null, 0, NOW_MS));
    }

    @Test
    void undelimitedTakesOnlyASingleRecord() throws Exception {
        Stage<FlowBatch, byte[]> stage = context.create(new EncodeProtobufStageProvider(), Map.of("delimited", "false"));

        assertThatThrownBy(() -> stage.apply(FlowBatch.of(Origin.UNKNOWN, new FlowRecord(), new FlowRecord())))
                .isInstanceOf(StageException.class)
                .hasMessageContaining("without a length prefix (delimited=false) a message holds exactly one record; got 2");
        assertThat(stage.apply(FlowBatch.of(Origin.UNKNOWN, new FlowRecord().srcPort(7))))
                .as("tag 21 (0xa8 0x01), 7").containsExactly(0xa8, 0x01, 7);
    }

    @Test
    void anEmptyBatchEncodesToNullAndEmptyInputDecodesToAnEmptyBatch() throws Exception {
        Stage<FlowBatch, byte[]> stage = context.create(new EncodeProtobufStageProvider(), Map.of());

        assertThat(stage.apply(FlowBatch.of(Origin.UNKNOWN))).isNull();
        assertThat(decode(Map.of(), new byte[0]).records()).isEmpty();
    }

    @Test
    void anAddressOfNeitherFourNorSixteenBytesFailsTheMessageNamingRecordAndField() throws Exception {
        Stage<FlowBatch, byte[]> stage = context.create(new EncodeProtobufStageProvider(), Map.of());

        assertThatThrownBy(() -> stage.apply(FlowBatch.of(Origin.UNKNOWN, new FlowRecord(),
                new FlowRecord().nextHop(new byte[5]))))
                .isInstanceOf(StageException.class)
                .hasMessageContaining("record 2: field 'next_hop' has 5 bytes; an address has 4 or 16");
    }

    @Test
    void fieldsCaravanDoesNotKnowAreSkippedWhateverTheirWireType() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(buf);
        out.writeUInt32(21, 443);
        out.writeUInt32(102, 7);
        out.writeTag(101, 2);
        out.writeUInt32NoTag(3);
        out.writeUInt32NoTag(1);
        out.writeUInt32NoTag(2);
        out.writeUInt32NoTag(3);
        out.writeBytes(82, ByteString.copyFrom(ip("10.0.0.9")));
        out.writeFixed64(500, 42);
        out.writeFixed32(501, 42);
        out.writeUInt64(9, 1500);
        out.flush();
        byte[] message = buf.toByteArray();

        FlowRecord r = decode(Map.of("delimited", "false"), message).records().get(0);

        assertThat(UnknownFieldSet.parseFrom(message).asMap()).containsOnlyKeys(21, 102, 101, 82, 500, 501, 9);
        assertThat(r.srcPort()).isEqualTo(443);
        assertThat(r.bytes()).isEqualTo(1500);
        assertSameFields(r, new FlowRecord().srcPort(443).bytes(1500));
    }

    @Test
    void aMalformedStreamFailsNamingTheMessageAndTheByte() throws Exception {
        byte[] two = encode(Map.of(), new FlowRecord().srcPort(1), new FlowRecord().srcPort(2).bytes(1500));
        byte[] truncated = Arrays.copyOf(two, two.length - 1);

        assertThatThrownBy(() -> decode(Map.of(), truncated))
                .isInstanceOf(StageException.class)
                .hasMessage("message 2: length 6 at byte 4 runs past the end (5 bytes left)");
        assertThatThrownBy(() -> decode(Map.of("delimited", "false"), new byte[] {0x4a, 1, 2}))
                .as("bytes (9) sent length-delimited")
                .hasMessage("message 1: field 9 (bytes) at byte 0 has wire type 2; uint64 has 0");
        assertThatThrownBy(() -> decode(Map.of("delimited", "false"), new byte[] {0x32, 3, 1, 2, 3}))
                .hasMessage("message 1: field 6 (src_addr) at byte 0 has 3 bytes; an address has 4 or 16");
        assertThatThrownBy(() -> decode(Map.of("delimited", "false"), new byte[] {(byte) 0x93, 0x03}))
                .hasMessage("message 1: field 50 at byte 0 has wire type 3 (group), which FlowMessage never uses");
        assertThatThrownBy(() -> decode(Map.of("delimited", "false"), new byte[] {0x08, 1, (byte) 0x95, 0x03, 1, 2}))
                .hasMessage("message 1: field 50 at byte 2: truncated 32-bit value");
        assertThatThrownBy(() -> decode(Map.of("delimited", "false"), new byte[] {0x48, (byte) 0xff}))
                .hasMessage("message 1: truncated varint at byte 1");
        assertThatThrownBy(() -> decode(Map.of("delimited", "false"), new byte[] {0x00}))
                .hasMessage("message 1: invalid field number 0 at byte 0");
        assertThatThrownBy(() -> decode(Map.of("delimited", "false"), new byte[] {0x48,
                (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                (byte) 0xff, (byte) 0xff, 0x02}))
                .hasMessage("message 1: varint at byte 1 is longer than 64 bits");
    }

    @Test
    void theFieldTableIsInFieldNumberOrderAndTheReadmeListsItVerbatim() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);

        for (int i = 1; i < ProtoField.ALL.length; i++) {
            assertThat(ProtoField.ALL[i].number).isGreaterThan(ProtoField.ALL[i - 1].number);
        }
        for (ProtoField f : ProtoField.ALL) {
            assertThat(readme).as("README row of %s", f).contains("| `" + f.protoName + "` | " + f.number + " | "
                    + f.protoType + " |");
            FieldDescriptor goflow2 = Goflow2FlowMessage.FLOW_MESSAGE.findFieldByNumber(f.number);
            if (f != ProtoField.FLOW_DIRECTION) {
                assertThat(goflow2.getName()).isEqualTo(f.protoName);
                assertThat(goflow2.getType().name().toLowerCase()).isEqualTo(f.protoType.equals("FlowType")
                        ? "enum" : f.protoType);
            }
        }
    }

    static FlowRecord fullRecord() throws Exception {
        return new FlowRecord()
                .type(FlowType.NETFLOW_V9)
                .timeReceivedNs(1_700_000_000_000_000_001L)
                .sequenceNum(4_000_000_000L)
                .samplingRate(1000)
                .samplerAddress(ip("192.0.2.1"))
                .observationDomainId(7)
                .observationPointId(8)
                .timeFlowStartNs(1_699_999_999_000_000_000L)
                .timeFlowEndNs(1_699_999_999_500_000_000L)
                .bytes(1500)
                .packets(3)
                .srcAddr(ip("10.0.0.1"))
                .dstAddr(ip("2001:db8::1"))
                .etype(0x86DD)
                .proto(6)
                .srcPort(443)
                .dstPort(51000)
                .inIf(11)
                .outIf(12)
                .srcMac(0xAABB_CCDD_EEFFL)
                .dstMac(0x0102_0304_0506L)
                .srcVlan(100)
                .dstVlan(200)
                .vlanId(300)
                .ipTos(0xB8)
                .forwardingStatus(64)
                .ipTtl(63)
                .ipFlags(2)
                .tcpFlags(0x1B)
                .icmpType(3)
                .icmpCode(4)
                .ipv6FlowLabel(0xFFFFF)
                .fragmentId(0x1234)
                .fragmentOffset(185)
                .srcAs(64500)
                .dstAs(4_200_000_000L)
                .nextHop(mapped("198.51.100.1"))
                .nextHopAs(64501)
                .srcNet(24)
                .dstNet(48)
                .bgpNextHop(ip("2001:db8:0:1::fe"))
                .flowDirection(1)
                .attribute("tag", "egress");
    }

    private static int indexOfZeroAfter(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        throw new AssertionError("no zero byte");
    }

    private static byte[] ip(String text) throws Exception {
        return InetAddress.getByName(text).getAddress();
    }

    /** An IPv4-mapped IPv6 address, which InetAddress cannot keep at 16 bytes. */
    private static byte[] mapped(String v4) throws Exception {
        byte[] out = new byte[16];
        out[10] = (byte) 0xFF;
        out[11] = (byte) 0xFF;
        System.arraycopy(ip(v4), 0, out, 12, 4);
        return out;
    }

    private byte[] encode(Map<String, ?> options, FlowRecord... records) throws Exception {
        Stage<FlowBatch, byte[]> stage = context.create(new EncodeProtobufStageProvider(), options);
        return stage.apply(FlowBatch.of(new Origin(new InetSocketAddress("192.0.2.9", 2055), 1, 2), records));
    }

    private FlowBatch decode(Map<String, ?> options, byte[] input) throws Exception {
        Stage<byte[], FlowBatch> stage = context.create(new DecodeProtobufStageProvider(), options);
        return stage.apply(input);
    }

    private FlowRecord roundTrip(FlowRecord r) throws Exception {
        FlowBatch batch = decode(Map.of(), encode(Map.of(), r));
        assertThat(batch.records()).hasSize(1);
        return batch.records().get(0);
    }

    /** Each length-delimited message of the stream, parsed by protobuf-java without a schema. */
    private static List<UnknownFieldSet> parseDelimited(byte[] stream) throws Exception {
        CodedInputStream in = CodedInputStream.newInstance(stream);
        List<UnknownFieldSet> out = new ArrayList<>();
        while (!in.isAtEnd()) {
            int limit = in.pushLimit(in.readRawVarint32());
            UnknownFieldSet.Builder b = UnknownFieldSet.newBuilder();
            b.mergeFrom(in);
            in.checkLastTagWas(0);
            in.popLimit(limit);
            out.add(b.build());
        }
        return out;
    }

    /** Exactly these field numbers, each once, with these values (Long for varints, byte[] for bytes). */
    private static void assertFields(UnknownFieldSet message, Map<Integer, Object> expected) {
        assertThat(message.asMap().keySet()).as("field numbers").containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Map.Entry<Integer, Object> e : expected.entrySet()) {
            UnknownFieldSet.Field f = message.getField(e.getKey());
            if (e.getValue() instanceof byte[] b) {
                assertThat(f.getLengthDelimitedList()).as("field %s", e.getKey()).containsExactly(ByteString.copyFrom(b));
                assertThat(f.getVarintList()).isEmpty();
            } else {
                assertThat(f.getVarintList()).as("field %s", e.getKey()).containsExactly((Long) e.getValue());
                assertThat(f.getLengthDelimitedList()).isEmpty();
            }
            assertThat(f.getFixed32List()).isEmpty();
            assertThat(f.getFixed64List()).isEmpty();
        }
    }

    private static byte[] bytesOf(UnknownFieldSet message, int number) {
        return message.getField(number).getLengthDelimitedList().get(0).toByteArray();
    }

    private static FieldDescriptor field(String name) {
        return Goflow2FlowMessage.FLOW_MESSAGE.findFieldByName(name);
    }

    /** A field's value; an enum as its name. */
    private static Object value(DynamicMessage m, String name) {
        Object v = m.getField(field(name));
        return v instanceof com.google.protobuf.Descriptors.EnumValueDescriptor e ? e.getName() : v;
    }

    /** Every FlowRecord field but the attributes and the source object, which the format does not carry. */
    private static List<Field> formatFields() {
        List<Field> fields = new ArrayList<>();
        for (Field f : FlowRecord.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) && !f.getName().equals("source") && !f.getName().equals("attributes")) {
                f.setAccessible(true);
                fields.add(f);
            }
        }
        return fields;
    }

    private static void assertSameFields(FlowRecord actual, FlowRecord expected) throws Exception {
        for (Field f : formatFields()) {
            assertThat(Objects.deepEquals(f.get(actual), f.get(expected)))
                    .as("field %s: %s vs %s", f.getName(), String.valueOf(f.get(actual)), String.valueOf(f.get(expected)))
                    .isTrue();
        }
    }

    private static List<String> defaultedFields(FlowRecord r) throws Exception {
        FlowRecord blank = new FlowRecord();
        List<String> same = new ArrayList<>();
        for (Field f : formatFields()) {
            if (Objects.deepEquals(f.get(r), f.get(blank))) {
                same.add(f.getName());
            }
        }
        return same;
    }
}
