package io.caravan.netflow;

import static io.caravan.netflow.ie.InformationElements.OCTET_DELTA_COUNT;
import static io.caravan.traffic.datagram.IpfixBuilder.field;
import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.metrics.DecoderMetrics;
import io.caravan.netflow.session.InMemoryTemplateStore;
import io.caravan.traffic.datagram.IpfixBuilder;
import io.caravan.traffic.datagram.NetflowV9Builder;
import io.caravan.traffic.datagram.SyntheticFlow;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The template memory budget under attack: oversized templates, and floods of large ones from spoofed sources. */
class TemplateBudgetTest {
    private static final InetSocketAddress STEADY = new InetSocketAddress("192.0.2.10", 2055);
    private static final SyntheticFlow FLOW = SyntheticFlow.of(new byte[] {10, 0, 0, 1}, new byte[] {10, 0, 0, 2},
            1, 2, 6, 1, 100, 0, 0);

    /** An IPFIX template of {@code n} 4-byte fields (enterprise elements, as a flood would make them). */
    private static IpfixBuilder.Field[] fields(int n) {
        IpfixBuilder.Field[] f = new IpfixBuilder.Field[n];
        for (int i = 0; i < n; i++) {
            f[i] = field(1000 + i, 4, 9);
        }
        return f;
    }

    private static double stateBytes(StageUnderTest c) {
        return c.gauge(DecoderMetrics.STATE_BYTES, "protocol", "netflow_v9")
                + c.gauge(DecoderMetrics.STATE_BYTES, "protocol", "ipfix");
    }

    @Test
    void templatesWithThousandsOfFieldsAreRefusedAsTooLarge() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        int[] v9 = new int[2 * 3000];
        for (int i = 0; i < 3000; i++) {
            v9[2 * i] = 1000 + i;
            v9[2 * i + 1] = 1;
        }
        c.decode(new NetflowV9Builder().template(300, v9).build());
        c.decode(new IpfixBuilder().template(300, fields(2000)).build());
        c.decode(new IpfixBuilder().template(301, fields(512)).build()); // at the limit: kept

