package io.caravan.sflow.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.DatagramBatch;
import io.caravan.api.stage.Stage;
import io.caravan.sflow.wire.CounterSample;
import io.caravan.sflow.wire.FlowSample;
import io.caravan.sflow.wire.Sample;
import io.caravan.sflow.wire.SflowDatagram;
import io.caravan.sflow.wire.SflowDecoder;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.traffic.datagram.SflowBuilder;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The filter stage on datagrams from the traffic tool's builder, read back with the plugin's decoder. */
class FilterSflowStageTest {
    private static final InetSocketAddress AGENT = new InetSocketAddress("192.0.2.1", 6343);
    private final RecordingStageContext context = RecordingStageContext.of("filter-sflow", Clock.systemUTC());

    /** Three samples: flow on source 3, counters on source 3, expanded flow on source 7. */
    private static byte[] datagram(long sequence, long sampleSequence) {
        return SflowBuilder.datagram().agent("192.0.2.1").subAgentId(1).sequence(sequence).uptimeMs(5000)
                .flowSample(s -> s.sequence(sampleSequence).sourceId(0, 3).samplingRate(512).samplePool(512 * sampleSequence)
                        .input(3).output(9))
                .counterSample(c -> c.sequence(sampleSequence).sourceId(0, 3).genericInterface(i -> { }))
                .expandedFlowSample(s -> s.sequence(sampleSequence + 1000).sourceId(0, 7).samplingRate(1024)
                        .samplePool(1024 * sampleSequence).input(7).output(9))
                .build();
    }

    private Stage<DatagramBatch, DatagramBatch> stage(String keep, String sourceIds) throws Exception {
        return context.create(new FilterSflowStageProvider(), Map.of("keep", keep, "sourceIds", sourceIds));
    }

    private static DatagramBatch batch(byte[]... datagrams) {
        return new DatagramBatch(java.util.Arrays.stream(datagrams).map(d -> new Datagram(d, AGENT, 0)).toList());
    }

    private static SflowDatagram decode(Datagram d) throws Exception {
        return new SflowDecoder().decode(d.payload());
    }

    @Test
    void keepingEverythingForwardsDatagramsUnchanged() throws Exception {
        byte[] d = datagram(10, 100);
        DatagramBatch out = stage("all", "").apply(batch(d));

        assertThat(out.datagrams()).hasSize(1);
        assertThat(out.datagrams().get(0).payload()).isSameAs(d);
    }

    @Test
    void oneSourcesFlowSamplesKeepTheirOwnSequenceNumbersAndSampling() throws Exception {
        Stage<DatagramBatch, DatagramBatch> s = stage("flow", "3");
        DatagramBatch out = s.apply(batch(datagram(10, 100), datagram(11, 101), datagram(12, 102)));

        assertThat(out.datagrams()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            SflowDatagram d = decode(out.datagrams().get(i));
            assertThat(d.header().sequence()).isEqualTo(10 + i);
            assertThat(d.header().sampleCount()).isEqualTo(1);
            assertThat(d.header().subAgentId()).isEqualTo(1);
            assertThat(d.samples()).singleElement().isInstanceOfSatisfying(FlowSample.class, f -> {
                assertThat(f.sourceIdIndex()).isEqualTo(3);
                assertThat(f.samplingRate()).isEqualTo(512);
                assertThat(f.inputValue()).isEqualTo(3);
            });
            assertThat(((FlowSample) d.samples().get(0)).sequence()).isEqualTo(100 + i);
            assertThat(out.datagrams().get(i).sender()).isEqualTo(AGENT);
        }
        assertThat(context.sum("caravan.sflow.relay.datagrams")).isEqualTo(3);
    }

    @Test
    void countersOnlyAndDatagramsLeftEmptyAreNotSent() throws Exception {
        Stage<DatagramBatch, DatagramBatch> s = stage("counter", "");
        DatagramBatch out = s.apply(batch(datagram(10, 100)));
        List<Sample> samples = decode(out.datagrams().get(0)).samples();
        assertThat(samples).singleElement().isInstanceOf(CounterSample.class);
        assertThat(((CounterSample) samples.get(0)).sequence()).isEqualTo(100);

        Stage<DatagramBatch, DatagramBatch> none = stage("flow", "42");
        assertThat(none.apply(batch(datagram(10, 100))).datagrams()).isEmpty();
        assertThat(context.counter("caravan.sflow.relay.datagrams", Map.of("outcome", "no_samples_left"))).hasValue(1L);
    }

    @Test
    void datagramsHeldBackLeaveNoGapButRealLossStillDoes() throws Exception {
        Stage<DatagramBatch, DatagramBatch> s = stage("flow", "3");
        byte[] onlySource7 = SflowBuilder.datagram().agent("192.0.2.1").subAgentId(1).sequence(11).uptimeMs(5000)
                .flowSample(f -> f.sequence(500).sourceId(0, 7).samplingRate(512).samplePool(512).input(7).output(9))
                .build();
        // 10 kept, 11 held back (only source 7), 12 kept, 13 lost before the relay, 14 kept.
        DatagramBatch out = s.apply(batch(datagram(10, 100), onlySource7, datagram(12, 101), datagram(14, 102)));

        // Out: 10, 11 (was 12), 13 (was 14): no gap for the held-back datagram, one for the lost one.
        assertThat(out.datagrams()).extracting(d -> decode(d).header().sequence()).containsExactly(10L, 11L, 13L);
        // The agent restarts: its sequence starts again at 1, and so does the count held back.
        assertThat(s.apply(batch(datagram(1, 1))).datagrams()).extracting(d -> decode(d).header().sequence())
                .containsExactly(1L);
    }

    @Test
    void aMalformedDatagramIsCountedAndNotForwarded() throws Exception {
        byte[] d = datagram(10, 100);
        byte[] cut = java.util.Arrays.copyOf(d, d.length - 20);
        DatagramBatch out = stage("flow", "").apply(batch(cut, new byte[] {0, 0, 0, 4}, d));

        assertThat(out.datagrams()).hasSize(1);
        assertThat(context.counter("caravan.sflow.relay.datagrams", Map.of("outcome", "malformed"))).hasValue(2L);
    }
}
