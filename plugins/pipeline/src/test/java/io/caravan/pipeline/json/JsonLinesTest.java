package io.caravan.pipeline.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.api.flow.Origin;
import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageException;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class JsonLinesTest {
    /** The format's field names in write order, as documented in the README. */
    private static final List<String> FIELD_NAMES = List.of(
            "type", "time_received_ns", "sequence_num", "sampling_rate", "sampler_address",
            "observation_domain_id", "observation_point_id", "time_flow_start_ns", "time_flow_end_ns",
            "bytes", "packets", "src_addr", "dst_addr", "etype", "proto", "src_port", "dst_port",
            "in_if", "out_if", "src_mac", "dst_mac", "src_vlan", "dst_vlan", "vlan_id", "ip_tos",
            "forwarding_status", "ip_ttl", "ip_flags", "tcp_flags", "icmp_type", "icmp_code",
            "ipv6_flow_label", "fragment_id", "fragment_offset", "src_as", "dst_as", "next_hop",
            "next_hop_as", "src_net", "dst_net", "bgp_next_hop", "flow_direction", "attributes");

    private static final long NOW_MS = 1_700_000_000_123L;

    private final RecordingStageContext context = RecordingStageContext.of("json", new SettableClock(NOW_MS));

    @Test
    void aFullyPopulatedRecordSurvivesTheRoundTrip() throws Exception {
        FlowRecord original = fullRecord();
        assertThat(defaultedFields(original)).as("fields left at their default").isEmpty();

        FlowRecord decoded = roundTrip(original, true);

        assertSameFields(decoded, original);
    }

    @Test
    void writesOneLineWithEveryFieldInOrderAndGoflow2Text() throws Exception {
        String text = new String(encode(Map.of(), fullRecord()), UTF_8);

        assertThat(text).endsWith("\n").hasLineCount(1);
        assertThat(keysOf(text)).containsExactlyElementsOf(FIELD_NAMES);
        assertThat(text)
                .contains("\"type\":\"NETFLOW_V9\"")
                .contains("\"sampler_address\":\"192.0.2.1\"")
                .contains("\"src_addr\":\"10.0.0.1\"")
                .contains("\"dst_addr\":\"2001:db8::1\"")
                .contains("\"next_hop\":\"::ffff:198.51.100.1\"")
                .contains("\"src_mac\":\"aa:bb:cc:dd:ee:ff\"")
                .contains("\"dst_mac\":\"01:02:03:04:05:06\"")
                .contains("\"bytes\":1500,")
                .contains("\"attributes\":{");
    }

    @Test
    void unsignedMaximaAreWrittenAsUnsignedNumbersAndReadBack() throws Exception {
        FlowRecord max = new FlowRecord().bytes(-1L).packets(-1L).timeReceivedNs(-1L).srcAs(0xFFFF_FFFFL)
                .inIf(Long.MIN_VALUE).srcMac(0xFFFF_FFFF_FFFFL).srcPort(65535);

        String text = new String(encode(Map.of(), max), UTF_8);
        FlowRecord decoded = roundTrip(max, true);

        assertThat(text)
                .contains("\"bytes\":18446744073709551615,")
                .contains("\"packets\":18446744073709551615,")
                .contains("\"time_received_ns\":18446744073709551615,")
                .contains("\"in_if\":9223372036854775808,")
                .contains("\"src_as\":4294967295,")
                .contains("\"src_mac\":\"ff:ff:ff:ff:ff:ff\"");
        assertSameFields(decoded, max);
    }

    @Test
    void attributesAreWrittenWithTheirJsonTypesOrLeftOut() throws Exception {
        FlowRecord r = new FlowRecord().attribute("tag", "egress").attribute("asn", 64500L)
                .attribute("score", 0.5).attribute("blocked", true);

        String with = new String(encode(Map.of(), r), UTF_8);
        String without = new String(encode(Map.of("attributes", "false"), r), UTF_8);

        assertThat(with).contains("\"tag\":\"egress\"", "\"asn\":64500", "\"score\":0.5", "\"blocked\":true");
        assertThat(roundTrip(r, true).attributes()).isEqualTo(r.attributes());
        assertThat(without).doesNotContain("attributes", "egress");
        assertThat(keysOf(without)).doesNotContain("attributes").contains("type", "flow_direction");
        assertThat(decode(Map.of(), without).records().get(0).attributes()).isEmpty();
    }

    /**
     * omitZero leaves out what a reader takes as 0 when it is missing, so decode-json reads the
     * shorter lines back to the same records: sparse ones (NetFlow v5 leaves most fields 0), full
     * ones, and random mixes with values at 0, at unsigned maxima and 0.0.0.0 addresses.
     */
    @Test
    void withOmitZeroZerosAreLeftOutAndDecodeJsonReadsTheSameRecordsBack() throws Exception {
        FlowRecord sparse = new FlowRecord().type(FlowType.NETFLOW_V5).timeReceivedNs(1_700_000_000_000_000_000L)
                .sequenceNum(0).samplerAddress(ip("192.0.2.1")).srcAddr(ip("10.0.0.1")).dstAddr(ip("0.0.0.0"))
                .proto(17).srcPort(53).bytes(76).packets(1).srcMac(0).dstMac(0x0102_0304_0506L);
        FlowRecord max = new FlowRecord().bytes(-1L).inIf(Long.MIN_VALUE).srcMac(0xFFFF_FFFF_FFFFL).srcPort(-1);
        List<FlowRecord> records = new ArrayList<>(List.of(sparse, fullRecord(), max, new FlowRecord(),
                new FlowRecord().attribute("tag", "x")));
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            records.add(new FlowRecord().type(random.nextBoolean() ? FlowType.IPFIX : FlowType.FLOWUNKNOWN)
                    .timeReceivedNs(random.nextInt(3) == 0 ? 0 : random.nextLong())
                    .bytes(random.nextInt(2) * random.nextLong()).srcPort(random.nextInt(3) - 1)
                    .dstAs(random.nextInt(2) * (random.nextLong() >>> 32)).srcMac(random.nextInt(2) * random.nextLong(1L << 48))
                    .nextHop(random.nextBoolean() ? null : random.nextBoolean() ? new byte[4] : new byte[16]));
        }

        String text = new String(encode(Map.of("omitZero", "true"), records.toArray(FlowRecord[]::new)), UTF_8);
        List<FlowRecord> back = decode(Map.of(), text).records();

        assertThat(back).hasSize(records.size());
        for (int i = 0; i < records.size(); i++) {
            assertSameFields(back.get(i), records.get(i));
        }
        String first = text.substring(0, text.indexOf('\n'));
        assertThat(keysOf(first)).as("zeros left out; the type, a 0.0.0.0 address and non-zero values kept")
                .containsExactly("type", "time_received_ns", "sampler_address", "bytes", "packets", "src_addr",
                        "dst_addr", "proto", "src_port", "dst_mac");
        assertThat(keysOf(text.split("\n")[1])).as("a record with no zeros keeps every field").containsExactlyElementsOf(FIELD_NAMES);
        assertThat(text.split("\n")[3]).as("the type always stays").isEqualTo("{\"type\":\"FLOWUNKNOWN\"}");
        assertThat(text.split("\n")[4]).isEqualTo("{\"type\":\"FLOWUNKNOWN\",\"attributes\":{\"tag\":\"x\"}}");
    }

    @Test
    void omitZeroIsOffByDefault() throws Exception {
        assertThat(keysOf(new String(encode(Map.of(), new FlowRecord()), UTF_8)))
                .containsExactlyElementsOf(FIELD_NAMES.stream()
                        .filter(n -> !List.of("sampler_address", "src_addr", "dst_addr", "next_hop", "bgp_next_hop",
                                "attributes").contains(n)).toList());
    }

    @Test
    void emptyAttributesAndNullAddressesAreOmitted() throws Exception {
        String text = new String(encode(Map.of(), new FlowRecord()), UTF_8);

        assertThat(keysOf(text)).doesNotContain("attributes", "src_addr", "dst_addr", "sampler_address",
                "next_hop", "bgp_next_hop");
    }

    /**
     * The stage writes into a scratch array it keeps between batches (and across threads): a
     * batch must come out the same whatever was encoded before it, larger or smaller, with or
     * without attributes, or failed halfway.
     */
    @Test
    void oneStageEncodesEachBatchAsAFreshStageWouldWhateverItEncodedBefore() throws Exception {
        Stage<FlowBatch, byte[]> reused = context.create(new EncodeJsonStageProvider(), Map.of());
        FlowRecord tagged = fullRecord().attribute("site", "lon1").attribute("path", List.of(64512L, 64513L));
        List<FlowBatch> batches = new ArrayList<>();
        batches.add(batch(40, fullRecord()));
        batches.add(batch(1, new FlowRecord().srcPort(7)));
        batches.add(batch(3, tagged));
        batches.add(batch(200, new FlowRecord().bytes(1)));
        batches.add(batch(2, fullRecord()));
        byte[] bad = {1, 2, 3};
        for (FlowBatch b : batches) {
            byte[] fresh = context.create(new EncodeJsonStageProvider(), Map.of()).apply(b);
            assertThat(reused.apply(b)).as("a batch of %d", b.size()).isEqualTo(fresh);
            // A batch that fails halfway (an address of 3 bytes) leaves nothing behind for the next one.
            List<FlowRecord> failing = new ArrayList<>(b.records());
            failing.add(new FlowRecord().srcAddr(bad));
            assertThatThrownBy(() -> reused.apply(FlowBatch.of(Origin.UNKNOWN, failing.toArray(FlowRecord[]::new))))
                    .isInstanceOf(StageException.class);
        }
    }

    private static FlowBatch batch(int n, FlowRecord r) {
        FlowRecord[] records = new FlowRecord[n];
        java.util.Arrays.fill(records, r);
        return FlowBatch.of(new Origin(new InetSocketAddress("192.0.2.9", 2055), 1, 2), records);
    }

    @Test
    void anEmptyBatchEncodesToNull() throws Exception {
        Stage<FlowBatch, byte[]> stage = context.create(new EncodeJsonStageProvider(), Map.of());

        assertThat(stage.apply(FlowBatch.of(Origin.UNKNOWN))).isNull();
    }

    @Test
    void anAddressOfNeitherFourNorSixteenBytesFailsTheMessageNamingTheField() throws Exception {
        Stage<FlowBatch, byte[]> stage = context.create(new EncodeJsonStageProvider(), Map.of());

        assertThatThrownBy(() -> stage.apply(FlowBatch.of(Origin.UNKNOWN, new FlowRecord().dstAddr(new byte[5]))))
                .isInstanceOf(StageException.class)
                .hasMessageContaining("field 'dst_addr' has 5 bytes; an address has 4 or 16");
    }

    @Test
    void encodesEveryRecordOfTheBatchOnItsOwnLine() throws Exception {
        byte[] out = encode(Map.of(), new FlowRecord().srcPort(1), new FlowRecord().srcPort(2),
                new FlowRecord().srcPort(3));

        FlowBatch back = decode(Map.of(), new String(out, UTF_8));

        assertThat(new String(out, UTF_8)).hasLineCount(3).doesNotContain("\n ").endsWith("}\n");
        assertThat(back.records()).extracting(FlowRecord::srcPort).containsExactly(1, 2, 3);
    }

    @Test
    void missingKeysTakeDefaultsAndBlankLinesAreIgnored() throws Exception {
        FlowBatch batch = decode(Map.of(), "\n{}\r\n   \n{\"src_port\":53,\"src_addr\":null}\n\n");

        assertThat(batch.records()).hasSize(2);
        assertSameFields(batch.records().get(0), new FlowRecord());
        assertThat(batch.records().get(1).srcPort()).isEqualTo(53);
        assertThat(batch.records().get(1).srcAddr()).isNull();
    }

    @Test
    void theBatchOriginIsUnknownReceivedNow() throws Exception {
        FlowBatch batch = decode(Map.of(), "{}");

        assertThat(batch.origin()).isEqualTo(new Origin(null, 0, NOW_MS));
    }

    @Test
    void acceptsUnsignedCountersWrittenAsStringsAndMacsAsNumbers() throws Exception {
        FlowRecord r = decode(Map.of(), "{\"bytes\":\"18446744073709551615\",\"src_mac\":11259375}")
                .records().get(0);

        assertThat(r.bytes()).isEqualTo(-1L);
        assertThat(r.srcMac()).isEqualTo(0xABCDEFL);
    }

    @Test
    void failModeNamesTheLineAndTheProblem() throws Exception {
        Stage<byte[], FlowBatch> stage = context.create(new DecodeJsonStageProvider(), Map.of());
        String unknownField = "{\"src_port\":1}\n\n{\"src_port\":2,\"x\":1}\n";
        String malformed = "{}\n{\"src_port\":}\n";

        assertThatThrownBy(() -> stage.apply(unknownField.getBytes(UTF_8)))
                .isInstanceOf(StageException.class)
                .hasMessage("line 3: unknown field 'x'");
        assertThatThrownBy(() -> stage.apply(malformed.getBytes(UTF_8)))
                .isInstanceOf(StageException.class)
                .hasMessageStartingWith("line 2: column ")
                .hasMessageContaining("Unexpected character");
        assertThat(context.counter("caravan.pipeline.json_invalid_lines", Map.of())).as("no counter in fail mode").isEmpty();
    }

    @Test
    void failModeRejectsValuesOutOfTheirRange() throws Exception {
        Stage<byte[], FlowBatch> stage = context.create(new DecodeJsonStageProvider(), Map.of("onError", "fail"));

        assertThatThrownBy(() -> stage.apply("{\"bytes\":18446744073709551616}".getBytes(UTF_8)))
                .hasMessage("line 1: field 'bytes': 18446744073709551616 is not an integer in 0..18446744073709551615");
        assertThatThrownBy(() -> stage.apply("{\"packets\":-1}".getBytes(UTF_8)))
                .hasMessage("line 1: field 'packets': -1 is not an integer in 0..18446744073709551615");
        assertThatThrownBy(() -> stage.apply("{\"src_port\":4294967296}".getBytes(UTF_8)))
                .hasMessage("line 1: field 'src_port': 4294967296 is out of range for a 32-bit integer");
        assertThatThrownBy(() -> stage.apply("{\"src_addr\":\"host.example\"}".getBytes(UTF_8)))
                .hasMessage("line 1: field 'src_addr': 'host.example' is not a numeric IPv4 or IPv6 address");
        assertThatThrownBy(() -> stage.apply("{\"type\":\"NETFLOW_V7\"}".getBytes(UTF_8)))
                .hasMessageStartingWith("line 1: field 'type': unknown flow type 'NETFLOW_V7'");
        assertThatThrownBy(() -> stage.apply("[{}]".getBytes(UTF_8)))
                .hasMessage("line 1: expected a JSON object; got [");
        assertThatThrownBy(() -> stage.apply("{} {}".getBytes(UTF_8)))
                .hasMessage("line 1: unexpected { after the object");
    }

    @Test
    void skipModeLeavesBadLinesOutAndCountsThem() throws Exception {
        FlowBatch batch = decode(Map.of("onError", "skip"),
                "{\"src_port\":1}\nnot json\n{\"src_port\":2}\n{\"x\":1}\n{\"src_port\":3}");

        assertThat(batch.records()).extracting(FlowRecord::srcPort).containsExactly(1, 2, 3);
        assertThat(context.counter("caravan.pipeline.json_invalid_lines", Map.of())).as("the series, with no labels but the stage's")
                .hasValue(2L);
        assertThat(context.counters()).containsOnlyKeys("caravan.pipeline.json_invalid_lines");
    }

    @Test
    void anUnknownOnErrorChoiceIsRejected() {
        assertThatThrownBy(() -> context.create(new DecodeJsonStageProvider(), Map.of("onError", "ignore")))
                .isInstanceOf(OptionException.class)
                .hasMessageContaining("must be one of fail, skip");
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
                .attribute("tag", "egress")
                .attribute("asn", 64500L);
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
        Stage<FlowBatch, byte[]> stage = context.create(new EncodeJsonStageProvider(), options);
        return stage.apply(FlowBatch.of(new Origin(new InetSocketAddress("192.0.2.9", 2055), 1, 2), records));
    }

    private FlowBatch decode(Map<String, ?> options, String text) throws Exception {
        Stage<byte[], FlowBatch> stage = context.create(new DecodeJsonStageProvider(), options);
        return stage.apply(text.getBytes(UTF_8));
    }

    private FlowRecord roundTrip(FlowRecord r, boolean attributes) throws Exception {
        FlowBatch batch = decode(Map.of(), new String(encode(Map.of("attributes", attributes), r), UTF_8));
        assertThat(batch.records()).hasSize(1);
        return batch.records().get(0);
    }

    /** The top-level keys of a one-line JSON object, in order. */
    static List<String> keysOf(String line) throws Exception {
        List<String> keys = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(line)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                keys.add(p.currentName());
                p.nextToken();
                p.skipChildren();
            }
        }
        return keys;
    }

    /** Every FlowRecord field except {@code source} (not part of the format), compared by reflection. */
    private static List<Field> formatFields() {
        List<Field> fields = new ArrayList<>();
        for (Field f : FlowRecord.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) && !f.getName().equals("source")) {
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
        assertThat(actual.attributes()).isEqualTo(expected.attributes());
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

    @Test
    void listAndMapAttributesRoundTripAsJsonArraysAndObjects() throws Exception {
        FlowRecord r = new FlowRecord().attribute("as_path", java.util.List.of(65003L, 65004L))
                .attribute("counters", java.util.Map.of("if_in_octets", 10L));
        Stage<FlowBatch, byte[]> encode = context.create(new EncodeJsonStageProvider(), Map.of());
        String line = new String(encode.apply(FlowBatch.of(null, r)), UTF_8);
        assertThat(line).contains("\"as_path\":[65003,65004]", "\"counters\":{\"if_in_octets\":10}");
        Stage<byte[], FlowBatch> decode = context.create(new DecodeJsonStageProvider(), Map.of());
        FlowRecord back = decode.apply(line.getBytes(UTF_8)).records().get(0);
        assertThat(back.attribute("as_path")).isEqualTo(java.util.List.of(65003L, 65004L));
        assertThat(back.attribute("counters")).isEqualTo(java.util.Map.of("if_in_octets", 10L));
    }
}
