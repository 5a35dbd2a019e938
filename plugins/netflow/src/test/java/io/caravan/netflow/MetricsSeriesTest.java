package io.caravan.netflow;

import static io.caravan.netflow.ie.InformationElements.OCTET_DELTA_COUNT;
import static io.caravan.traffic.datagram.IpfixBuilder.field;
import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.metrics.DecoderMetrics;
import io.caravan.api.sequence.MissingRanges;
import io.caravan.traffic.datagram.IpfixBuilder;
import io.caravan.traffic.datagram.NetflowV5Builder;
import io.caravan.traffic.datagram.NetflowV9Builder;
import io.caravan.traffic.datagram.SyntheticFlow;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * After v5, v9 and IPFIX traffic every shared decoder series exists, by its {@link DecoderMetrics} name, with exactly
 * the expected labels (a missing series fails; nothing passes by reading 0 from a series that is not there).
 */
class MetricsSeriesTest {
    private static final String EXPORTER = "192.0.2.1";
    private static final SyntheticFlow FLOW = SyntheticFlow.of(new byte[] {10, 0, 0, 1}, new byte[] {10, 0, 0, 2},
            1, 2, 6, 1, 100, 0, 0);

    @Test
    void everySharedSeriesExistsWithItsLabelsAfterV5V9AndIpfixTraffic() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        // v5: 4 flows lost (sequence 1-4); v9: 1 packet lost (11); IPFIX: 2 records lost (1-2); one bad datagram.
        c.decode(new NetflowV5Builder().flowSequence(0).addFlow(FLOW).build());
        c.decode(new NetflowV5Builder().flowSequence(5).addFlow(FLOW).build());
        c.decode(new NetflowV9Builder().sequence(10).standardTemplateIpv4(256).build());
        c.decode(new NetflowV9Builder().sequence(12).addFlows(256, java.util.List.of(FLOW)).build());
        IpfixBuilder ipfix = new IpfixBuilder().sequence(0).template(300, field(OCTET_DELTA_COUNT, 4));
        c.decode(ipfix.data(300, ipfix.record(300).set(OCTET_DELTA_COUNT, 1).bytes()).build());
        c.decode(new IpfixBuilder().sequence(3).data(300, IpfixBuilder.record(field(OCTET_DELTA_COUNT, 4))
                .set(OCTET_DELTA_COUNT, 2).bytes()).build());
        c.decode(new byte[] {0});
        c.advance(MissingRanges.MAX_WAIT_MS + Housekeeping.INTERVAL_MS);
        c.decode(new NetflowV5Builder().flowSequence(6).addFlow(FLOW).build()); // housekeeping counts the losses

        for (String p : new String[] {"netflow_v5", "netflow_v9", "ipfix"}) {
            assertThat(c.count(DecoderMetrics.DATAGRAMS, "protocol", p, "exporter", EXPORTER)).as(p).isPositive();
            assertThat(c.count(DecoderMetrics.BYTES, "protocol", p, "exporter", EXPORTER)).as(p).isPositive();
            assertThat(c.count(DecoderMetrics.RECORDS, "protocol", p, "exporter", EXPORTER)).as(p).isPositive();
        }
        assertThat(c.count(DecoderMetrics.SEQUENCE_GAPS, "protocol", "netflow_v5", "exporter", EXPORTER,
                "unit", "records")).isEqualTo(4);
        assertThat(c.count(DecoderMetrics.SEQUENCE_GAPS, "protocol", "netflow_v9", "exporter", EXPORTER,
                "unit", "datagrams")).isEqualTo(1);
        assertThat(c.count(DecoderMetrics.SEQUENCE_GAPS, "protocol", "ipfix", "exporter", EXPORTER,
                "unit", "records")).isEqualTo(2);
        assertThat(c.count(DecoderMetrics.ERRORS, "protocol", "unknown", "exporter", EXPORTER,
                "reason", "TRUNCATED")).isEqualTo(1);
        for (String p : new String[] {"netflow_v5", "netflow_v9", "ipfix", "unknown"}) {
            assertThat(c.count(DecoderMetrics.OVERFLOW_DATAGRAMS, "protocol", p)).as(p).isZero();
        }
        for (String p : new String[] {"netflow_v9", "ipfix"}) {
            assertThat(c.count(DecoderMetrics.STATE_EVICTIONS, "protocol", p, "kind", "template")).as(p).isZero();
            assertThat(c.gauge(DecoderMetrics.STATE_BYTES, "protocol", p)).as(p).isPositive();
        }
        assertThat(c.gauge(DecoderMetrics.TEMPLATES, "exporter", EXPORTER)).isEqualTo(2.0);

        // Nothing else: one series per protocol and exporter, gaps only in each protocol's own unit.
        assertThat(series(c, DecoderMetrics.SEQUENCE_GAPS)).containsExactly(
                "caravan.decoder.sequence_gaps{exporter=192.0.2.1,protocol=ipfix,unit=records}",
                "caravan.decoder.sequence_gaps{exporter=192.0.2.1,protocol=netflow_v5,unit=records}",
                "caravan.decoder.sequence_gaps{exporter=192.0.2.1,protocol=netflow_v9,unit=datagrams}");
        assertThat(series(c, DecoderMetrics.ERRORS)).containsExactly(
                "caravan.decoder.errors{exporter=192.0.2.1,protocol=unknown,reason=TRUNCATED}");
    }

    @Test
    void theRecordsAndGapSeriesExistAtZeroFromTheFirstDecodedDatagram() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        c.decode(new NetflowV9Builder().standardTemplateIpv4(256).build());
        assertThat(c.count(DecoderMetrics.RECORDS, "protocol", "netflow_v9", "exporter", EXPORTER)).isZero();
        assertThat(c.count(DecoderMetrics.SEQUENCE_GAPS, "protocol", "netflow_v9", "exporter", EXPORTER,
                "unit", "datagrams")).isZero();
        assertThat(c.context().counter(DecoderMetrics.SEQUENCE_GAPS,
                Map.of("protocol", "netflow_v9", "exporter", EXPORTER))).as("the unit is part of the series").isEmpty();
    }

    private static TreeSet<String> series(StageUnderTest c, String name) {
        TreeSet<String> out = new TreeSet<>();
        c.context().counters().keySet().stream().filter(k -> k.startsWith(name + "{")).forEach(out::add);
        return out;
    }
}
