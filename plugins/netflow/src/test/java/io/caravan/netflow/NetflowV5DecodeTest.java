package io.caravan.netflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.api.sequence.MissingRanges;
import io.caravan.traffic.datagram.NetflowV5Builder;
import io.caravan.traffic.datagram.SyntheticFlow;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetflowV5DecodeTest {
    private static final byte[] SRC = {10, 0, 0, 1};
    private static final byte[] DST = {(byte) 192, (byte) 168, 1, 2};
    private static final byte[] HOP = {10, 0, 0, (byte) 254};

    @Test
    void everyHeaderAndRecordField() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        byte[] datagram = new NetflowV5Builder()
                .sysUptime(3_600_000L).unixSecs(1_700_000_100L).unixNsecs(250_000_000L).flowSequence(4242)
                .engineType(1).engineId(7).samplingMode(1).samplingInterval(100)
                .addRecord(NetflowV5Builder.record().srcAddr(SRC).dstAddr(DST).nextHop(HOP).input(3).output(65535)
                        .packets(0xFFFFFFFFL).octets(0x80000000L).first(3_590_000L).last(3_599_000L)
                        .srcPort(51000).dstPort(443).pad1(0xAA).tcpFlags(0x1B).protocol(6).tos(0xB8)
                        .srcAs(64500).dstAs(65535).srcMask(24).dstMask(16).pad2(0xBEEF))
                .build();

        FlowBatch batch = c.decode(datagram);

        assertThat(batch.size()).isEqualTo(1);
        assertThat(batch.origin().exporter()).isEqualTo(StageUnderTest.EXPORTER);
        assertThat(batch.origin().receivedMs()).isEqualTo(StageUnderTest.NOW_MS);
        FlowRecord r = batch.records().get(0);
        long exportMs = 1_700_000_100_250L;
        assertThat(r.type()).isEqualTo(FlowType.NETFLOW_V5);
        assertThat(r.timeReceivedNs()).isEqualTo(StageUnderTest.NOW_MS * 1_000_000L);
        assertThat(r.sequenceNum()).isEqualTo(4242);
        assertThat(r.samplingRate()).isEqualTo(100);
        assertThat(r.samplerAddress()).containsExactly(192, 0, 2, 1);
        assertThat(r.srcAddr()).containsExactly(SRC);
        assertThat(r.dstAddr()).containsExactly(DST);
        assertThat(r.nextHop()).containsExactly(HOP);
        assertThat(r.inIf()).isEqualTo(3);
        assertThat(r.outIf()).isEqualTo(65535);
        assertThat(r.packets()).isEqualTo(0xFFFFFFFFL);
        assertThat(r.bytes()).isEqualTo(0x80000000L);
        assertThat(r.timeFlowStartNs()).isEqualTo((exportMs - 10_000) * 1_000_000L);
        assertThat(r.timeFlowEndNs()).isEqualTo((exportMs - 1_000) * 1_000_000L);
        assertThat(r.srcPort()).isEqualTo(51000);
        assertThat(r.dstPort()).isEqualTo(443);
        assertThat(r.tcpFlags()).isEqualTo(0x1B);
        assertThat(r.proto()).isEqualTo(6);
        assertThat(r.ipTos()).isEqualTo(0xB8);
        assertThat(r.srcAs()).isEqualTo(64500);
        assertThat(r.dstAs()).isEqualTo(65535);
        assertThat(r.srcNet()).isEqualTo(24);
        assertThat(r.dstNet()).isEqualTo(16);
        assertThat(r.etype()).isEqualTo(0x0800);
        assertThat(r.attributes()).isEmpty();
        assertThat(c.count("caravan.decoder.datagrams", "protocol", "netflow_v5", "exporter", "192.0.2.1"))
                .isEqualTo(1);
        assertThat(c.count("caravan.decoder.records", "protocol", "netflow_v5", "exporter", "192.0.2.1"))
                .isEqualTo(1);
        assertThat(c.count("caravan.decoder.bytes", "protocol", "netflow_v5", "exporter", "192.0.2.1"))
                .isEqualTo(datagram.length);
    }

    @Test
    void flowsFromTheBuilderRoundTrip() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        long start = 1_700_000_000_000L - 60_000;
        SyntheticFlow f = new SyntheticFlow(SRC, DST, 1234, 53, 17, 10, 1500, start, start + 30_000, 0, 0, 5, 6, 100, 200,
                HOP, 8, 32);
        FlowRecord r = c.decode(new NetflowV5Builder().exportMs(1_700_000_000_000L).addFlow(f).addFlow(f).build())
                .records().get(1);

        assertThat(r.timeFlowStartNs()).isEqualTo(start * 1_000_000L);
        assertThat(r.timeFlowEndNs()).isEqualTo((start + 30_000) * 1_000_000L);
        assertThat(r.bytes()).isEqualTo(1500);
        assertThat(r.packets()).isEqualTo(10);
        assertThat(r.srcAs()).isEqualTo(100);
        assertThat(r.inIf()).isEqualTo(5);
        assertThat(r.dstNet()).isEqualTo(32);
    }

    @Test
    void samplingModeBitsAreNotPartOfTheInterval() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        for (int mode = 0; mode < 4; mode++) {
            FlowRecord r = c.decode(new NetflowV5Builder().samplingMode(mode).samplingInterval(0x3FFF)
                    .addRecord(NetflowV5Builder.record()).build()).records().get(0);
            assertThat(r.samplingRate()).as("mode %d", mode).isEqualTo(0x3FFF);
        }
        FlowRecord unannounced = c.decode(new NetflowV5Builder().rawSamplingField(0x8000)
                .addRecord(NetflowV5Builder.record()).build()).records().get(0);
        assertThat(unannounced.samplingRate()).isZero();
    }

    @Test
    void configuredRateAppliesOnlyWhenTheHeaderAnnouncesNone() throws Exception {
        StageUnderTest c = StageUnderTest.create(Map.of("samplingRates", "192.0.2.1=512,*=4"));
        assertThat(c.decode(new NetflowV5Builder().addRecord(NetflowV5Builder.record()).build()).records().get(0)
                .samplingRate()).isEqualTo(512);
        assertThat(c.decode(new NetflowV5Builder().samplingInterval(10).addRecord(NetflowV5Builder.record()).build())
                .records().get(0).samplingRate()).isEqualTo(10);
        assertThat(c.decode(new NetflowV5Builder().addRecord(NetflowV5Builder.record()).build(),
                new java.net.InetSocketAddress("198.51.100.9", 9)).records().get(0).samplingRate()).isEqualTo(4);
    }

    @Test
    void uptimeWrapGivesAStartJustBeforeExport() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        FlowRecord r = c.decode(new NetflowV5Builder().sysUptime(5_000).exportMs(1_700_000_000_000L)
                .addRecord(NetflowV5Builder.record().first(0xFFFFFFFFL - 9_999).last(4_000)).build()).records().get(0);
        assertThat(r.timeFlowStartNs()).isEqualTo((1_700_000_000_000L - 15_000) * 1_000_000L);
        assertThat(r.timeFlowEndNs()).isEqualTo((1_700_000_000_000L - 1_000) * 1_000_000L);
    }

    @Test
    void sequenceGapsCountLostFlows() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        c.decode(v5(1000, 30));          // expect 1030 next
        c.decode(v5(1030, 30));          // in order
        c.decode(v5(1090, 10));          // 1060..1089 missing
        c.decode(v5(1060, 20));          // late datagram: reordered, 1060..1079 not lost
        c.decode(v5(1100, 5));           // in order again
        long next = inOrder(c, 1105, 63); // 1080..1089 are not yet 1,920 flows (the v5 window) behind
        assertThat(gaps(c)).isZero();
        assertThat(exporterStatus(c).get("sequenceMissing")).isEqualTo(10L);
        c.decode(v5(next, 30));          // now they are: lost
        assertThat(gaps(c)).isEqualTo(10);
        assertThat(exporterStatus(c).get("sequenceMissing")).isEqualTo(0L);
        c.decode(v5(7, 1));              // large backward jump: restart, no gap
        c.decode(v5(8, 1));
        assertThat(gaps(c)).isEqualTo(10);
        assertThat(c.stage().status().get("exporters")).asList().singleElement()
                .extracting(e -> ((Map<?, ?>) e).get("sequenceGaps")).isEqualTo(10L);
    }

    @Test
    void sequenceWrapsModulo2Pow32() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        c.decode(v5(0xFFFFFFF0L, 16));   // next is 0
        c.decode(v5(2, 1));              // 0 and 1 missing
        assertThat(gaps(c)).isZero();
        inOrder(c, 3, 65);               // more than the window further: lost
        assertThat(gaps(c)).isEqualTo(2);
    }

    @Test
    void aLossJustBeforeAnExporterGoesQuietIsCountedOnceItCanNoLongerArriveWhileOthersSend() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        c.decode(v5(1000, 30));
        c.decode(v5(1060, 30));          // 1030..1059 missing; then this exporter goes quiet
        InetSocketAddress other = new InetSocketAddress("192.0.2.2", 2055);
        c.decode(v5(0, 30), other);
        assertThat(gaps(c)).isZero();
        assertThat(exporterStatus(c, "192.0.2.1").get("sequenceMissing")).isEqualTo(30L);
        c.advance(MissingRanges.MAX_WAIT_MS + 1_000); // past the wait and the next housekeeping
        c.decode(v5(30, 30), other);     // another exporter's datagram runs the housekeeping
        assertThat(gaps(c)).isEqualTo(30);
        assertThat(exporterStatus(c, "192.0.2.1").get("sequenceMissing")).isEqualTo(0L);
    }

    private static long gaps(StageUnderTest c) {
        return c.count("caravan.decoder.sequence_gaps", "protocol", "netflow_v5", "exporter", "192.0.2.1", "unit",
                "records");
    }

    /** Decodes {@code n} in-order datagrams of 30 flows from {@code sequence}; returns the next sequence. */
    private static long inOrder(StageUnderTest c, long sequence, int n) throws Exception {
        long seq = sequence;
        for (int i = 0; i < n; i++) {
            c.decode(v5(seq, 30));
            seq += 30;
        }
        return seq;
    }

    private static byte[] v5(long sequence, int records) {
        NetflowV5Builder b = new NetflowV5Builder().flowSequence(sequence);
        for (int i = 0; i < records; i++) {
            b.addRecord(NetflowV5Builder.record().srcPort(i));
        }
        return b.build();
    }

    private static Map<?, ?> exporterStatus(StageUnderTest c) {
        List<?> exporters = (List<?>) c.stage().status().get("exporters");
        assertThat(exporters).hasSize(1);
        return (Map<?, ?>) exporters.get(0);
    }

    private static Map<?, ?> exporterStatus(StageUnderTest c, String address) {
        return ((List<?>) c.stage().status().get("exporters")).stream().map(e -> (Map<?, ?>) e)
                .filter(e -> e.get("exporter").toString().contains(address)).findFirst().orElseThrow();
    }
}
