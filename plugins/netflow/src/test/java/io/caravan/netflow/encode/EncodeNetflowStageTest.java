package io.caravan.netflow.encode;

import static io.caravan.netflow.encode.ExportUnderTest.BOOT_MS;
import static io.caravan.netflow.encode.ExportUnderTest.ip;
import static io.caravan.netflow.encode.ExportUnderTest.v4;
import static io.caravan.netflow.encode.ExportUnderTest.v6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.api.stage.OptionException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Header fields, sequence numbers, template schedule and MTU bounds of each format, read back byte by byte. */
class EncodeNetflowStageTest {

    @Test
    void v5HeaderCountsFlowsSentBeforeEachDatagramAndRecordsCarryEveryField() throws Exception {
        ExportUnderTest t = new ExportUnderTest(Map.of("version", "5", "engineType", "1", "engineId", "7"));
        t.clock.advance(10_000);
        List<byte[]> first = t.encode(IntStream.range(0, 40).mapToObj(ExportUnderTest::v4).toArray(FlowRecord[]::new));
        // 1400 bytes hold (1400 - 24) / 48 = 28 records.
        assertThat(first).extracting(d -> d.length).containsExactly(24 + 28 * 48, 24 + 12 * 48);
        ByteBuffer h = ByteBuffer.wrap(first.get(1));
        assertThat(h.getShort(0)).isEqualTo((short) 5);                 // version
        assertThat(h.getShort(2)).isEqualTo((short) 12);                // count
        assertThat(h.getInt(4)).isEqualTo(10_000);                      // sys_uptime: ms since the stage started
        assertThat(h.getInt(8) & 0xFFFF_FFFFL).isEqualTo((BOOT_MS + 10_000) / 1000); // unix_secs
        assertThat(h.getInt(12)).isZero();                              // unix_nsecs
        assertThat(h.getInt(16)).isEqualTo(28);                         // flow_sequence: flows before this datagram
        assertThat(h.get(20)).isEqualTo((byte) 1);                      // engine_type
        assertThat(h.get(21)).isEqualTo((byte) 7);                      // engine_id
        assertThat(ByteBuffer.wrap(first.get(0)).getInt(16)).isZero();
        assertThat(ByteBuffer.wrap(t.encode(v4(0)).get(0)).getInt(16)).isEqualTo(40);

        ByteBuffer r = ByteBuffer.wrap(first.get(0), 24, 48).slice();   // record 0
        assertThat(bytes(r, 0, 4)).containsExactly(ip("10.1.0.0"));     // srcaddr
        assertThat(bytes(r, 4, 4)).containsExactly(ip("192.0.2.7"));    // dstaddr
        assertThat(bytes(r, 8, 4)).containsExactly(ip("10.0.0.254"));   // nexthop
        assertThat(r.getShort(12)).isEqualTo((short) 3);                // input
        assertThat(r.getShort(14) & 0xFFFF).isEqualTo(65_535);          // output 70000 saturates
        assertThat(r.getInt(16)).isEqualTo(10);                         // dPkts
        assertThat(r.getInt(20)).isEqualTo(15_000);                     // dOctets
        assertThat(r.getInt(24)).isEqualTo(1_000);                      // First: uptime ms
        assertThat(r.getInt(28)).isEqualTo(4_000);                      // Last
        assertThat(r.getShort(32) & 0xFFFF).isEqualTo(40_000);          // srcport
        assertThat(r.getShort(34)).isEqualTo((short) 443);              // dstport
        assertThat(r.get(37)).isEqualTo((byte) 0x1B);                   // tcp_flags
        assertThat(r.get(38)).isEqualTo((byte) 6);                      // prot
        assertThat(r.get(39)).isEqualTo((byte) 0x10);                   // tos
        assertThat(r.getShort(40) & 0xFFFF).isEqualTo(64_512);          // src_as
        assertThat(r.getShort(42)).isEqualTo((short) V5Encoder.AS_TRANS); // dst_as: 32-bit AS as AS_TRANS
        assertThat(r.get(44)).isEqualTo((byte) 24);                     // src_mask
        assertThat(r.get(45)).isEqualTo((byte) 32);                     // dst_mask
        assertThat(t.count(EncodeNetflowStage.RECORDS, "version", "v5", "outcome", "exported")).isEqualTo(41);
        assertThat(t.count(EncodeNetflowStage.DATAGRAMS, "version", "v5")).isEqualTo(3);
    }

