package io.caravan.vanflow.state;

import static io.caravan.vanflow.state.Example.R1;
import static io.caravan.vanflow.state.Example.R2;
import static io.caravan.vanflow.state.Example.START_MS;
import static io.caravan.vanflow.state.Example.rec;
import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import io.caravan.vanflow.event.VanRecord;
import io.caravan.vanflow.metrics.CollectorMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A flood of flows far past {@code caravan.vanflow.max.records}: the state stays at the bound, the
 * drops are counted, and the numbers (ingest rate, rebuild time, heap per record) are printed for
 * the README.
 */
class CollectorStateFloodTest {

    @Test
    void aFloodPastTheBoundStaysAtTheBoundAndCountsEveryDrop() {
        SettableClock clock = new SettableClock(START_MS);
        RecordingStageContext meters = RecordingStageContext.of("vanflow", clock);
        int max = 20_000;
        CollectorState state = new CollectorState(clock, new CollectorMetrics(meters), Duration.ofMinutes(15), max);
        Example.topology(state, clock.millis());
        int topology = state.size();

        int pairs = 40_000;
        long t0 = System.nanoTime();
        for (int i = 0; i < pairs; i += 25) {
            List<VanRecord> client = new ArrayList<>();
            List<VanRecord> server = new ArrayList<>();
            for (int j = i; j < i + 25; j++) {
                long start = START_MS * 1000 + j;
                client.add(rec(6, "x7f2q:f" + j, 2, "x7f2q:5", 3, start, 14, "10.42.1.9", 17, "" + j, 23, 100, 24, 900));
                server.add(rec(6, "p2k8d:f" + j, 2, "p2k8d:7", 3, start, 14, "10.42.0.5", 17, "" + j, 23, 50, 24, 300,
                        5, "x7f2q:f" + j, 31, "0/skupper-router-5d8f7-x7f2q"));
            }
            state.records(R1, client, clock.millis());
            state.records(R2, server, clock.millis());
            // Nine connections in ten end: the bound then has ended records to drop.
            List<VanRecord> ends = new ArrayList<>();
            List<VanRecord> serverEnds = new ArrayList<>();
            for (int j = i; j < i + 25; j++) {
                if (j % 10 != 0) {
                    ends.add(rec(6, "x7f2q:f" + j, 4, START_MS * 1000 + j + 10));
                    serverEnds.add(rec(6, "p2k8d:f" + j, 4, START_MS * 1000 + j + 10));
                }
            }
            state.records(R1, ends, clock.millis());
            state.records(R2, serverEnds, clock.millis());
            clock.advance(1);
        }
        long ingestNs = System.nanoTime() - t0;
        assertThat(state.size()).isEqualTo(max);
        long dropped = meters.counter("caravan.vanflow.records.dropped", Map.of("reason", "ended")).orElse(0L);
        long refused = meters.counter("caravan.vanflow.records.refused", Map.of()).orElse(0L)
                + meters.counter("caravan.vanflow.records.dropped", Map.of("reason", "refused")).orElse(0L);
        assertThat(dropped + refused).as("every record past the bound is counted")
                .isEqualTo(2L * pairs + topology - max);
        assertThat(state.snapshot().all("routers")).as("the topology survives the flood").hasSize(2);

        long rebuildNs = Long.MAX_VALUE;
        Snapshot s = null;
        for (int i = 0; i < 3; i++) {
            long t1 = System.nanoTime();
            clock.advance(1_000);
            s = state.rebuildNow();
            rebuildNs = Math.min(rebuildNs, System.nanoTime() - t1);
        }
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heap = rt.totalMemory() - rt.freeMemory();
        System.out.printf("flood: %d records in %d ms (%.0f records/s), dropped %d, refused %d; rebuild of %d records"
                        + " (%d pairs) %d ms; heap after GC %d MB of %d MB (~%d bytes/record incl. snapshot)%n",
                4L * pairs - pairs / 5, ingestNs / 1_000_000, (4.0 * pairs - pairs / 5) / (ingestNs / 1e9), dropped, refused,
                state.size(), s.all("flowpairs").size(), rebuildNs / 1_000_000, heap >> 20, rt.maxMemory() >> 20, heap / state.size());
    }
}
