package io.caravan.netflow;

import static io.caravan.netflow.ie.InformationElements.OCTET_DELTA_COUNT;
import static io.caravan.traffic.datagram.IpfixBuilder.field;
import static io.caravan.traffic.datagram.IpfixBuilder.varField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.stage.StageException;
import io.caravan.api.decode.DecodeException;
import io.caravan.api.decode.DecodeException.Reason;
import io.caravan.traffic.datagram.IpfixBuilder;
import io.caravan.traffic.datagram.NetflowV5Builder;
import io.caravan.traffic.datagram.NetflowV9Builder;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed datagrams: each fails with its Reason, is counted, never loops, never throws unchecked, never costs templates. */
class MalformedCorpusTest {

    static Stream<Arguments> corpus() {
        byte[] allFf = new byte[1500];
        Arrays.fill(allFf, (byte) 0xFF);
        byte[] v9Header = Arrays.copyOf(new NetflowV9Builder().build(), 20);
        byte[] fieldsFor65535 = ByteBuffer.allocate(8).putShort((short) 300).putShort((short) 0xFFFF)
                .putShort((short) 1).putShort((short) 4).array();
        return Stream.of(
                Arguments.of("zero-length datagram", new byte[0], Reason.TRUNCATED, "unknown"),
                Arguments.of("one byte", new byte[] {0}, Reason.TRUNCATED, "unknown"),
                Arguments.of("all 0xFF", allFf, Reason.BAD_VERSION, "unknown"),
                Arguments.of("all zero", new byte[64], Reason.BAD_VERSION, "unknown"),
                Arguments.of("version 7", ByteBuffer.allocate(24).putShort((short) 7).array(), Reason.BAD_VERSION,
                        "unknown"),
                Arguments.of("truncated v5 header", Arrays.copyOf(new NetflowV5Builder().build(), 12),
                        Reason.TRUNCATED, "netflow_v5"),
                Arguments.of("v5 count beyond the datagram", new NetflowV5Builder().count(5)
                        .addRecord(NetflowV5Builder.record()).build(), Reason.TRUNCATED, "netflow_v5"),
                Arguments.of("truncated v9 header", Arrays.copyOf(v9Header, 19), Reason.TRUNCATED, "netflow_v9"),
                Arguments.of("v9 FlowSet length 0", new NetflowV9Builder().rawFlowSet(256, 0, new byte[8]).build(),
                        Reason.BAD_LENGTH, "netflow_v9"),
                Arguments.of("v9 FlowSet length 3", new NetflowV9Builder().rawFlowSet(256, 3, new byte[8]).build(),
                        Reason.BAD_LENGTH, "netflow_v9"),
                Arguments.of("v9 FlowSet longer than the packet", new NetflowV9Builder()
                        .rawFlowSet(256, 400, new byte[8]).build(), Reason.BAD_LENGTH, "netflow_v9"),
                Arguments.of("v9 template with 65535 fields", new NetflowV9Builder().rawFlowSet(0, fieldsFor65535)
                        .build(), Reason.TRUNCATED, "netflow_v9"),
                Arguments.of("v9 template id below 256", new NetflowV9Builder().template(255, 1, 4).build(),
                        Reason.BAD_TEMPLATE, "netflow_v9"),
                Arguments.of("v9 options scope length not a multiple of 4", new NetflowV9Builder()
                        .rawFlowSet(1, ByteBuffer.allocate(12).putShort((short) 300).putShort((short) 2)
                                .putShort((short) 4).array()).build(), Reason.BAD_TEMPLATE, "netflow_v9"),
                Arguments.of("truncated IPFIX header", Arrays.copyOf(new IpfixBuilder().build(), 15),
                        Reason.TRUNCATED, "ipfix"),
                Arguments.of("IPFIX length beyond the datagram", new IpfixBuilder().lengthOverride(100).build(),
                        Reason.TRUNCATED, "ipfix"),
                Arguments.of("IPFIX length below the header", new IpfixBuilder().lengthOverride(8).build(),
                        Reason.BAD_LENGTH, "ipfix"),
                Arguments.of("IPFIX set length 0", new IpfixBuilder().rawSet(256, 0, new byte[8]).build(),
                        Reason.BAD_LENGTH, "ipfix"),
                Arguments.of("IPFIX set longer than the message", new IpfixBuilder().rawSet(256, 4000, new byte[8])
                        .build(), Reason.BAD_LENGTH, "ipfix"),
                Arguments.of("IPFIX reserved set id 1", new IpfixBuilder().rawSet(1, new byte[4]).build(),
                        Reason.UNKNOWN_SET, "ipfix"),
                Arguments.of("IPFIX reserved set id 100", new IpfixBuilder().rawSet(100, new byte[4]).build(),
                        Reason.UNKNOWN_SET, "ipfix"),
                Arguments.of("IPFIX template with 65535 fields", new IpfixBuilder().rawSet(2, fieldsFor65535).build(),
                        Reason.TRUNCATED, "ipfix"),
                Arguments.of("IPFIX options template with scope count 0", new IpfixBuilder()
                        .rawSet(3, ByteBuffer.allocate(12).putShort((short) 300).putShort((short) 1).putShort((short) 0)
                                .putShort((short) 1).putShort((short) 4).array()).build(), Reason.BAD_TEMPLATE, "ipfix"),
                Arguments.of("IPFIX enterprise field cut before its PEN", new IpfixBuilder()
                        .rawSet(2, ByteBuffer.allocate(8).putShort((short) 300).putShort((short) 1)
                                .putShort((short) 0x8001).putShort((short) 4).array()).build(), Reason.TRUNCATED, "ipfix"),
                Arguments.of("IPFIX variable field longer than its set", new IpfixBuilder()
                        .template(300, varField(82), field(OCTET_DELTA_COUNT, 4))
                        .data(300, new byte[] {(byte) 200, 1, 2, 3, 4, 5, 6, 7}).build(), Reason.FIELD_TOO_LONG, "ipfix"),
                Arguments.of("IPFIX 3-byte variable length cut", new IpfixBuilder().setPadding(1)
                        .template(300, varField(82)).data(300, new byte[] {(byte) 255, 1}).build(),
                        Reason.FIELD_TOO_LONG, "ipfix"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void failsWithItsReasonAndKeepsTheExportersTemplates(String name, byte[] datagram, Reason reason, String protocol)
            throws Exception {
        StageUnderTest c = StageUnderTest.create();
        learnTemplates(c);

        FlowBatch result = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> c.decode(datagram));

        assertThat(result.records()).isEmpty();
        assertThat(c.count("caravan.decoder.errors", "protocol", protocol, "exporter", "192.0.2.1", "reason",
                reason.name())).isEqualTo(1);
        assertThat(c.count("caravan.decoder.datagrams", "protocol", protocol, "exporter", "192.0.2.1")).isEqualTo(
                protocol.equals("unknown") ? 1 : protocol.equals("netflow_v5") ? 1 : 2);
        assertThat(NetflowV9DecodeTest.errors(c)).containsOnlyKeys(reason.name());
        assertTemplatesSurvive(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void theDecoderThrowsTheCheckedExceptionWithOffsetAndExcerpt(String name, byte[] datagram, Reason reason,
                                                                String protocol) throws Exception {
        StageUnderTest c = StageUnderTest.create();
        learnTemplates(c);
        NetflowDecoder decoder = ((DecodeNetflowStage) c.stage()).decoder();
        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(datagram),
                io.caravan.netflow.session.ExporterKey.of(StageUnderTest.EXPORTER, false), 0))
                .isInstanceOfSatisfying(DecodeException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.offset()).isBetween(0, datagram.length);
                    assertThat(e.getMessage()).startsWith(reason.name() + " at offset " + e.offset());
                    if (datagram.length > 0) {
                        assertThat(e.excerpt()).contains("|").hasSizeLessThanOrEqualTo(33);
                    }
                });
    }

