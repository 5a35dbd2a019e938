package io.caravan.vanflow.source;

import static io.caravan.vanflow.source.VanFlowConstants.METER_BEACONS;
import static io.caravan.vanflow.source.VanFlowConstants.METER_CONNECTS;
import static io.caravan.vanflow.source.VanFlowConstants.METER_FLUSHES;
import static io.caravan.vanflow.source.VanFlowConstants.METER_HEARTBEATS;
import static io.caravan.vanflow.source.VanFlowConstants.METER_MALFORMED;
import static io.caravan.vanflow.source.VanFlowConstants.METER_MALFORMED_RECORDS;
import static io.caravan.vanflow.source.VanFlowConstants.METER_PURGES;
import static io.caravan.vanflow.source.VanFlowConstants.METER_RECORDS;
import static io.caravan.vanflow.source.VanFlowConstants.METER_UNKNOWN_CODES;
import static io.caravan.vanflow.source.VanFlowConstants.METER_UNKNOWN_TYPES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.testkit.peers.vanflow.EventSource;
import io.caravan.testkit.peers.vanflow.RouterListener;
import io.caravan.testkit.peers.vanflow.RouterListener.Attach;
import io.caravan.testkit.peers.vanflow.VanRecords;
import io.caravan.vanflow.event.VanRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.UnsignedInteger;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The collector connected straight to a listener that speaks AMQP 1.0 as a Skupper router does
 * (no broker in between), as Skupper deploys it. Deadlines run on the harness's SettableClock.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DirectListenerTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final long T0 = 1_717_999_000_000_000L;

    private RouterListener router;
    private CollectorHarness collector;
    private final List<EventSource> sources = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        router = RouterListener.start();
        collector = new CollectorHarness().start(router.url(), "flushDelay=5s&silence=60s&reconnectDelay=50ms");
        await().atMost(WAIT).until(() -> router.listening("mc/sfe.all"));
    }

    @AfterEach
    void stop() {
        collector.close();
        sources.forEach(EventSource::close);
        router.close();
    }

    private EventSource router(String id) {
        EventSource s = EventSource.router(id, router);
        sources.add(s);
        return s;
    }

    /** A router's topology: site, router, a link, a listener, a connector. */
    private static void topology(EventSource s, String id) {
        s.put(VanRecords.site("site-" + id, "west", T0));
        s.put(VanRecords.router(id, "site-" + id, "0/skupper-router-" + id, T0));
        s.put(VanRecords.link(prefix(id) + ":3", id, "skupper-router-peer", "outgoing", T0));
        s.put(VanRecords.listener(prefix(id) + ":5", id, "backend:8080", "0.0.0.0", "1024", "backend:8080", T0));
        s.put(VanRecords.connector(prefix(id) + ":7", id, "backend", "10.42.0.17", "8080", "backend:8080", T0));
    }

    private static String prefix(String id) {
        return id.substring(0, id.indexOf(':'));
    }

    @Test
    void beaconAttachesTheRecordAddressesExactlyAsWrittenAndTheFirstHeartbeatFlushes() {
        EventSource s = router("x7f2q:0");
        topology(s, "x7f2q:0");
        assertThat(s.emit()).as("nobody listens yet: the changes are discarded").isZero();
        assertThat(s.discarded()).isEqualTo(5);

        s.beacon();
        await().atMost(WAIT).until(() -> router.listening("mc/sfe.x7f2q:0.flows"));
        assertThat(collector.state.beacons).singleElement().satisfies(b -> {
            assertThat(b.identity()).isEqualTo("x7f2q:0");
            assertThat(b.sourceType()).isEqualTo("ROUTER");
            assertThat(b.address()).isEqualTo("mc/sfe.x7f2q:0");
            assertThat(b.direct()).isEqualTo("sfe.x7f2q:0");
            assertThat(b.version()).isEqualTo(1);
        });
        assertThat(s.flushes()).isZero();

        s.heartbeat();
        await().atMost(WAIT).until(() -> s.flushes() == 1);
        await().atMost(WAIT).until(() -> collector.state.merged.size() == 5);
        assertThat(collector.count(METER_HEARTBEATS)).isEqualTo(1);
        assertThat(collector.count(METER_FLUSHES)).isEqualTo(1);
        assertThat(collector.state.merged.get("x7f2q:5")).containsEntry(19, "backend:8080").containsEntry(3, T0);

        // Exactly the spec's addresses, no topic:// or queue:// prefixes.
        assertThat(router.attaches()).extracting(Attach::role, Attach::address).containsExactly(
                org.assertj.core.groups.Tuple.tuple("receiver", "mc/sfe.all"),
                org.assertj.core.groups.Tuple.tuple("receiver", "mc/sfe.x7f2q:0"),
                org.assertj.core.groups.Tuple.tuple("receiver", "mc/sfe.x7f2q:0.flows"),
                org.assertj.core.groups.Tuple.tuple("sender", "sfe.x7f2q:0"));
        assertThat(collector.state.concurrentCalls).hasValue(0);
    }

    @Test
    void withoutHeartbeatOrRecordTheFlushGoesAfterTheDelay() {
        EventSource s = router("a1b2c:0");
        s.beacon();
        await().atMost(WAIT).until(() -> router.listening("mc/sfe.a1b2c:0"));
        assertThat(s.flushes()).isZero();
        collector.clock.advance(4_900);
        assertThat(collector.count(METER_FLUSHES)).isZero();
        collector.clock.advance(100);
        await().atMost(WAIT).until(() -> s.flushes() == 1);
    }

    @Test
    void aRecordBeforeAnyHeartbeatAlsoFlushesAndOnlyDeltasFollow() {
        EventSource s = router("p2k8d:0");
        s.beacon();
        await().atMost(WAIT).until(() -> router.listening("mc/sfe.p2k8d:0.flows"));
        topology(s, "p2k8d:0");
        s.emit();
        await().atMost(WAIT).until(() -> s.flushes() == 1);
        await().atMost(WAIT).until(() -> collector.state.records.size() >= 10); // the deltas, then the FLUSH's full state
        int before = collector.state.records.size();

        s.put(VanRecords.of(VanRecords.LISTENER, "p2k8d:5").set(40, 3L));
        s.emit();
        await().atMost(WAIT).until(() -> collector.state.records.size() == before + 1);
        VanRecord delta = collector.state.records.get(before);
        assertThat(delta.type()).isEqualTo(4);
        assertThat(delta.attributes()).containsOnlyKeys(0, 1, 40).containsEntry(40, 3L);
    }

    @Test
    void aControllerWithStringKeysGetsItsHeartbeatAddress() {
        EventSource c = EventSource.controller("6e0c1a52-west", router);
        sources.add(c);
        c.beacon();
        await().atMost(WAIT).until(() -> router.listening("mc/sfe.6e0c1a52-west.heartbeats"));
        assertThat(router.listening("mc/sfe.6e0c1a52-west")).isTrue();
        assertThat(router.listening("mc/sfe.6e0c1a52-west.flows")).isFalse();
        assertThat(collector.state.beacons).singleElement().satisfies(b -> {
            assertThat(b.sourceType()).isEqualTo("CONTROLLER");
            assertThat(b.version()).isEqualTo(1);
        });
        c.put(VanRecords.site("6e0c1a52-west", "west", T0).set(52, "1.9.2").set(53, "disabled"));
        c.heartbeat();
        await().atMost(WAIT).until(() -> c.flushes() == 1);
        await().atMost(WAIT).until(() -> collector.state.merged.containsKey("6e0c1a52-west"));
        assertThat(collector.state.merged.get("6e0c1a52-west")).as("1.x SITE version moves to BUILD_VERSION")
                .containsEntry(32, "1.9.2").containsEntry(53, "disabled").doesNotContainKeys(52);
    }

    @Test
    void unknownCodesAndTypesAreCountedAndMalformedBodiesNeverStopTheRoute() {
        EventSource s = router("m4lf0:0");
        s.beacon();
        await().atMost(WAIT).until(() -> router.listening("mc/sfe.m4lf0:0"));
        s.heartbeat();
        await().atMost(WAIT).until(() -> s.flushes() == 1);

        s.sendRaw("mc/sfe.m4lf0:0", "RECORD", new AmqpValue("not a list"));
        s.sendRaw("mc/sfe.m4lf0:0", "RECORD", new Data(new Binary(new byte[] {1, 2, 3})));
        s.sendRaw("mc/sfe.m4lf0:0", "RECORD", new AmqpValue(List.of(
                Map.of(UnsignedInteger.valueOf(1), "no-type:1"),
                "not a map",
                Map.of(UnsignedInteger.ZERO, UnsignedInteger.valueOf(99), UnsignedInteger.ONE, "m4lf0:9"))));
        s.put(VanRecords.of(VanRecords.ROUTER, "m4lf0:0").set(30, "r").set(99, "from the future"));
        s.emit();
        await().atMost(WAIT).untilAsserted(() -> assertThat(collector.state.merged).as("counts %s",
                collector.context.counters()).containsKey("m4lf0:0"));
        assertThat(collector.count(METER_MALFORMED)).isEqualTo(2);
        assertThat(collector.count(METER_MALFORMED_RECORDS)).isEqualTo(2);
        assertThat(collector.count(METER_UNKNOWN_TYPES)).isEqualTo(1);
        assertThat(collector.count(METER_UNKNOWN_CODES)).isEqualTo(1);
        assertThat(collector.state.merged.get("m4lf0:0")).containsEntry(30, "r").containsEntry(99, "from the future");
        assertThat(collector.camel.getRouteController().getRouteStatus("vanflow").isStarted()).isTrue();
    }

    @Test
    void aSilentSourceIsPurgedAndItsLiveFlowsEnd() {
        EventSource s = router("q9z8y:0");
        s.beacon();
        await().atMost(WAIT).until(() -> router.listening("mc/sfe.q9z8y:0.flows"));
        topology(s, "q9z8y:0");
        s.put(VanRecords.flow("q9z8y:120", "q9z8y:5", "10.42.1.9", "53312", T0 + 1_000_000));
        s.emit();
        await().atMost(WAIT).until(() -> collector.state.merged.containsKey("q9z8y:120"));
        collector.clock.advance(59_000);
        assertThat(collector.state.lost).isEmpty();
        collector.clock.advance(1_000);
        await().atMost(WAIT).until(() -> collector.state.lost.contains("q9z8y:0"));
        assertThat(collector.count(METER_PURGES)).isEqualTo(1);
        await().atMost(WAIT).until(() -> !router.listening("mc/sfe.q9z8y:0.flows") && !collector.flows.isEmpty());
        assertThat(collector.flows).singleElement().satisfies(f -> {
            assertThat(f.attribute("vanflow.purged")).isEqualTo(true);
            assertThat(f.timeFlowEndNs()).isEqualTo(collector.clock.millis() * 1_000_000L);
        });
        // Heard again: discovered again.
        s.beacon();
        await().atMost(WAIT).until(() -> router.listening("mc/sfe.q9z8y:0.flows"));
        assertThat(collector.endpoint().getActiveSources()).isEqualTo(1);
        assertThat(collector.context.gauge(VanFlowConstants.METER_SOURCES_ACTIVE, Map.of("endpoint", "test")))
                .hasValue(1.0);
    }

    @Test
    void endedFlowsBecomeFlowRecordsWithAddressesSiteAndVanAddress() {
        EventSource s = router("x7f2q:0");
        s.beacon();
        await().atMost(WAIT).until(() -> router.listening("mc/sfe.x7f2q:0.flows"));
        topology(s, "x7f2q:0");
        s.put(VanRecords.flow("x7f2q:120", "x7f2q:5", "10.42.1.9", "53312", T0 + 1_000_000));
        s.put(VanRecords.flow("x7f2q:121", "x7f2q:7", "10.42.0.5", "41870", T0 + 1_004_000)
                .counterflow("x7f2q:120").trace("0/skupper-router-x7f2q"));
        s.emit();
        s.put(VanRecords.of(VanRecords.FLOW, "x7f2q:120").latency(9_400).octets(143));
        s.emit();
        assertThat(collector.flows).isEmpty();
        s.put(VanRecords.of(VanRecords.FLOW, "x7f2q:120").end(T0 + 3_000_000));
        s.emit();
        await().atMost(WAIT).until(() -> collector.flows.size() == 1);
        FlowRecord f = collector.flows.get(0);
        assertThat(f.type()).isEqualTo(FlowType.VANFLOW);
        assertThat(f.srcAddr()).containsExactly(10, 42, 1, 9);
        assertThat(f.srcPort()).isEqualTo(53312);
        assertThat(f.dstAddr()).containsExactly(0, 0, 0, 0);
        assertThat(f.dstPort()).isEqualTo(1024);
        assertThat(f.bytes()).as("%s %s", f.source(), collector.state.records).isEqualTo(143);
        assertThat(f.proto()).isEqualTo(6);
        assertThat(f.timeFlowStartNs()).isEqualTo((T0 + 1_000_000) * 1000);
        assertThat(f.timeFlowEndNs()).isEqualTo((T0 + 3_000_000) * 1000);
        assertThat(f.attributes()).containsEntry("vanflow.address", "backend:8080")
                .containsEntry("vanflow.side", "listener").containsEntry("vanflow.site", "site-x7f2q:0")
                .containsEntry("vanflow.siteName", "west").containsEntry("vanflow.latencyUs", 9_400L)
                .containsEntry("vanflow.router", "x7f2q:0");
        assertThat(((VanRecord) f.source()).identity()).isEqualTo("x7f2q:120");

        s.put(VanRecords.of(VanRecords.FLOW, "x7f2q:121").end(T0 + 3_002_000));
        s.emit();
        await().atMost(WAIT).until(() -> collector.flows.size() == 2);
        FlowRecord server = collector.flows.get(1);
        assertThat(server.dstAddr()).containsExactly(10, 42, 0, 17);
        assertThat(server.dstPort()).isEqualTo(8080);
        assertThat(server.attributes()).containsEntry("vanflow.side", "connector")
                .containsEntry("vanflow.counterflow", "x7f2q:120");
    }

    @Test
    void aBiflowOfRouter3IsAccepted() {
        EventSource s = router("b3r0t:0");
        s.beacon();
        await().atMost(WAIT).until(() -> router.listening("mc/sfe.b3r0t:0.flows"));
        topology(s, "b3r0t:0");
        s.put(VanRecords.biflow("b3r0t:200", "b3r0t:5", "b3r0t:7", "10.1.1.1", "40000", T0)
                .octets(10).set(58, 20L).latency(500).processLatency(200).end(T0 + 10));
        s.emit();
        await().atMost(WAIT).until(() -> collector.flows.size() == 1);
        FlowRecord f = collector.flows.get(0);
        assertThat(f.dstAddr()).containsExactly(10, 42, 0, 17);
        assertThat(f.attributes()).containsEntry("vanflow.octetsReverse", 20L)
                .containsEntry("vanflow.processLatencyUs", 200L).containsEntry("vanflow.recordType", "BIFLOW_TPORT");
    }

    @Test
    void moreThanFiftyRecordsTravelInSeveralBatchesAndAllArrive() {
        EventSource s = router("big00:0");
        s.beacon();
        await().atMost(WAIT).until(() -> router.listening("mc/sfe.big00:0"));
        s.heartbeat();
        await().atMost(WAIT).until(() -> s.flushes() == 1);
        for (int i = 0; i < 420; i++) {
            s.put(VanRecords.process("big00:" + (1000 + i), "site", "p" + i, "10.0.0." + (i % 250), T0));
        }
        assertThat(s.emit()).isEqualTo(9);
        await().atMost(WAIT).untilAsserted(() -> assertThat(collector.count(METER_RECORDS))
                .as("%s, router dropped %d", collector.context.counters(), router.dropped()).isEqualTo(420));
        assertThat(router.dropped()).isZero();
    }

    @Test
    void theCollectorReconnectsAndFlushesAgainWhenTheRouterDropsIt() {
        EventSource s = router("r3c0n:0");
        s.beacon();
        await().atMost(WAIT).until(() -> router.listening("mc/sfe.r3c0n:0"));
        s.heartbeat();
        await().atMost(WAIT).until(() -> s.flushes() == 1);

        router.disconnectAll();
        await().atMost(WAIT).until(() -> collector.count(METER_CONNECTS) == 2 && router.listening("mc/sfe.all"));
        s.beacon();
        await().atMost(WAIT).until(() -> router.listening("mc/sfe.r3c0n:0"));
        s.heartbeat();
        await().atMost(WAIT).until(() -> s.flushes() == 2);
        assertThat(collector.count(METER_BEACONS)).isEqualTo(2);
    }
}