    @Test
    void v5StopsAtThirtyRecordsWhateverTheMtu() throws Exception {
        ExportUnderTest t = new ExportUnderTest(Map.of("version", "5", "mtu", "9000"));
        List<byte[]> out = t.encode(IntStream.range(0, 31).mapToObj(ExportUnderTest::v4).toArray(FlowRecord[]::new));
        assertThat(out).extracting(d -> d.length).containsExactly(24 + 30 * 48, 24 + 48);
    }

    @Test
    void v5SkipsIpv6AndAddresslessRecordsAndCountsThem() throws Exception {
        ExportUnderTest t = new ExportUnderTest(Map.of("version", "5"));
        List<byte[]> out = t.encode(v4(1), v6(2), new FlowRecord().packets(1), v4(3).dstAddr(ip("2001:db8::9")));
        assertThat(out).hasSize(1);
        assertThat(ByteBuffer.wrap(out.get(0)).getShort(2)).isEqualTo((short) 1);
        assertThat(t.count(EncodeNetflowStage.RECORDS, "version", "v5", "outcome", "ipv6")).isEqualTo(1);
        assertThat(t.count(EncodeNetflowStage.RECORDS, "version", "v5", "outcome", "no_address")).isEqualTo(2);
        assertThat(t.encode(v6(1))).as("nothing to send: the runtime counts the batch as dropped").isEmpty();
    }

    @Test
    void aSkydiveTcpFlowGoesOutAsV5WithItsOwnProtocol() throws Exception {
        ExportUnderTest t = new ExportUnderTest(Map.of("version", "5"));
        FlowRecord skydive = new FlowRecord().type(FlowType.SKYDIVE).srcAddr(ip("172.17.0.5"))
                .dstAddr(ip("93.184.216.34")).srcPort(51_234).dstPort(443).proto(6).packets(75).bytes(54_920)
                .timeFlowStartNs((BOOT_MS + 12_345) * 1_000_000).timeFlowEndNs((BOOT_MS + 98_765) * 1_000_000);
        t.clock.advance(100_000);
        ByteBuffer b = ByteBuffer.wrap(t.encode(skydive).get(0));
        assertThat(b.get(24 + 38)).as("prot: TCP, not the Skydive target's constant 17").isEqualTo((byte) 6);
        assertThat(b.getInt(16)).as("flow_sequence before the datagram, not the running total after").isZero();
        assertThat(b.getInt(24 + 24)).isEqualTo(12_345);
        assertThat(b.getInt(24 + 28)).isEqualTo(98_765);
    }

    @Test
    void v5IcmpTypeAndCodeGoInTheDestinationPort() throws Exception {
        ExportUnderTest t = new ExportUnderTest(Map.of("version", "5"));
        ByteBuffer b = ByteBuffer.wrap(t.encode(v4(0).proto(1).srcPort(0).dstPort(0).icmpType(8).icmpCode(0)).get(0));
        assertThat(b.getShort(24 + 34)).isEqualTo((short) 0x0800);
    }

    @Test
    void aFlowThatStartedBeforeTheStageIsWrittenAsStartingAtItsBoot() throws Exception {
        ExportUnderTest t = new ExportUnderTest(Map.of("version", "5"));
        ByteBuffer b = ByteBuffer.wrap(t.encode(v4(0).timeFlowStartNs((BOOT_MS - 5_000) * 1_000_000)).get(0));
        assertThat(b.getInt(24 + 24)).isZero();
        assertThat(b.getInt(24 + 28)).isEqualTo(4_000);
    }

