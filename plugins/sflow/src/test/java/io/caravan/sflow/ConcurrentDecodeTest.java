package io.caravan.sflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.DatagramBatch;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.metrics.DecoderMetrics;
import io.caravan.api.stage.Stage;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import io.caravan.traffic.datagram.SflowBuilder;
import io.caravan.traffic.packet.PacketBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Several reader threads share one {@code decode-sflow} stage, as the collector's sockets do: each
 * thread's records and its agent's accounting are what that thread alone would give (the samples
 * of a datagram are logged per thread, so no thread's samples may land on another's agent).
 */
class ConcurrentDecodeTest {
    private static final long NOW_MS = 1_700_000_000_000L;
    private static final int THREADS = 4;
    private static final int DATAGRAMS = 300;
    private static final int SAMPLES = 8;

    @Test
    void readerThreadsSharingTheStageEachGetTheirOwnRecordsAndAccounting() throws Exception {
        RecordingStageContext context = RecordingStageContext.of("decode-sflow", new SettableClock(NOW_MS));
        Stage<DatagramBatch, FlowBatch> stage = context.create(new DecodeSflowStageProvider(), Map.of());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<List<FlowRecord>>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                List<DatagramBatch> batches = batches(t);
                Callable<List<FlowRecord>> reader = () -> {
                    start.await();
                    List<FlowRecord> out = new ArrayList<>();
                    for (DatagramBatch b : batches) {
                        out.addAll(stage.apply(b).records());
                    }
                    return out;
                };
                results.add(pool.submit(reader));
            }
            start.countDown();
            for (int t = 0; t < THREADS; t++) {
                List<FlowRecord> records = results.get(t).get();
                assertThat(records).hasSize(DATAGRAMS * SAMPLES);
                for (int i = 0; i < records.size(); i++) {
                    FlowRecord r = records.get(i);
                    assertThat(r.samplerAddress()).isEqualTo(agent(t).getAddress());
                    assertThat(r.sequenceNum()).isEqualTo(i + 1);
                    assertThat(r.srcPort()).isEqualTo(1000 * (t + 1) + i % SAMPLES);
                }
                String exporter = agent(t).getHostAddress();
                assertThat(context.counter("caravan.sflow.samples", Map.of("exporter", exporter, "kind", "flow")))
                        .contains((long) DATAGRAMS * SAMPLES);
                assertThat(context.counter("caravan.sflow.samples", Map.of("exporter", exporter, "kind", "counters")))
                        .contains((long) DATAGRAMS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(context.sum(DecoderMetrics.SEQUENCE_GAPS)).as("sequence gaps").isZero();
        assertThat(context.sum("caravan.sflow.agent_drops")).as("agent drops").isZero();
        assertThat(context.sum(DecoderMetrics.ERRORS)).as("errors").isZero();
    }

    private static InetAddress agent(int thread) throws Exception {
        return InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) (10 + thread)});
    }

    /** Thread {@code t}'s datagrams, from its own agent: flow samples numbered on, a counter sample in each. */
    private static List<DatagramBatch> batches(int t) throws Exception {
        InetSocketAddress sender = new InetSocketAddress(agent(t), 6343);
        List<DatagramBatch> out = new ArrayList<>();
        for (int d = 0; d < DATAGRAMS; d++) {
            SflowBuilder b = SflowBuilder.datagram().agent(agent(t).getHostAddress()).sequence(d + 1)
                    .uptimeMs(60_000 + d);
            for (int s = 0; s < SAMPLES; s++) {
                long sequence = (long) d * SAMPLES + s + 1;
                byte[] frame = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(1000 * (t + 1) + s, 53)
                        .payloadSize(100).build();
                b.flowSample(f -> f.sequence(sequence).sourceId(0, 3).drops(t).rawHeader(frame, 128));
            }
            int counterSequence = d + 1;
            b.counterSample(c -> c.sequence(counterSequence).sourceId(0, 3).genericInterface(i -> i.ifIndex(3)));
            out.add(DatagramBatch.of(new Datagram(b.build(), sender, NOW_MS)));
        }
        return out;
    }
}
