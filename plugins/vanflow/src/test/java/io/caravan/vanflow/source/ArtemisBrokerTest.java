package io.caravan.vanflow.source;

import static io.caravan.vanflow.source.VanFlowConstants.METER_CONNECTS;
import static io.caravan.vanflow.source.VanFlowConstants.METER_FLUSHES;
import static io.caravan.vanflow.source.VanFlowConstants.METER_MALFORMED;
import static io.caravan.vanflow.source.VanFlowConstants.METER_RECORDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.caravan.testkit.peers.vanflow.ArtemisBroker;
import io.caravan.testkit.peers.vanflow.BrokerFabric;
import io.caravan.testkit.peers.vanflow.EventSource;
import io.caravan.testkit.peers.vanflow.VanRecords;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The collector and two event sources (a router with symbol keys, a controller with string keys)
 * through a real AMQP 1.0 broker: embedded ActiveMQ Artemis with {@code mc/} multicast.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ArtemisBrokerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long T0 = 1_717_999_000_000_000L;

    private ArtemisBroker broker;
    private BrokerFabric fabric;
    private CollectorHarness collector;

    @BeforeEach
    void start() throws Exception {
        broker = ArtemisBroker.start();
        fabric = new BrokerFabric("127.0.0.1", broker.port());
        collector = new CollectorHarness().start(broker.url(), "reconnectDelay=100ms&maxReconnectDelay=500ms");
        await().atMost(WAIT).until(() -> collector.count(METER_CONNECTS) == 1);
    }

    @AfterEach
    void stop() throws Exception {
        collector.close();
        fabric.close();
        broker.close();
    }

    @Test
    void routerAndControllerAreDiscoveredFlushedAndTheirRecordsDecoded() {
        EventSource router = EventSource.router("x7f2q:0", fabric);
        EventSource controller = EventSource.controller("6e0c1a52-west", fabric);
        router.put(VanRecords.router("x7f2q:0", "6e0c1a52-west", "0/skupper-router-x7f2q", T0));
        router.put(VanRecords.listener("x7f2q:5", "x7f2q:0", "backend:8080", "0.0.0.0", "1024", "backend:8080", T0));
        controller.put(VanRecords.site("6e0c1a52-west", "west", T0));
        controller.put(VanRecords.process("6e0c1a52-west-p1", "6e0c1a52-west", "backend-1", "10.42.0.17", T0));

        // Beacons until the collector has subscribed (the broker drops multicast nobody listens to).
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            router.beacon();
            controller.beacon();
            return collector.endpoint().getActiveSources() == 2;
        });
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            router.heartbeat();
            controller.heartbeat();
            return router.flushes() == 1 && controller.flushes() == 1;
        });
        await().atMost(WAIT).until(() -> collector.state.merged.keySet().containsAll(java.util.List.of("x7f2q:0",
                "x7f2q:5", "6e0c1a52-west", "6e0c1a52-west-p1")));
        assertThat(collector.state.merged.get("x7f2q:5")).containsEntry(19, "backend:8080");
        assertThat(collector.state.merged.get("6e0c1a52-west-p1")).containsEntry(14, "10.42.0.17");
        assertThat(collector.state.beacons).extracting(b -> b.sourceType()).contains("ROUTER", "CONTROLLER");
        assertThat(collector.count(METER_FLUSHES)).isEqualTo(2);

        router.sendRaw("mc/sfe.x7f2q:0", "RECORD", new AmqpValue(42L));
        router.put(VanRecords.of(VanRecords.LISTENER, "x7f2q:5").set(40, 7L));
        router.emit();
        await().atMost(WAIT).until(() -> collector.state.merged.get("x7f2q:5").get(40) != null);
        assertThat(collector.count(METER_MALFORMED)).isEqualTo(1);
    }

    @Test
    void theCollectorReconnectsWhenTheBrokerRestartsAndFlushesAgain() throws Exception {
        EventSource router = EventSource.router("r3c0n:0", fabric);
        router.put(VanRecords.router("r3c0n:0", "site", "0/r", T0));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            router.beacon();
            router.heartbeat();
            return router.flushes() == 1;
        });
        await().atMost(WAIT).until(() -> collector.count(METER_RECORDS) >= 1);
        long beforeRestart = collector.count(METER_RECORDS);

        broker.restart();
        fabric.reconnect();
        await().atMost(WAIT).until(() -> collector.count(METER_CONNECTS) == 2);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            router.beacon();
            router.heartbeat();
            return router.flushes() == 2;
        });
        // The second FLUSH brings the router's full state again.
        await().atMost(WAIT).until(() -> collector.count(METER_RECORDS) > beforeRestart);
    }
}