        assertThat(c.count(DecoderMetrics.ERRORS, "protocol", "netflow_v9", "exporter", "192.0.2.1",
                "reason", "TEMPLATE_TOO_LARGE")).isEqualTo(1);
        assertThat(c.count(DecoderMetrics.ERRORS, "protocol", "ipfix", "exporter", "192.0.2.1",
                "reason", "TEMPLATE_TOO_LARGE")).isEqualTo(1);
        assertThat(c.stage().status()).containsEntry("templates", 1).containsEntry("maxTemplateFields", 512);
        assertThat(c.gauge(DecoderMetrics.STATE_BYTES, "protocol", "netflow_v9")).isZero();
        assertThat(c.gauge(DecoderMetrics.STATE_BYTES, "protocol", "ipfix")).isPositive();
    }

    @Test
    void aFloodOfLargeTemplatesFromSpoofedExportersStaysInBudgetWhileASteadyExporterKeepsDecoding() throws Exception {
        long budget = 2L << 20;
        StageUnderTest c = StageUnderTest.create(Map.of("maxTemplateBytes", "2MiB",
                "maxTemplateBytesPerExporter", "256KiB"));
        c.decode(new NetflowV9Builder().sourceId(1).standardTemplateIpv4(256).build(), STEADY);
        long steadyRecords = 0;
        long sequence = 1;

        // 50 spoofed sources, 20 templates each of 500 fields (about 24 KiB each): 1000 templates, 24 MiB wanted.
        for (int round = 0; round < 20; round++) {
            for (int source = 0; source < 50; source++) {
                InetSocketAddress spoofed = new InetSocketAddress("10.66." + source + ".1", 4739);
                c.decode(new IpfixBuilder().template(256 + round, fields(500)).build(), spoofed);
                assertThat(stateBytes(c)).isLessThanOrEqualTo(budget);
            }
            steadyRecords += c.decode(new NetflowV9Builder().sourceId(1).sequence(sequence++)
                    .addFlows(256, List.of(FLOW, FLOW)).build(), STEADY).size();
            c.advance(100);
        }

        assertThat(steadyRecords).as("every record of the steady exporter").isEqualTo(40);
        assertThat(stateBytes(c)).isLessThanOrEqualTo(budget).isGreaterThan(budget / 2);
        long refused = 0;
        for (int source = 0; source < 50; source++) {
            refused += c.context().counter(DecoderMetrics.ERRORS, Map.of("protocol", "ipfix", "exporter",
                    "10.66." + source + ".1", "reason", "TEMPLATE_LIMIT")).orElse(0L);
        }
        assertThat(refused).as("templates refused at the total budget").isPositive();
        assertThat(c.stage().degraded()).get().asString().contains("templates at their memory budget");
        assertThat(c.stage().status()).containsEntry("maxTemplateBytes", budget);
    }

    @Test
    void idleSpoofedTemplatesMakeRoomForANewExporterAndDegradedClears() throws Exception {
        StageUnderTest c = StageUnderTest.create(Map.of("maxTemplateBytes", "1MiB",
                "maxTemplateBytesPerExporter", "128KiB"));
        for (int source = 0; source < 20; source++) {
            for (int t = 0; t < 6; t++) {
                c.decode(new IpfixBuilder().template(256 + t, fields(500)).build(),
                        new InetSocketAddress("10.66." + source + ".1", 4739));
            }
        }
        InetSocketAddress late = new InetSocketAddress("192.0.2.20", 4739);
        IpfixBuilder.Field[] large = fields(500);
        large[0] = field(OCTET_DELTA_COUNT, 4);
        IpfixBuilder lateTemplate = new IpfixBuilder().template(300, large);
        assertThat(c.decode(lateTemplate.data(300, lateTemplate.record(300).set(OCTET_DELTA_COUNT, 5).bytes())
                .build(), late).records()).as("refused while every flooder is active").isEmpty();
        assertThat(c.stage().degraded()).isPresent();

        c.advance(InMemoryTemplateStore.IDLE_MS);   // the flood stopped: its sources are idle now
        IpfixBuilder again = new IpfixBuilder().sequence(1).template(300, large);
        assertThat(c.decode(again.data(300, again.record(300).set(OCTET_DELTA_COUNT, 6).bytes()).build(), late)
                .records()).extracting(r -> r.bytes()).containsExactly(6L);
        assertThat(c.count(DecoderMetrics.STATE_EVICTIONS, "protocol", "ipfix", "kind", "template")).isPositive();
        assertThat(c.stage().status().get("templatesEvicted")).isEqualTo(
                c.count(DecoderMetrics.STATE_EVICTIONS, "protocol", "ipfix", "kind", "template"));
        assertThat(c.stage().degraded()).as("it just evicted").isPresent();

        c.advance(DecodeNetflowStage.PRESSURE_MS);
        assertThat(c.stage().degraded()).isEmpty();
    }

    @Test
    void aFullPendingBudgetDropsFurtherHeldDataAsMissingTemplate() throws Exception {
        StageUnderTest c = StageUnderTest.create(Map.of("maxPendingBytes", "1000"));
        List<SyntheticFlow> flows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            flows.add(FLOW);
        }
        for (int i = 0; i < 3; i++) {
            c.decode(new NetflowV9Builder().sequence(i).addFlows(256, flows).build());
        }
        assertThat(c.stage().status()).containsEntry("maxPendingBytes", 1000L);
        assertThat((Long) c.stage().status().get("pendingBytes")).isLessThanOrEqualTo(1000L).isPositive();
        assertThat(c.count(DecoderMetrics.ERRORS, "protocol", "netflow_v9", "exporter", "192.0.2.1",
                "reason", "MISSING_TEMPLATE")).isEqualTo(2);
    }

    @Test
    void sequenceStreamsPerExporterAreCapped() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        for (int domain = 0; domain < 40; domain++) {
            c.decode(new NetflowV9Builder().sourceId(domain).sequence(1).build());
        }
        assertThat(NetflowV9DecodeTest.status(c).get("sequenceStreams")).isEqualTo(SequenceStreams.MAX_PER_EXPORTER);
        assertThat(c.stage().status()).containsEntry("sequenceStreams", SequenceStreams.MAX_PER_EXPORTER);
    }
}
