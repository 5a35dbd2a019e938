package io.caravan.netflow;

import static io.caravan.traffic.datagram.NetflowV9Builder.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.traffic.datagram.NetflowV9Builder;
import io.caravan.traffic.datagram.SyntheticFlow;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetflowV9DecodeTest {
    private static final byte[] SRC = {10, 0, 0, 1};
    private static final byte[] DST = {10, 0, 0, 2};
    private static final byte[] SRC6 = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    private static final byte[] DST6 = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
    private static final long EXPORT_S = 1_700_000_000L;
    private static final long EXPORT_MS = EXPORT_S * 1000;
    private static final String[] V9_TAGS = {"protocol", "netflow_v9", "exporter", "192.0.2.1"};
    private static final String[] V9_GAPS = {"protocol", "netflow_v9", "exporter", "192.0.2.1", "unit", "datagrams"};

    private static SyntheticFlow flow(byte[] src, byte[] dst) {
        return new SyntheticFlow(src, dst, 40000, 443, 6, 12, 9000, EXPORT_MS - 20_000, EXPORT_MS - 2_000, 0x12, 0x20,
                7, 8, 64500, 64501, src.length == 4 ? new byte[] {10, 0, 0, (byte) 254} : SRC6, 24, 25);
    }

    @Test
    void templateThenDataWithTheStandardTemplates() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        byte[] datagram = new NetflowV9Builder().sourceId(3).sequence(17).unixSecs(EXPORT_S).sysUptime(3_600_000L)
                .standardTemplates(256).addFlows(256, List.of(flow(SRC, DST), flow(SRC6, DST6))).build();

        FlowBatch batch = c.decode(datagram);

        assertThat(batch.origin().observationDomain()).isEqualTo(3);
        assertThat(batch.records()).hasSize(2);
        FlowRecord v4 = batch.records().get(0);
        assertThat(v4.type()).isEqualTo(FlowType.NETFLOW_V9);
        assertThat(v4.sequenceNum()).isEqualTo(17);
        assertThat(v4.observationDomainId()).isEqualTo(3);
        assertThat(v4.samplerAddress()).containsExactly(192, 0, 2, 1);
        assertThat(v4.samplingRate()).isZero();
        assertThat(v4.bytes()).isEqualTo(9000);
        assertThat(v4.packets()).isEqualTo(12);
        assertThat(v4.proto()).isEqualTo(6);
        assertThat(v4.ipTos()).isEqualTo(0x20);
        assertThat(v4.tcpFlags()).isEqualTo(0x12);
        assertThat(v4.srcPort()).isEqualTo(40000);
        assertThat(v4.dstPort()).isEqualTo(443);
        assertThat(v4.srcAddr()).containsExactly(SRC);
        assertThat(v4.dstAddr()).containsExactly(DST);
        assertThat(v4.srcNet()).isEqualTo(24);
        assertThat(v4.dstNet()).isEqualTo(25);
        assertThat(v4.inIf()).isEqualTo(7);
        assertThat(v4.outIf()).isEqualTo(8);
        assertThat(v4.nextHop()).containsExactly(10, 0, 0, 254);
        assertThat(v4.srcAs()).isEqualTo(64500);
        assertThat(v4.dstAs()).isEqualTo(64501);
        assertThat(v4.etype()).isEqualTo(0x0800);
        assertThat(v4.timeFlowStartNs()).isEqualTo((EXPORT_MS - 20_000) * 1_000_000L);
        assertThat(v4.timeFlowEndNs()).isEqualTo((EXPORT_MS - 2_000) * 1_000_000L);
        FlowRecord v6 = batch.records().get(1);
        assertThat(v6.srcAddr()).containsExactly(SRC6);
        assertThat(v6.dstAddr()).containsExactly(DST6);
        assertThat(v6.nextHop()).containsExactly(SRC6);
        assertThat(v6.etype()).isEqualTo(0x86DD);
        assertThat(c.count("caravan.decoder.records", V9_TAGS)).isEqualTo(2);
        assertThat(c.gauge("caravan.templates", "exporter", "192.0.2.1")).isEqualTo(2.0);
    }

    @Test
    void lastSwitchedIs21AndFirstSwitchedIs22() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        NetflowV9Builder b = new NetflowV9Builder().unixSecs(EXPORT_S).sysUptime(100_000)
                .template(300, LAST_SWITCHED, 4, FIRST_SWITCHED, 4);
        FlowRecord r = c.decode(b.data(300, b.record(300).set(LAST_SWITCHED, 99_000).set(FIRST_SWITCHED, 90_000)
                .bytes()).build()).records().get(0);
        assertThat(r.timeFlowStartNs()).isEqualTo((EXPORT_MS - 10_000) * 1_000_000L);
        assertThat(r.timeFlowEndNs()).isEqualTo((EXPORT_MS - 1_000) * 1_000_000L);
    }

    @Test
    void uptimeWrapGivesAStartJustBeforeExportNot49DaysLater() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        NetflowV9Builder b = new NetflowV9Builder().unixSecs(EXPORT_S).sysUptime(5_000)
                .template(300, FIRST_SWITCHED, 4, LAST_SWITCHED, 4);
        FlowRecord r = c.decode(b.data(300, b.record(300).set(FIRST_SWITCHED, 0xFFFFFFFFL - 9_999)
                .set(LAST_SWITCHED, 4_000).bytes()).build()).records().get(0);
        assertThat(r.timeFlowStartNs()).isEqualTo((EXPORT_MS - 15_000) * 1_000_000L);
        assertThat(r.timeFlowEndNs()).isEqualTo((EXPORT_MS - 1_000) * 1_000_000L);
        assertThat(r.timeFlowStartNs()).isLessThan(r.timeFlowEndNs());
    }

    @Test
    void dataBeforeTemplateIsHeldAndComesOutWithTheTemplate() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        byte[] data = new NetflowV9Builder().sequence(1).addFlows(256, List.of(flow(SRC, DST), flow(SRC, DST))).build();
        FlowBatch held = c.decode(data);
        assertThat(held).isNotNull();
        assertThat(held.records()).isEmpty();
        assertThat(status(c).get("pending")).isEqualTo(1);

        FlowBatch withTemplate = c.decode(new NetflowV9Builder().sequence(2).standardTemplateIpv4(256)
                .addFlows(256, List.of(flow(SRC, DST))).build());

        assertThat(withTemplate.records()).hasSize(3);
        assertThat(withTemplate.records()).extracting(FlowRecord::sequenceNum).containsExactly(2L, 1L, 1L);
        assertThat(status(c).get("pending")).isEqualTo(0);
        assertThat(c.count("caravan.decoder.records", V9_TAGS)).isEqualTo(3);
        assertThat(c.has("caravan.decoder.errors", "protocol", "netflow_v9", "exporter", "192.0.2.1",
                "reason", "MISSING_TEMPLATE")).isFalse();
    }

    @Test
    void heldDataTimesOutAsMissingTemplate() throws Exception {
        StageUnderTest c = StageUnderTest.create(Map.of("pendingTimeout", "10s"));
        c.decode(new NetflowV9Builder().addFlows(256, List.of(flow(SRC, DST))).build());
        c.advance(10_001);
        c.decode(new NetflowV9Builder().sequence(1).build());

        assertThat(c.count("caravan.decoder.errors", "protocol", "netflow_v9", "exporter", "192.0.2.1",
                "reason", "MISSING_TEMPLATE")).isEqualTo(1);
        FlowBatch late = c.decode(new NetflowV9Builder().sequence(2).standardTemplateIpv4(256).build());
        assertThat(late.records()).isEmpty();
        assertThat(errors(c)).containsEntry("MISSING_TEMPLATE", 1L);
    }

    @Test
    void aFullPendingBufferPushesTheOldestOut() throws Exception {
        StageUnderTest c = StageUnderTest.create(Map.of("pendingDatagrams", "2"));
        for (int i = 0; i < 3; i++) {
            c.decode(new NetflowV9Builder().sequence(i).addFlows(256, List.of(flow(SRC, DST))).build());
        }
        assertThat(errors(c)).containsEntry("MISSING_TEMPLATE", 1L);
        assertThat(c.decode(new NetflowV9Builder().sequence(3).standardTemplateIpv4(256).build()).records())
                .extracting(FlowRecord::sequenceNum).containsExactly(1L, 2L);
    }

    @Test
    void noBufferingDropsAtOnce() throws Exception {
        StageUnderTest c = StageUnderTest.create(Map.of("pendingDatagrams", "0"));
        assertThat(c.decode(new NetflowV9Builder().addFlows(256, List.of(flow(SRC, DST))).build()).records()).isEmpty();
        assertThat(errors(c)).containsEntry("MISSING_TEMPLATE", 1L);
    }

    @Test
    void aTemplateLaterInTheSameDatagramStillDecodesItsData() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        byte[] d = new NetflowV9Builder().addFlows(256, List.of(flow(SRC, DST))).standardTemplateIpv4(256).build();
        assertThat(c.decode(d).records()).hasSize(1);
    }

    @Test
    void aTemplateUpdateReplacesTheOldDefinition() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        NetflowV9Builder first = new NetflowV9Builder().template(300, IN_BYTES, 4);
        assertThat(c.decode(first.data(300, first.record(300).set(IN_BYTES, 77).bytes()).build()).records().get(0)
                .bytes()).isEqualTo(77);
        NetflowV9Builder second = new NetflowV9Builder().sequence(1).template(300, IN_PKTS, 4, IN_BYTES, 8);
        FlowRecord r = c.decode(second.data(300, second.record(300).set(IN_PKTS, 3).set(IN_BYTES, 1L << 40).bytes())
                .build()).records().get(0);
        assertThat(r.packets()).isEqualTo(3);
        assertThat(r.bytes()).isEqualTo(1L << 40);
        assertThat(templates(c)).singleElement().satisfies(t -> assertThat(t.get("fields"))
                .isEqualTo(List.of("packetDeltaCount(4)", "octetDeltaCount(8)")));
    }

    @Test
    void templatesAreScopedByExporterAndSourceId() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        c.decode(new NetflowV9Builder().sourceId(1).template(300, IN_BYTES, 4).build());

        NetflowV9Builder otherSource = new NetflowV9Builder().sourceId(2);
        assertThat(c.decode(otherSource.data(300, NetflowV9Builder.record(IN_BYTES, 4).set(IN_BYTES, 1).bytes())
                .build()).records()).isEmpty();
        InetSocketAddress other = new InetSocketAddress("192.0.2.99", 2055);
        assertThat(c.decode(new NetflowV9Builder().sourceId(1).data(300, NetflowV9Builder.record(IN_BYTES, 4)
                .set(IN_BYTES, 1).bytes()).build(), other).records()).isEmpty();
        assertThat(c.decode(new NetflowV9Builder().sourceId(1).data(300, NetflowV9Builder.record(IN_BYTES, 4)
                .set(IN_BYTES, 5).bytes()).build()).records()).extracting(FlowRecord::bytes).containsExactly(5L);
    }

    @Test
    void templateKeyCanIncludeTheSourcePort() throws Exception {
        StageUnderTest c = StageUnderTest.create(Map.of("templateKeyIncludesPort", "true"));
        c.decode(new NetflowV9Builder().template(300, IN_BYTES, 4).build(), new InetSocketAddress("192.0.2.1", 1000));
        byte[] data = new NetflowV9Builder().data(300, NetflowV9Builder.record(IN_BYTES, 4).bytes()).build();
        assertThat(c.decode(data, new InetSocketAddress("192.0.2.1", 1001)).records()).isEmpty();
        assertThat(c.decode(data, new InetSocketAddress("192.0.2.1", 1000)).records()).hasSize(1);
        assertThat(c.count("caravan.decoder.datagrams", "protocol", "netflow_v9", "exporter", "192.0.2.1:1000"))
                .isEqualTo(2);
    }

    @Test
    void vendorTypesAbove32767AreKeptUnderTheirTypeNotReadAsEnterpriseFields() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        NetflowV9Builder b = new NetflowV9Builder().template(300, 33000, 4, IN_BYTES, 4, 40005, 2, L4_DST_PORT, 2);
        FlowRecord r = c.decode(b.data(300, b.record(300).set(33000, 0xDEADBEEFL).set(IN_BYTES, 42).set(40005, 7)
                .set(L4_DST_PORT, 53).bytes()).build()).records().get(0);
        assertThat(r.bytes()).isEqualTo(42);
        assertThat(r.dstPort()).isEqualTo(53);
        assertThat(r.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("v9:33000", 0xDEADBEEFL, "v9:40005", 7L));
    }

    @Test
    void standardFieldsWithoutARecordFieldAreKeptAsAttributesByName() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        // 85 octetTotalCount and 136 flowEndReason have no FlowRecord field; 23 yields to 1 (present); 12 repeats;
        // 210 is padding; 400 is not in the element table.
        NetflowV9Builder b = new NetflowV9Builder().template(300, IN_BYTES, 4, 85, 8, 136, 1, 23, 4, IPV4_DST_ADDR, 4,
                IPV4_DST_ADDR, 4, 210, 2, 400, 3);
        FlowRecord r = c.decode(b.data(300, b.record(300).set(IN_BYTES, 42).set(85, 1L << 40).set(136, 3)
                .set(23, 40).set(IPV4_DST_ADDR, 0x0A000002L).bytes()).build()).records().get(0);
        assertThat(r.bytes()).isEqualTo(42);
        assertThat(r.attributes()).containsOnlyKeys("octetTotalCount", "flowEndReason", "postOctetDeltaCount",
                "destinationIPv4Address", "ie:400");
        assertThat(r.attributes()).containsEntry("octetTotalCount", 1L << 40).containsEntry("flowEndReason", 3L)
                .containsEntry("postOctetDeltaCount", 40L).containsEntry("ie:400", 0L);
    }

    @Test
    void length65535IsNotVariableInV9() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        byte[] body = new byte[4 + 4 + 8];
        java.nio.ByteBuffer.wrap(body).putShort((short) 300).putShort((short) 2).putShort((short) IN_BYTES)
                .putShort((short) 4).putShort((short) 82).putShort((short) 0xFFFF);
        byte[] d = new NetflowV9Builder().rawFlowSet(0, java.util.Arrays.copyOf(body, 12)).build();
        c.decode(d);
        assertThat(templates(c)).singleElement().satisfies(t -> assertThat(t.get("fields"))
                .isEqualTo(List.of("octetDeltaCount(4)", "interfaceName(65535)")));
    }

    @Test
    void samplerOptionsSetTheRateOfRecordsNamingTheSampler() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        NetflowV9Builder b = new NetflowV9Builder().optionsSampling(400, 5, 2, 1000)
                .template(300, IN_BYTES, 4, FLOW_SAMPLER_ID, 1);
        FlowBatch batch = c.decode(b.data(300, b.record(300).set(IN_BYTES, 100).set(FLOW_SAMPLER_ID, 5).bytes(),
                b.record(300).set(IN_BYTES, 100).set(FLOW_SAMPLER_ID, 6).bytes()).build());
        assertThat(batch.records()).extracting(FlowRecord::samplingRate).containsExactly(1000L, 0L);
        assertThat(batch.records()).extracting(FlowRecord::bytes).containsExactly(100L, 100L);
        assertThat(status(c).get("samplingRates")).asList().singleElement()
                .isEqualTo(Map.of("version", 9, "domain", 0L, "samplerId", 5L, "rate", 1000L));
    }

    @Test
    void systemScopeSamplingIntervalAppliesToAllDataOfTheSourceId() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        NetflowV9Builder b = new NetflowV9Builder().template(300, IN_BYTES, 4)
                .optionsTemplate(400, new int[] {SCOPE_SYSTEM, 0}, new int[] {SAMPLING_INTERVAL, 4});
        // Data first in the datagram, options after: options still apply (flow-protocols §10.14).
        byte[] d = b.data(300, b.record(300).set(IN_BYTES, 1).bytes())
                .data(400, b.record(400).set(SAMPLING_INTERVAL, 256).bytes()).build();
        assertThat(c.decode(d).records()).extracting(FlowRecord::samplingRate).containsExactly(256L);
        NetflowV9Builder next = new NetflowV9Builder().sequence(1);
        assertThat(c.decode(next.data(300, NetflowV9Builder.record(IN_BYTES, 4).bytes()).build()).records())
                .extracting(FlowRecord::samplingRate).containsExactly(256L);
    }

    @Test
    void aRateInTheDataRecordWins() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        NetflowV9Builder b = new NetflowV9Builder().optionsSampling(400, 1, 2, 1000)
                .template(300, FLOW_SAMPLER_ID, 1, SAMPLING_INTERVAL, 4);
        assertThat(c.decode(b.data(300, b.record(300).set(FLOW_SAMPLER_ID, 1).set(SAMPLING_INTERVAL, 10).bytes())
                .build()).records().get(0).samplingRate()).isEqualTo(10);
    }

    @Test
    void optionsDataBeforeItsTemplateIsHeldAndAppliedToItsOwnSourceId() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        byte[] optionsData = new NetflowV9Builder().sourceId(4).data(400, NetflowV9Builder
                .record(SCOPE_SYSTEM, 4, SAMPLING_INTERVAL, 4).set(SAMPLING_INTERVAL, 333).bytes()).build();
        assertThat(c.decode(optionsData).records()).isEmpty();
        c.decode(new NetflowV9Builder().sourceId(4).sequence(1).template(300, IN_BYTES, 4)
                .optionsTemplate(400, new int[] {SCOPE_SYSTEM, 4}, new int[] {SAMPLING_INTERVAL, 4}).build());
        assertThat(c.decode(new NetflowV9Builder().sourceId(4).sequence(2).data(300, NetflowV9Builder
                .record(IN_BYTES, 4).bytes()).build()).records()).extracting(FlowRecord::samplingRate)
                .containsExactly(333L);
        assertThat(status(c).get("samplingRates")).asList().singleElement()
                .isEqualTo(Map.of("version", 9, "domain", 4L, "samplerId", "system", "rate", 333L));
    }

    @Test
    void datagramsWithoutASenderDecodeUnderTheUnknownExporter() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        FlowBatch b = c.decode(new NetflowV9Builder().standardTemplates(256).addFlows(256, List.of(flow(SRC, DST)))
                .build(), null);
        assertThat(b.records()).hasSize(1);
        assertThat(b.records().get(0).samplerAddress()).isNull();
        assertThat(c.count("caravan.decoder.records", "protocol", "netflow_v9", "exporter", "unknown")).isEqualTo(1);
    }

    @Test
    void sequenceGapsCountLostPacketsPerSourceId() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        c.decode(new NetflowV9Builder().sourceId(1).sequence(10).build());
        c.decode(new NetflowV9Builder().sourceId(2).sequence(500).build());
        c.decode(new NetflowV9Builder().sourceId(1).sequence(11).build());
        c.decode(new NetflowV9Builder().sourceId(2).sequence(501).build());
        c.decode(new NetflowV9Builder().sourceId(1).sequence(15).build()); // 12, 13, 14 missing
        c.decode(new NetflowV9Builder().sourceId(1).sequence(13).build()); // late: not lost
        for (int seq = 16; seq <= 75; seq++) {   // expect 76: 12 is 64 behind (the v9 window), may still come late
            c.decode(new NetflowV9Builder().sourceId(1).sequence(seq).build());
        }
        assertThat(c.count("caravan.decoder.sequence_gaps", V9_GAPS)).isZero();
        for (int seq = 76; seq <= 78; seq++) {   // expect 79: 12 and 14 are more than 64 behind, lost
            c.decode(new NetflowV9Builder().sourceId(1).sequence(seq).build());
        }
        assertThat(c.count("caravan.decoder.sequence_gaps", V9_GAPS)).isEqualTo(2);
        c.decode(new NetflowV9Builder().sourceId(1).sequence(80).build()); // 79 missing
        c.decode(new NetflowV9Builder().sourceId(1).sequence(5).sysUptime(1_000).build()); // reboot: uptime went back
        assertThat(c.count("caravan.decoder.sequence_gaps", V9_GAPS)).isEqualTo(3); // 79 counted at the restart
    }

    @Test
    void aLateDatagramWithItsOwnEarlierUptimeIsReorderedNotARestartOrALoss() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        // Packets 1, 3, 2, 4, each stamped 10 ms after the one before it, as exporters do.
        c.decode(new NetflowV9Builder().sourceId(1).sequence(1).sysUptime(100_000).build());
        c.decode(new NetflowV9Builder().sourceId(1).sequence(3).sysUptime(100_020).build());
        c.decode(new NetflowV9Builder().sourceId(1).sequence(2).sysUptime(100_010).build());
        c.decode(new NetflowV9Builder().sourceId(1).sequence(4).sysUptime(100_030).build());
        for (int seq = 5; seq <= 80; seq++) {    // well past the window: anything still missing would be lost
            c.decode(new NetflowV9Builder().sourceId(1).sequence(seq).sysUptime(100_030 + 10L * seq).build());
        }
        assertThat(c.count("caravan.decoder.sequence_gaps", V9_GAPS)).isZero();
        // Uptime 101.5 s back is no reordering: a reboot, and 81, still missing, is counted lost then.
        c.decode(new NetflowV9Builder().sourceId(1).sequence(82).sysUptime(102_000).build());
        c.decode(new NetflowV9Builder().sourceId(1).sequence(1).sysUptime(500).build());
        assertThat(c.count("caravan.decoder.sequence_gaps", V9_GAPS)).isEqualTo(1);
    }

    @Test
    void templatesOnlyGiveAnEmptyBatch() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        FlowBatch b = c.decode(new NetflowV9Builder().standardTemplates(256).build());
        assertThat(b).isNotNull();
        assertThat(b.isEmpty()).isTrue();
        assertThat(templates(c)).hasSize(2);
    }

    static Map<?, ?> status(StageUnderTest c) {
        List<?> exporters = (List<?>) c.stage().status().get("exporters");
        return (Map<?, ?>) exporters.stream().filter(e -> "192.0.2.1".equals(((Map<?, ?>) e).get("exporter")))
                .findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Long> errors(StageUnderTest c) {
        return (Map<String, Long>) status(c).get("errors");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> templates(StageUnderTest c) {
        return (List<Map<String, Object>>) status(c).get("templates");
    }
}