    @Test
    void aBadDatagramInABatchIsLeftOutAndTheRestGoesOn() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        IpfixBuilder good = new IpfixBuilder().template(300, field(OCTET_DELTA_COUNT, 4));
        byte[] first = good.data(300, IpfixBuilder.record(field(OCTET_DELTA_COUNT, 4)).set(OCTET_DELTA_COUNT, 1)
                .bytes()).build();
        // Records of its first data set decode before its second one fails: none of them may come out.
        byte[] halfBad = new IpfixBuilder().sequence(1).template(301, varField(82), field(OCTET_DELTA_COUNT, 4))
                .data(300, IpfixBuilder.record(field(OCTET_DELTA_COUNT, 4)).set(OCTET_DELTA_COUNT, 2).bytes())
                .data(301, new byte[] {(byte) 200, 1, 2, 3, 4, 5, 6, 7}).build();
        byte[] last = new IpfixBuilder().sequence(2).data(300, IpfixBuilder.record(field(OCTET_DELTA_COUNT, 4))
                .set(OCTET_DELTA_COUNT, 3).bytes()).build();
        long now = c.now();

        FlowBatch batch = c.decode(new Datagram(first, StageUnderTest.EXPORTER, now),
                new Datagram(new byte[] {0, 7, 0, 0}, StageUnderTest.EXPORTER, now),
                new Datagram(halfBad, StageUnderTest.EXPORTER, now),
                new Datagram(last, StageUnderTest.EXPORTER, now));

