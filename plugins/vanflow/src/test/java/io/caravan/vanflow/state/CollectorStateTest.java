package io.caravan.vanflow.state;

import static io.caravan.vanflow.state.Example.AFTER_MS;
import static io.caravan.vanflow.state.Example.EAST;
import static io.caravan.vanflow.state.Example.R1;
import static io.caravan.vanflow.state.Example.R2;
import static io.caravan.vanflow.state.Example.START_MS;
import static io.caravan.vanflow.state.Example.WEST;
import static io.caravan.vanflow.state.Example.rec;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import io.caravan.vanflow.metrics.CollectorMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CollectorStateTest {
    private final SettableClock clock = new SettableClock(START_MS);
    private final RecordingStageContext meters = RecordingStageContext.of("vanflow", clock);
    private CollectorState state = new CollectorState(clock, new CollectorMetrics(meters), Duration.ofMinutes(15), 10_000);

    private void example() {
        Example.topology(state, clock.millis());
        clock.advance(1_000);
        Example.flow(state, clock.millis());
        clock.advance(AFTER_MS - clock.millis());
    }

    private static JsonNode json(Object o) {
        return Golden.tree(o);
    }

    @Test
    void theExampleExchangeGivesTheSkupperViews() {
        example();
        Snapshot s = state.snapshot();
        Map<String, Object> views = new LinkedHashMap<>(s.collections());
        views.remove("eventsources");
        views.remove("collectors");
        Golden.assertMatches("state-example", views);

        JsonNode pair = json(s.get("flowpairs", "fp-x7f2q:120"));
        assertThat(pair.path("forwardFlow").path("identity").asText()).isEqualTo("x7f2q:120");
        assertThat(pair.path("counterFlow").path("identity").asText()).isEqualTo("p2k8d:88");
        assertThat(pair.path("forwardFlow").path("latency").asLong()).isEqualTo(9400);
        assertThat(pair.path("counterFlow").path("latency").asLong()).isEqualTo(1800);
        assertThat(pair.path("duration").asLong()).isEqualTo(2_000_000);
        assertThat(pair.path("flowTrace").asText())
                .isEqualTo("skupper-router-5d8f7-x7f2q@west|skupper-router-7b9c4-p2k8d@east");
        assertThat(pair.path("forwardFlow").path("counterFlow").asText()).isEqualTo("p2k8d:88");
        assertThat(pair.path("processAggregateId").asText()).isEqualTo("proc-frontend-to-proc-backend");
        assertThat(json(s.get("links", "p2k8d:4")).path("sourceSiteId").asText()).isEqualTo(WEST);
        assertThat(json(s.get("links", "x7f2q:3")).path("destinationSiteId").asText()).isEqualTo(EAST);
        JsonNode address = json(s.all("addresses").get(0));
        assertThat(address.path("name").asText()).isEqualTo("backend:8080");
        assertThat(address.path("listenerCount").asInt()).isEqualTo(1);
        assertThat(address.path("connectorCount").asInt()).isEqualTo(1);
        assertThat(json(s.get("processes", "proc-backend")).path("processBinding").asText()).isEqualTo("bound");
        assertThat(json(s.get("processes", "proc-frontend")).path("processBinding").asText()).isEqualTo("unbound");
    }

    @Test
    void theFlowMetricsCarryTheSkupperLabels() {
        example();
        state.snapshot();
        Map<String, String> in = labels("incoming");
        assertThat(meters.counter("flows", in)).contains(1L);
        assertThat(meters.counter("flows", labels("outgoing"))).contains(1L);
        assertThat(meters.counter("octets", in)).contains(143L);
        assertThat(meters.counter("octets", labels("outgoing"))).contains(512L);
        assertThat(meters.histogram("flow_latency_microseconds", in)).contains(List.of(9400.0));
        assertThat(meters.histogram("flow_latency_microseconds", labels("outgoing"))).contains(List.of(1800.0));
        assertThat(meters.gauge("caravan.vanflow.event_sources", Map.of())).contains(3.0);
        assertThat(meters.gauge("caravan.vanflow.records.held", Map.of("type", "FLOW"))).contains(2.0);
        assertThat(meters.counter("caravan.vanflow.records.received", Map.of("type", "FLOW"))).contains(6L);

        // Later octets add only their growth; the flow is not counted twice.
        state.records(R1, List.of(rec(6, "x7f2q:120", 23, 200)), clock.millis());
        state.snapshot();
        assertThat(meters.counter("octets", in)).contains(200L);
        assertThat(meters.counter("flows", in)).contains(1L);
    }

    private static Map<String, String> labels(String direction) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sourceSite", "west@_@" + WEST);
        m.put("destSite", "east@_@" + EAST);
        m.put("address", "backend:8080");
        m.put("protocol", "tcp");
        m.put("direction", direction);
        m.put("sourceProcess", "frontend-6d4f9");
        m.put("destProcess", "backend-7c8b2");
        return m;
    }

    @Test
    void aLiveFlowCountsAsActiveUntilItEnds() {
        Example.topology(state, clock.millis());
        state.records(R1, List.of(rec(6, "x7f2q:130", 2, "x7f2q:5", 3, START_MS * 1000, 14, "10.42.1.9", 17, "1")), clock.millis());
        state.records(R2, List.of(rec(6, "p2k8d:90", 2, "p2k8d:7", 3, START_MS * 1000, 5, "x7f2q:130")), clock.millis());
        state.snapshot();
        assertThat(meters.gauge("active_flows", labels("incoming"))).contains(1.0);
        state.records(R1, List.of(rec(6, "x7f2q:130", 4, START_MS * 1000 + 5)), clock.millis());
        state.snapshot();
        assertThat(meters.gauge("active_flows", labels("incoming"))).contains(0.0);
    }

    @Test
    void deltasMergeIntoTheRecordAndAPartialFirstSightIsAPlaceholder() {
        state.records(R1, List.of(rec(4, "x7f2q:9", 19, "db:5432")), clock.millis());
        assertThat(json(state.snapshot().get("listeners", "x7f2q:9")).path("startTime").asLong()).isZero();
        state.records(R1, List.of(rec(4, "x7f2q:9", 2, R1, 3, 1_000_000, 16, "tcp", 30, "db")), clock.millis());
        state.records(R1, List.of(rec(4, "x7f2q:9", 40, 7)), clock.millis());
        JsonNode l = json(state.snapshot().get("listeners", "x7f2q:9"));
        assertThat(l.path("address").asText()).isEqualTo("db:5432");
        assertThat(l.path("name").asText()).isEqualTo("db");
        assertThat(l.path("parent").asText()).isEqualTo(R1);
        assertThat(l.path("startTime").asLong()).isEqualTo(1_000_000);
        assertThat(l.path("flowCountL4").asLong()).isEqualTo(7);
        assertThat(l.path("endTime").asLong()).as("END_TIME 0 is live").isZero();
    }

    @Test
    void endedRecordsAgeOutAfterTheTtlAndNotBefore() {
        example();
        assertThat(state.snapshot().all("flows")).hasSize(2);
        // Both flows ended (collector clock) at START_MS + 1 s, when their END_TIME arrived.
        long endedAt = START_MS + 1_000;
        clock.advance(endedAt + Duration.ofMinutes(15).toMillis() - 1 - clock.millis());
        assertThat(state.snapshot().all("flows")).hasSize(2);
        assertThat(state.snapshot().all("flowpairs")).hasSize(1);
        clock.advance(1);
        assertThat(state.snapshot().all("flows")).isEmpty();
        assertThat(state.snapshot().all("flowpairs")).isEmpty();
        assertThat(state.snapshot().all("routers")).hasSize(2);
        assertThat(meters.counter("caravan.vanflow.records.expired", Map.of())).contains(2L);
    }

    @Test
    void theBoundDropsTheOldestEndedRecordsFirstThenRefusesNewOnes() {
        state = new CollectorState(clock, new CollectorMetrics(meters), Duration.ofMinutes(15), 5);
        for (int i = 0; i < 5; i++) {
            state.records(R1, List.of(rec(6, "x7f2q:" + i, 3, 1)), clock.millis());
        }
        state.records(R1, List.of(rec(6, "x7f2q:3", 4, 2)), clock.millis());
        clock.advance(10);
        state.records(R1, List.of(rec(6, "x7f2q:1", 4, 2)), clock.millis());
        state.records(R1, List.of(rec(6, "x7f2q:100", 3, 1), rec(6, "x7f2q:101", 3, 1)), clock.millis());
        assertThat(state.size()).isEqualTo(5);
        List<Object> ids = state.snapshot().all("flows").stream().map(m -> m.get("identity")).toList();
        assertThat(ids).containsExactly("x7f2q:0", "x7f2q:100", "x7f2q:101", "x7f2q:2", "x7f2q:4");
        assertThat(meters.counter("caravan.vanflow.records.dropped", Map.of("reason", "ended"))).contains(2L);

        // Everything held is live: a new identity is refused and counted; updates to held records still apply.
        state.records(R1, List.of(rec(6, "x7f2q:102", 3, 1), rec(6, "x7f2q:0", 23, 99)), clock.millis());
        assertThat(state.size()).isEqualTo(5);
        assertThat(state.snapshot().get("flows", "x7f2q:102")).isNull();
        assertThat(state.snapshot().get("flows", "x7f2q:0").get("octets")).isEqualTo(99L);
        assertThat(meters.counter("caravan.vanflow.records.dropped", Map.of("reason", "refused"))).contains(1L);
    }

    @Test
    void aLostSourceEndsItsRecordsNowThenTheyAgeOut() {
        Example.topology(state, clock.millis());
        clock.advance(60_000);
        state.sourceLost(R2, clock.millis());
        Snapshot s = state.snapshot();
        JsonNode router = json(s.get("routers", R2));
        assertThat(router.path("endTime").asLong()).isEqualTo(clock.millis() * 1000);
        assertThat(router.path("purged").asBoolean()).isTrue();
        assertThat(json(s.get("connectors", "p2k8d:7")).path("purged").asBoolean()).isTrue();
        assertThat(json(s.get("routers", R1)).path("endTime").asLong()).isZero();
        assertThat(json(s.get("eventsources", R2)).path("endTime").asLong()).isEqualTo(clock.millis() * 1000);
        assertThat(meters.counter("caravan.vanflow.purges", Map.of())).contains(1L);
        assertThat(meters.gauge("caravan.vanflow.event_sources", Map.of())).contains(2.0);

        clock.advance(Duration.ofMinutes(15).toMillis() + 1);
        s = state.snapshot();
        assertThat(s.get("routers", R2)).isNull();
        assertThat(s.get("connectors", "p2k8d:7")).isNull();
        assertThat(s.get("eventsources", R2)).isNull();
        assertThat(s.get("routers", R1)).isNotNull();
    }

    @Test
    void unknownCodesAndTypesAreCountedAndSkipped() {
        state.records(R1, List.of(rec(99, "x7f2q:1", 3, 1), rec(4, "x7f2q:2", 3, 1, 200, "future", 19, "a:1")), clock.millis());
        assertThat(state.snapshot().get("listeners", "x7f2q:2")).isNotNull();
        assertThat(state.size()).isEqualTo(1);
        assertThat(meters.counter("caravan.vanflow.unknown", Map.of("kind", "type"))).contains(1L);
        assertThat(meters.counter("caravan.vanflow.unknown", Map.of("kind", "attribute"))).contains(1L);
    }

    @Test
    void unmatchedServersAndClientsBindToTheSyntheticSiteProcessesAfterTheirWait() {
        long t0 = clock.millis();
        state.records(R1, List.of(rec(1, R1, 2, WEST, 3, t0 * 1000, 30, "0/r1"),
                rec(4, "x7f2q:5", 2, R1, 3, t0 * 1000, 16, "tcp", 19, "db:5432"),
                rec(5, "x7f2q:6", 2, R1, 3, t0 * 1000, 16, "tcp", 19, "db:5432", 15, "10.9.9.9", 18, "5432"),
                rec(6, "x7f2q:7", 2, "x7f2q:5", 3, t0 * 1000, 14, "10.1.1.1", 17, "999"),
                rec(6, "x7f2q:8", 2, "x7f2q:6", 3, t0 * 1000, 5, "x7f2q:7")), t0);
        clock.advance(29_000);
        assertThat(state.snapshot().get("connectors", "x7f2q:6")).doesNotContainKey("processId");
        clock.advance(2_000);
        Snapshot s = state.snapshot();
        assertThat(s.get("connectors", "x7f2q:6")).containsEntry("processId", "site-servers-6e0c1a52");
        assertThat(s.get("processes", "site-servers-6e0c1a52")).containsEntry("processBinding", "bound");
        assertThat(s.all("flowpairs")).as("the client is not yet bound").isEmpty();
        clock.advance(90_000);
        s = state.snapshot();
        assertThat(s.get("processes", "site-clients-6e0c1a52-10.1.1.1")).containsEntry("processRole", "remote")
                .containsEntry("groupName", "site-clients");
        assertThat(s.all("flowpairs")).singleElement().satisfies(p -> assertThat(p.get("processAggregateId"))
                .isEqualTo("site-clients-6e0c1a52-10.1.1.1-to-site-servers-6e0c1a52"));
        assertThat(s.all("processgroups")).extracting(m -> m.get("identity")).containsExactly("site-clients", "site-servers");
    }

    @Test
    void aRouter3BiflowBecomesAFlowPairWithBothLatencies() {
        Example.topology(state, clock.millis());
        state.records(R1, List.of(rec(16, "x7f2q:500", 2, "x7f2q:5", 60, "p2k8d:7", 3, START_MS * 1000, 14, "10.42.1.9",
                17, "40000", 23, 10, 58, 20, 24, 5000, 61, 1200, 31, "0/skupper-router-5d8f7-x7f2q")), clock.millis());
        JsonNode pair = json(state.snapshot().get("flowpairs", "fp-x7f2q:500"));
        assertThat(pair.path("forwardFlow").path("latency").asLong()).isEqualTo(5000);
        assertThat(pair.path("counterFlow").path("latency").asLong()).isEqualTo(1200);
        assertThat(pair.path("counterFlow").path("octets").asLong()).isEqualTo(20);
        assertThat(pair.path("counterFlow").path("processName").asText()).isEqualTo("backend-7c8b2");
        assertThat(pair.path("flowTrace").asText()).isEqualTo("skupper-router-5d8f7-x7f2q@west|skupper-router-7b9c4-p2k8d@east");
    }

    @Test
    void readersSeeWholeSnapshotsWhileOneThreadWrites() throws Exception {
        Example.topology(state, clock.millis());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            Thread t = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        Snapshot s = state.snapshot();
                        // A pair is only ever built from flows that are both in the same snapshot.
                        for (Map<String, Object> p : s.all("flowpairs")) {
                            assertThat(s.get("flows", (String) ((Map<?, ?>) p.get("forwardFlow")).get("identity"))).isNotNull();
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            t.start();
            readers.add(t);
        }
        for (int i = 0; i < 2_000; i++) {
            state.records(R1, List.of(rec(6, "x7f2q:c" + i, 2, "x7f2q:5", 3, START_MS * 1000, 14, "10.42.1.9", 17, "1")), clock.millis());
            state.records(R2, List.of(rec(6, "p2k8d:s" + i, 2, "p2k8d:7", 3, START_MS * 1000, 5, "x7f2q:c" + i)), clock.millis());
            if (i % 3 == 0) {
                state.records(R1, List.of(rec(6, "x7f2q:c" + i, 4, START_MS * 1000 + 1)), clock.millis());
            }
        }
        stop.set(true);
        for (Thread t : readers) {
            t.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(state.snapshot().all("flowpairs")).hasSize(2_000);
    }
}
