package io.caravan.netflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.stage.OptionException;
import io.caravan.traffic.datagram.NetflowV5Builder;
import io.caravan.traffic.datagram.NetflowV9Builder;
import io.caravan.traffic.datagram.SyntheticFlow;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code maxExporters}: exporters beyond the cap are decoded under one shared overflow state. */
class ExporterCapTest {
    private static final byte[] SRC = {10, 0, 0, 1};
    private static final byte[] DST = {(byte) 192, (byte) 168, 1, 2};

    private static byte[] v5(long sequence) {
        return new NetflowV5Builder().flowSequence(sequence).addFlow(SyntheticFlow.of(SRC, DST, 1, 2, 6, 1, 100, 0, 0))
                .build();
    }

    private static InetSocketAddress source(int i) {
        return new InetSocketAddress("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), 2055);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> exporters(StageUnderTest c) {
        return (List<Map<String, Object>>) c.stage().status().get("exporters");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> overflow(StageUnderTest c) {
        return (Map<String, Object>) c.stage().status().get("overflow");
    }

    @Test
    void exportersBeyondTheCapAreDecodedAndCountedAsOverflow() throws Exception {
        StageUnderTest c = StageUnderTest.create(Map.of("maxExporters", "3"));

        for (int i = 1; i <= 5; i++) {
            FlowBatch b = c.decode(v5(0), source(i));
            assertThat(b.records()).as("records of exporter %d", i).hasSize(1);
            assertThat(b.origin().exporter()).isEqualTo(source(i));
        }

        Map<String, Object> status = c.stage().status();
        assertThat(status).containsEntry("exportersTracked", 3).containsEntry("maxExporters", 3)
                .containsEntry("overflowDatagrams", 2L);
        assertThat(exporters(c)).extracting(m -> m.get("exporter")).containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3");
        assertThat(overflow(c)).containsEntry("datagrams", 2L).containsEntry("records", 2L);
        assertThat(c.count(io.caravan.api.metrics.DecoderMetrics.OVERFLOW_DATAGRAMS, "protocol", "netflow_v5")).isEqualTo(2);
        assertThat(c.count("caravan.decoder.records", "protocol", "netflow_v5", "exporter", "other")).isEqualTo(2);

        // A tracked exporter stays tracked at the cap.
        c.decode(v5(1), source(1));
        assertThat(c.stage().status()).containsEntry("overflowDatagrams", 2L);
    }

    @Test
    void theOverflowTracksNoSequenceGaps() throws Exception {
        StageUnderTest c = StageUnderTest.create(Map.of("maxExporters", "0"));

        c.decode(v5(0), source(1));
        c.decode(v5(500), source(2));
        c.decode(v5(10), source(1));

        assertThat(c.context().sum("caravan.decoder.sequence_gaps")).isZero();
        assertThat(c.context().counters().keySet()).noneMatch(k -> k.startsWith("caravan.decoder.sequence_gaps"));
        assertThat(c.stage().status()).containsEntry("exportersTracked", 0).containsEntry("overflowDatagrams", 3L);
    }

    @Test
    void overflowDataBeforeItsTemplateIsDroppedAsMissingTemplateButLaterDataDecodes() throws Exception {
        StageUnderTest c = StageUnderTest.create(Map.of("maxExporters", "0"));
        List<SyntheticFlow> flows = List.of(SyntheticFlow.of(SRC, DST, 1, 2, 6, 1, 100, 0, 0));

        FlowBatch early = c.decode(new NetflowV9Builder().sequence(1).addFlows(256, flows).build());
        FlowBatch withTemplate = c.decode(new NetflowV9Builder().sequence(2).standardTemplateIpv4(256)
                .addFlows(256, flows).build());

        assertThat(early.records()).isEmpty();
        assertThat(withTemplate.records()).hasSize(1);
        assertThat(c.count("caravan.decoder.errors", "protocol", "netflow_v9", "exporter", "other",
                "reason", "MISSING_TEMPLATE")).isEqualTo(1);
        assertThat(overflow(c)).containsEntry("errors", Map.of("MISSING_TEMPLATE", 1L));
    }

    @Test
    void theCapHoldsUnderManyDistinctSources() throws Exception {
        StageUnderTest c = StageUnderTest.create(Map.of("maxExporters", "100"));
        byte[] datagram = v5(0);
        long records = 0;

        for (int i = 0; i < 10_000; i++) {
            records += c.decode(datagram, source(i)).records().size();
            if (i % 500 == 0) {
                assertThat(exporters(c)).hasSizeLessThanOrEqualTo(100);
            }
        }

        assertThat(records).isEqualTo(10_000);
        assertThat(exporters(c)).hasSize(100);
        assertThat(c.stage().status()).containsEntry("exportersTracked", 100).containsEntry("overflowDatagrams", 9_900L);
        assertThat(c.count(io.caravan.api.metrics.DecoderMetrics.OVERFLOW_DATAGRAMS, "protocol", "netflow_v5")).isEqualTo(9_900);
    }

    @Test
    void forgottenIdleExportersMakeRoomForNewOnes() throws Exception {
        StageUnderTest c = StageUnderTest.create(Map.of("maxExporters", "2"));
        c.decode(v5(0), source(1));
        c.decode(v5(0), source(2));
        c.decode(v5(0), source(3));
        assertThat(c.stage().status()).containsEntry("overflowDatagrams", 1L);

        c.advance(3_600_001);
        c.decode(v5(1), source(4)); // housekeeping runs first and forgets 1 and 2
        c.decode(v5(0), source(5));
        c.decode(v5(0), source(6));

        assertThat(exporters(c)).extracting(m -> m.get("exporter")).containsExactly("10.0.0.4", "10.0.0.5");
        assertThat(c.stage().status()).containsEntry("exportersTracked", 2).containsEntry("overflowDatagrams", 2L);
    }

    @Test
    void aNegativeCapIsRefused() {
        assertThatThrownBy(() -> StageUnderTest.create(Map.of("maxExporters", "-1")))
                .isInstanceOf(OptionException.class)
                .hasMessage("stage 'decode-netflow': option 'maxExporters' must be 0 to 1000000; got '-1'");
    }
}