        assertThat(batch.records()).extracting(r -> r.bytes()).containsExactly(1L, 3L);
        assertThat(batch.origin().exporter()).isEqualTo(StageUnderTest.EXPORTER);
        assertThat(c.count("caravan.decoder.errors", "protocol", "unknown", "exporter", "192.0.2.1", "reason",
                "BAD_VERSION")).isEqualTo(1);
        assertThat(c.count("caravan.decoder.errors", "protocol", "ipfix", "exporter", "192.0.2.1", "reason",
                "FIELD_TOO_LONG")).isEqualTo(1);
        assertThat(c.count("caravan.decoder.records", "protocol", "ipfix", "exporter", "192.0.2.1")).isEqualTo(2);
        assertThat(c.count("caravan.decoder.datagrams", "protocol", "ipfix", "exporter", "192.0.2.1")).isEqualTo(3);
    }

    @Test
    void aBatchOfOnlyBadDatagramsGivesAnEmptyBatchFromItsSender() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        FlowBatch batch = c.decode(new Datagram(new byte[] {0, 7, 0, 0}, StageUnderTest.EXPORTER, c.now()));
        assertThat(batch.isEmpty()).isTrue();
        assertThat(batch.origin().exporter()).isEqualTo(StageUnderTest.EXPORTER);
    }

    @Test
    void mutatedDatagramsNeverThrowUncheckedNorHang() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        learnTemplates(c);
        IpfixBuilder ipfix = new IpfixBuilder().template(500, field(OCTET_DELTA_COUNT, 4), varField(82),
                field(1, 4, 9));
        List<byte[]> seeds = List.of(
                new NetflowV5Builder().addRecord(NetflowV5Builder.record()).addRecord(NetflowV5Builder.record()).build(),
                new NetflowV9Builder().standardTemplates(256).addFlows(256, List.of()).template(300, 1, 4)
                        .data(300, new byte[4], new byte[4]).build(),
                ipfix.data(500, ipfix.record(500).set(82, new byte[10]).bytes()).optionsSelector(600, 1, 1, 9).build());
        Random random = new Random(42);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (int i = 0; i < 20_000; i++) {
                byte[] d = seeds.get(i % seeds.size()).clone();
                int flips = 1 + random.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    d[random.nextInt(d.length)] = (byte) random.nextInt(256);
                }
                if (random.nextInt(4) == 0) {
                    d = Arrays.copyOf(d, random.nextInt(d.length + 1));
                }
                c.decode(d);
            }
        });
        assertThat(NetflowV9DecodeTest.errors(c)).doesNotContainKey(Reason.INTERNAL.name());
    }

    private static void learnTemplates(StageUnderTest c) throws StageException {
        c.decode(new NetflowV9Builder().template(400, OCTET_DELTA_COUNT, 4).build());
        c.decode(new IpfixBuilder().template(400, OCTET_DELTA_COUNT, 4).build());
    }

    private static void assertTemplatesSurvive(StageUnderTest c) throws StageException {
        assertThat(c.decode(new NetflowV9Builder().data(400, NetflowV9Builder.record(OCTET_DELTA_COUNT, 4)
                .set(OCTET_DELTA_COUNT, 9).bytes()).build()).records()).hasSize(1);
        assertThat(c.decode(new IpfixBuilder().data(400, IpfixBuilder.record(field(OCTET_DELTA_COUNT, 4))
                .set(OCTET_DELTA_COUNT, 9).bytes()).build()).records()).hasSize(1);
    }
}