    @Test
    void v9SendsTemplatesFirstCountsDatagramsAndResendsTemplatesByCount() throws Exception {
        ExportUnderTest t = new ExportUnderTest(Map.of("version", "9", "templatePackets", "3", "templateInterval", "0"));
        t.clock.advance(2_000);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            out.addAll(t.encode(v4(i), v6(i)));
        }
        assertThat(out).hasSize(5);
        for (int i = 0; i < 5; i++) {
            ByteBuffer b = ByteBuffer.wrap(out.get(i));
            assertThat(b.getShort(0)).isEqualTo((short) 9);
            assertThat(b.getInt(4)).as("sysUptime").isEqualTo(2_000);
            assertThat(b.getInt(12)).as("sequence counts datagrams").isEqualTo(i);
            assertThat(b.getInt(16)).as("source id").isZero();
            boolean templates = i == 0 || i == 3;
            assertThat(b.getShort(20)).as("first set of datagram %d", i).isEqualTo((short) (templates ? 0 : 256));
            assertThat(b.getShort(2)).as("count: template and data records").isEqualTo((short) (templates ? 4 : 2));
            assertThat(sets(out.get(i), 20)).endsWith(256, 257);
        }
        assertThat(t.count(EncodeNetflowStage.TEMPLATES, "version", "v9")).isEqualTo(4);
    }

    @Test
    void templatesAreResentByTime() throws Exception {
        ExportUnderTest t = new ExportUnderTest(Map.of("version", "10", "templatePackets", "0", "templateInterval", "30s"));
        assertThat(sets(t.encode(v4(0)).get(0), 16)).containsExactly(2, 256);
        t.clock.advance(29_999);
        assertThat(sets(t.encode(v4(1)).get(0), 16)).containsExactly(256);
        t.clock.advance(1);
        assertThat(sets(t.encode(v4(2)).get(0), 16)).containsExactly(2, 256);
    }

    @Test
    void v9KeepsOneSequencePerSourceId() throws Exception {
        ExportUnderTest t = new ExportUnderTest(Map.of("version", "9"));
        List<byte[]> out = t.encode(v4(0).observationDomainId(1), v4(1).observationDomainId(2));
        out = new ArrayList<>(out);
        out.addAll(t.encode(v4(2).observationDomainId(2)));
        assertThat(out).extracting(d -> ByteBuffer.wrap(d).getInt(16)).containsExactly(1, 2, 2);
        assertThat(out).extracting(d -> ByteBuffer.wrap(d).getInt(12)).containsExactly(0, 0, 1);
        assertThat(out).extracting(d -> sets(d, 20).get(0)).as("each source id gets its templates")
                .containsExactly(0, 0, 256);

        ExportUnderTest fixed = new ExportUnderTest(Map.of("version", "9", "observationDomain", "42"));
        assertThat(fixed.encode(v4(0).observationDomainId(1), v4(1).observationDomainId(2)))
                .extracting(d -> ByteBuffer.wrap(d).getInt(16)).containsExactly(42);
    }

    @Test
    void ipfixSequenceCountsDataRecordsAndTimesAreAbsoluteMilliseconds() throws Exception {
        ExportUnderTest t = new ExportUnderTest(Map.of("version", "10", "observationDomain", "7"));
        t.clock.advance(3_000);
        List<byte[]> out = t.encode(IntStream.range(0, 40).mapToObj(i -> i % 2 == 0 ? v4(i) : v6(i))
                .toArray(FlowRecord[]::new));
        out = new ArrayList<>(out);
        out.addAll(t.encode(v4(99)));
        long records = 0;
        for (byte[] d : out) {
            ByteBuffer b = ByteBuffer.wrap(d);
            assertThat(b.getShort(0)).isEqualTo((short) 10);
            assertThat(b.getShort(2) & 0xFFFF).as("length").isEqualTo(d.length);
            assertThat(b.getInt(4) & 0xFFFF_FFFFL).as("export time").isEqualTo((BOOT_MS + 3_000) / 1000);
            assertThat(b.getInt(8) & 0xFFFF_FFFFL).as("sequence: data records before").isEqualTo(records);
            assertThat(b.getInt(12)).as("observation domain").isEqualTo(7);
            records += dataRecords(d);
        }
        assertThat(records).isEqualTo(41);
        // The first data record is the first IPv4 flow: flowStartMilliseconds at its offset in the template.
        byte[] d = out.get(0);
        int data = 16 + 4 + new TemplateEncoderProbe().templateSetBody() + 4;
        ByteBuffer r = ByteBuffer.wrap(d, data, d.length - data).slice();
        int startOffset = 4 + 4 + 4 + 4 + 4 + 8 + 8;
        assertThat(r.getLong(startOffset)).isEqualTo(BOOT_MS + 1_000);
        assertThat(r.getLong(startOffset + 8)).isEqualTo(BOOT_MS + 4_000);
    }

    @Test
    void everyDatagramStaysWithinTheMtuWithSetsPaddedToFourBytes() throws Exception {
        for (String version : List.of("5", "9", "10")) {
            for (int mtu : List.of(512, 700, 1400, 1472)) {
                ExportUnderTest t = new ExportUnderTest(Map.of("version", version, "mtu", mtu, "templatePackets", "2"));
                List<byte[]> out = t.encode(IntStream.range(0, 300).mapToObj(i -> i % 3 == 0 ? v6(i) : v4(i))
                        .toArray(FlowRecord[]::new));
                long records = 0;
                for (byte[] d : out) {
                    assertThat(d.length).as("v%s mtu %d", version, mtu).isLessThanOrEqualTo(mtu);
                    records += version.equals("5") ? ByteBuffer.wrap(d).getShort(2) : dataRecords(d);
                }
                assertThat(records).as("v%s mtu %d", version, mtu).isEqualTo(version.equals("5") ? 200 : 300);
            }
        }
    }

    @Test
    void concurrentBatchesNumberOneStreamWithoutGapsOrRepeats() throws Exception {
        ExportUnderTest t = new ExportUnderTest(Map.of("version", "10", "observationDomain", "1"));
        java.util.concurrent.ConcurrentLinkedQueue<byte[]> out = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                done.add(pool.submit(() -> {
                    for (int batch = 0; batch < 50; batch++) {
                        out.addAll(t.encode(IntStream.range(0, 1 + batch % 40).mapToObj(ExportUnderTest::v4)
                                .toArray(FlowRecord[]::new)));
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<byte[]> bySequence = out.stream()
                .sorted(java.util.Comparator.comparingLong(d -> ByteBuffer.wrap(d).getInt(8) & 0xFFFF_FFFFL)).toList();
        long expected = 0;
        for (byte[] d : bySequence) {
            assertThat(ByteBuffer.wrap(d).getInt(8) & 0xFFFF_FFFFL).isEqualTo(expected);
            expected += dataRecords(d);
        }
        assertThat(expected).isEqualTo(t.count(EncodeNetflowStage.RECORDS, "version", "ipfix", "outcome", "exported"));
    }

    @Test
    void anMtuTooSmallForTheTemplatesIsRefusedAtStart() {
        assertThatThrownBy(() -> new ExportUnderTest(Map.of("mtu", "100")))
                .isInstanceOf(OptionException.class).hasMessageContaining("'mtu' must be 512 to 65507");
        assertThatThrownBy(() -> new ExportUnderTest(Map.of("version", "7")))
                .isInstanceOf(OptionException.class).hasMessageContaining("5, 9, 10");
        assertThat(TemplateEncoder.minimumMtu(ExportVersion.IPFIX)).isLessThanOrEqualTo(512);
    }

    /** Set ids of a v9 (header 20) or IPFIX (header 16) datagram, walking set lengths. */
    static List<Integer> sets(byte[] d, int header) {
        List<Integer> ids = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(d);
        for (int p = header; p + 4 <= d.length; ) {
            ids.add(b.getShort(p) & 0xFFFF);
            int length = b.getShort(p + 2) & 0xFFFF;
            assertThat(length % 4).as("set padded to 4 bytes").isZero();
            p += length;
        }
        return ids;
    }

    /** Data records in a v9 or IPFIX datagram: set bodies divided by their template's record length. */
    static long dataRecords(byte[] d) {
        ByteBuffer b = ByteBuffer.wrap(d);
        boolean ipfix = b.getShort(0) == 10;
        ExportVersion v = ipfix ? ExportVersion.IPFIX : ExportVersion.V9;
        long n = 0;
        for (int p = ipfix ? 16 : 20; p + 4 <= d.length; ) {
            int id = b.getShort(p) & 0xFFFF;
            int length = b.getShort(p + 2) & 0xFFFF;
            if (id >= 256) {
                int record = (id == 256 ? ExportTemplate.ipv4(v) : ExportTemplate.ipv6(v)).recordLength;
                n += (length - 4) / record;
            }
            p += length;
        }
        return n;
    }

    private static byte[] bytes(ByteBuffer b, int offset, int length) {
        byte[] out = new byte[length];
        b.get(offset, out);
        return out;
    }

    /** The template set body of IPFIX: both template records. */
    private static final class TemplateEncoderProbe {
        int templateSetBody() {
            return ExportTemplate.ipv4(ExportVersion.IPFIX).templateRecordLength()
                    + ExportTemplate.ipv6(ExportVersion.IPFIX).templateRecordLength();
        }
    }
}
