package io.caravan.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testkit.CaravanProcess;
import io.caravan.testkit.peers.vanflow.ArtemisBroker;
import io.caravan.testkit.peers.vanflow.BrokerFabric;
import io.caravan.testkit.peers.vanflow.EventSource;
import io.caravan.testkit.peers.vanflow.RouterListener;
import io.caravan.testkit.peers.vanflow.VanRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.UnsignedInteger;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Skupper VAN-flow collector of the unzipped distribution (routes/vanflow.yaml feeding the
 * plugin's vanflowState bean, routes/vanflow-api.yaml answering from it) against real AMQP 1.0 peers
 * in this JVM: two routers and a site controller (the spec's example, §4) through an Artemis broker,
 * and a router-like listener the collector connects to directly, as Skupper deploys it. REST answers
 * are compared with the plugin's golden files (plugins/vanflow/src/test/resources/golden).
 */
class VanflowIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path GOLDEN = Path.of("..", "plugins", "vanflow", "src", "test", "resources", "golden");
    private static final String WEST = "6e0c1a52-west";
    private static final String EAST = "9b3f7d10-east";
    private static final String R1 = "x7f2q:0";
    private static final String R2 = "p2k8d:0";
    /** The prefix reads use: the example's records are from 2024, outside the default last 15 minutes. */
    private static final String ALL_TIME = "timeRangeStart=0";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void twoRoutersAndAControllerThroughABrokerGiveTheExpectedRestAnswersAndMetrics() throws Exception {
        try (ArtemisBroker broker = ArtemisBroker.start(); BrokerFabric fabric = new BrokerFabric("127.0.0.1", broker.port());
             EventSource west = EventSource.controller(WEST, fabric); EventSource r1 = EventSource.router(R1, fabric);
             EventSource r2 = EventSource.router(R2, fabric)) {
            // The VAN exists before the collector: what the sources emit now reaches nobody (the
            // broker discards multicast messages without subscribers), so only FLUSH can bring it.
            topology(west, r1, r2);
            assertThat(west.emit() + r1.emit() + r2.emit()).isPositive();

            CaravanProcess caravan = CaravanProcess.install(CaravanProcess.distributionZip(), dir.resolve("caravan"))
                    .env("CARAVAN_VANFLOW_URL", broker.url());
            try (caravan) {
                caravan.start();
                // A collector that joins late: discovered by beacons, FLUSH brings the whole state.
                await("three event sources discovered and flushed").atMost(WAIT).pollInterval(Duration.ofMillis(250))
                        .until(() -> {
                            for (EventSource s : List.of(west, r1, r2)) {
                                s.beacon();
                                s.heartbeat();
                            }
                            return west.flushes() > 0 && r1.flushes() > 0 && r2.flushes() > 0;
                        });
                await("topology after FLUSH").atMost(WAIT).untilAsserted(() ->
                        assertThat(get(caravan, "/topology")).isEqualTo(golden("api-topology")));
                assertThat(get(caravan, "/links/?" + ALL_TIME)).isEqualTo(golden("api-links"));
                assertThat(get(caravan, "/addresses/?" + ALL_TIME)).isEqualTo(golden("api-addresses"));
                assertThat(get(caravan, "/eventsources/").path("count").asInt()).isEqualTo(3);
                JsonNode westSite = get(caravan, "/sites/" + WEST).path("results");
                assertThat(westSite.path("name").asText()).isEqualTo("west");
                assertThat(westSite.path("siteVersion").asText()).as("1.x SITE 52").isEqualTo("1.9.2");
                assertThat(westSite.path("policy").asText()).as("1.x SITE 53").isEqualTo("disabled");

                // One TCP connection through the VAN, deltas only, as the routers send it: live first.
                String site = "sourceSite=\"west@_@" + WEST + "\"";
                flowStarts(r1, r2);
                await("live flow pair").atMost(WAIT).untilAsserted(() -> {
                    JsonNode live = get(caravan, "/flowpairs/fp-x7f2q:120").path("results");
                    assertThat(live.path("endTime").asLong()).isZero();
                    assertThat(live.path("counterFlow").path("latency").asLong()).isEqualTo(1800);
                    assertThat(live.path("forwardFlow").path("latency").asLong()).isEqualTo(9400);
                    assertThat(metric(caravan.get("/metrics").body(), "active_flows", site, "direction=\"incoming\""))
                            .isEqualTo(1);
                });
                flowEnds(r1, r2);
                await("flow pair with both latencies").atMost(WAIT).untilAsserted(() ->
                        assertThat(get(caravan, "/flowpairs/?" + ALL_TIME)).isEqualTo(golden("api-flowpairs")));
                JsonNode pair = get(caravan, "/flowpairs/fp-x7f2q:120").path("results");
                assertThat(pair.path("forwardFlow").path("latency").asLong()).isEqualTo(9400);
                assertThat(pair.path("counterFlow").path("latency").asLong()).isEqualTo(1800);
                assertThat(pair.path("flowTrace").asText())
                        .isEqualTo("skupper-router-5d8f7-x7f2q@west|skupper-router-7b9c4-p2k8d@east");
                assertThat(get(caravan, "/processpairs/?" + ALL_TIME)).isEqualTo(golden("api-processpairs"));
                assertThat(get(caravan, "/sitepairs/?" + ALL_TIME)).isEqualTo(golden("api-sitepairs"));
                assertThat(get(caravan, "/vanaddrs")).isEqualTo(golden("api-vanaddrs"));
                assertThat(get(caravan, "/flows?vanaddr=backend:8080&includeDeleted=1"))
                        .isEqualTo(golden("api-flows-by-vanaddr"));

                // The 1.x flow series with their labels, and the FlowRecords the route wrote.
                await("flow metrics").atMost(WAIT).untilAsserted(() -> {
                    String metrics = caravan.get("/metrics").body();
                    assertThat(metric(metrics, "flows_total", site, "direction=\"incoming\"",
                            "destSite=\"east@_@" + EAST + "\"", "address=\"backend:8080\"", "protocol=\"tcp\"",
                            "sourceProcess=\"frontend-6d4f9\"", "destProcess=\"backend-7c8b2\"")).isEqualTo(1);
                    assertThat(metric(metrics, "octets_total", site, "direction=\"incoming\"")).isEqualTo(143);
                    assertThat(metric(metrics, "octets_total", site, "direction=\"outgoing\"")).isEqualTo(512);
                    assertThat(metric(metrics, "active_flows", site)).isZero();
                    assertThat(metrics).contains("active_flows{");
                    assertThat(metric(metrics, "flow_latency_microseconds_bucket", site, "direction=\"incoming\"",
                            "le=\"10000.0\"")).isEqualTo(1);
                    assertThat(metric(metrics, "flow_latency_microseconds_bucket", site, "direction=\"incoming\"",
                            "le=\"5000.0\"")).isZero();
                    assertThat(metric(metrics, "flow_latency_microseconds_count", site)).isEqualTo(2);
                    assertThat(metric(metrics, "caravan_vanflow_ingest_flow_records_total")).isEqualTo(2);
                    assertThat(metric(metrics, "caravan_vanflow_ingest_flushes_total")).isGreaterThanOrEqualTo(3);
                });

                // The endpoint's status in the admin API: connected, three sources.
                JsonNode endpoint = vanflowEndpoint(caravan);
                assertThat(endpoint.path("route").asText()).isEqualTo("vanflow");
                assertThat(endpoint.path("status").path("connected").asBoolean()).isTrue();
                assertThat(endpoint.path("status").path("sources").asInt()).isEqualTo(3);
                assertThat(endpoint.path("degraded").isNull()).isTrue();

                // Malformed bodies are counted; the route keeps ingesting.
                r1.sendRaw(r1.address(), "RECORD", new AmqpValue("not a list"));
                r1.sendRaw(r1.address(), "RECORD", new Data(new Binary(new byte[] {(byte) 0xa3, 7, 1})));
                r1.sendRaw(r1.address(), "RECORD", new AmqpValue(List.of("not a map",
                        java.util.Map.of(UnsignedInteger.ZERO, UnsignedInteger.valueOf(99), UnsignedInteger.ONE, "x7f2q:999"))));
                r1.put(VanRecords.listener("x7f2q:6", R1, "db:5432", "0.0.0.0", "5432", "db:5432", 1_717_999_006_000_000L));
                r1.emit();
                await("malformed input counted, ingest alive").atMost(WAIT).untilAsserted(() -> {
                    String metrics = caravan.get("/metrics").body();
                    assertThat(metric(metrics, "caravan_vanflow_ingest_malformed_messages_total")).isEqualTo(2);
                    assertThat(metric(metrics, "caravan_vanflow_ingest_malformed_records_total")).isEqualTo(1);
                    assertThat(metric(metrics, "caravan_vanflow_ingest_unknown_types_total")).isEqualTo(1);
                    assertThat(get(caravan, "/listeners/x7f2q:6").path("count").asInt()).isEqualTo(1);
                });
                assertThat(caravan.get("/health/ready").json().path("status").asText()).isEqualTo("UP");
                assertThat(caravan.log()).doesNotContain("no VanFlowListener bean");
                assertThat(caravan.terminate(Duration.ofSeconds(60))).isZero();
                // The two ended flows as FlowRecords, written by routes/vanflow.yaml's steps.
                StringBuilder written = new StringBuilder();
                try (var files = java.nio.file.Files.walk(caravan.data().resolve("flows/vanflow"))) {
                    for (Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                        written.append(new String(java.nio.file.Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1));
                    }
                }
                assertThat(written).contains("x7f2q:120").contains("p2k8d:88").contains("backend:8080");
            }
        }
    }

    @Test
    void aRouterStraightToTheCollectorFloodsPastTheBoundThenDisappearsAndAgesOut() throws Exception {
        int max = 200;
        int flows = 500;
        ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor();
        AtomicBoolean alive = new AtomicBoolean(true);
        try (RouterListener router = RouterListener.start(); EventSource r1 = EventSource.router(R1, router)) {
            CaravanProcess caravan = CaravanProcess.install(CaravanProcess.distributionZip(), dir.resolve("caravan"))
                    .env("CARAVAN_VANFLOW_URL", router.url())
                    .env("CARAVAN_VANFLOW_SOURCE_SILENCE", "2s")
                    .env("CARAVAN_VANFLOW_RECORD_TTL", "4s")
                    .env("CARAVAN_VANFLOW_MAX_RECORDS", Integer.toString(max));
            try (caravan) {
                caravan.start();
                await("collector attached").atMost(WAIT).until(() -> router.listening("mc/sfe.all"));
                r1.put(rec(VanRecords.ROUTER, R1, 2, WEST, 3, 1_717_999_000_000_000L, 12, "west", 13, "interior",
                        30, "0/skupper-router-5d8f7-x7f2q"));
                r1.put(VanRecords.listener("x7f2q:5", R1, "backend:8080", "0.0.0.0", "1024", "backend:8080",
                        1_717_999_004_000_000L));
                beat.scheduleWithFixedDelay(() -> {
                    if (alive.get()) {
                        r1.beacon();
                        r1.heartbeat();
                    }
                }, 0, 300, TimeUnit.MILLISECONDS);
                await("flushed").atMost(WAIT).until(() -> r1.flushes() > 0);
                await("router known").atMost(WAIT).until(() -> get(caravan, "/routers/").path("count").asInt() == 1);
                assertThat(vanflowEndpoint(caravan).path("status").path("sources").asInt()).isEqualTo(1);

                // A flood of live flows past caravan.vanflow.max.records: held records stop at the
                // bound, the rest are refused and counted; the topology stays whole.
                long t = 1_718_000_000_000_000L;
                for (int i = 0; i < flows; i++) {
                    r1.put(VanRecords.flow("x7f2q:" + (1000 + i), "x7f2q:5", "10.42.1." + (i % 250), "4" + i, t + i));
                }
                assertThat(r1.emit()).isEqualTo(flows / EventSource.BATCH);
                await("flood bounded").atMost(WAIT).untilAsserted(() -> {
                    String metrics = caravan.get("/metrics").body();
                    assertThat(metric(metrics, "caravan_vanflow_records_dropped_total", "reason=\"refused\""))
                            .isEqualTo(flows - (max - 2));
                    assertThat(metric(metrics, "caravan_vanflow_records_held")).isEqualTo(max);
                    assertThat(metric(metrics, "caravan_vanflow_ingest_records_total")).isEqualTo(flows + 2);
                });
                assertThat(get(caravan, "/flows/?" + ALL_TIME + "&limit=1").path("totalCount").asInt()).isEqualTo(max - 2);
                assertThat(get(caravan, "/listeners/x7f2q:5").path("count").asInt()).isEqualTo(1);

                // At the bound, ended records make room first: 50 held flows end, 50 new ones arrive
                // in the same message and take their places.
                for (int i = 0; i < 50; i++) {
                    r1.put(VanRecords.of(VanRecords.FLOW, "x7f2q:" + (1000 + i)).end(t + 1_000_000));
                }
                for (int i = 0; i < 50; i++) {
                    r1.put(VanRecords.flow("x7f2q:" + (5000 + i), "x7f2q:5", "10.42.2.1", "5" + i, t + 2_000_000));
                }
                r1.emit();
                await("ended records dropped first").atMost(WAIT).untilAsserted(() -> {
                    String metrics = caravan.get("/metrics").body();
                    assertThat(metric(metrics, "caravan_vanflow_records_dropped_total", "reason=\"ended\"")).isEqualTo(50);
                    assertThat(metric(metrics, "caravan_vanflow_records_dropped_total", "reason=\"refused\""))
                            .isEqualTo(flows - (max - 2));
                    assertThat(metric(metrics, "caravan_vanflow_records_held")).isEqualTo(max);
                });
                assertThat(get(caravan, "/flows/x7f2q:5049").path("count").asInt()).isEqualTo(1);
                assertThat(get(caravan, "/flows/x7f2q:1000").path("results").isNull()).isTrue();

                // The router goes silent: purged after caravan.vanflow.source.silence, its records
                // ended (purged), then aged out after caravan.vanflow.record.ttl.
                alive.set(false);
                List<String> seen = new ArrayList<>();
                await("purged").atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    JsonNode held = get(caravan, "/routers/" + R1).path("results");
                    if (held.path("purged").asBoolean()) {
                        seen.add("purged");
                    }
                    assertThat(seen).as("router %s", held).isNotEmpty();
                });
                JsonNode ended = get(caravan, "/routers/" + R1 + "?" + ALL_TIME).path("results");
                assertThat(ended.path("endTime").asLong()).isPositive();
                assertThat(get(caravan, "/flows/?" + ALL_TIME + "&state=active").path("timeRangeCount").asInt()).isZero();
                assertThat(vanflowEndpoint(caravan).path("status").path("sources").asInt()).isZero();
                await("aged out").atMost(WAIT).untilAsserted(() -> {
                    assertThat(get(caravan, "/routers/?" + ALL_TIME + "&state=all").path("totalCount").asInt()).isZero();
                    assertThat(get(caravan, "/flows/?" + ALL_TIME + "&state=all").path("totalCount").asInt()).isZero();
                    assertThat(get(caravan, "/eventsources/").path("count").asInt()).isZero();
                    String metrics = caravan.get("/metrics").body();
                    assertThat(metric(metrics, "caravan_vanflow_records_expired_total")).isEqualTo(max);
                    assertThat(metric(metrics, "caravan_vanflow_purges_total")).isEqualTo(1);
                });
                // The router itself goes away: the endpoint says so and readiness is DEGRADED (still 200).
                router.close();
                await("degraded").atMost(WAIT).untilAsserted(() -> {
                    JsonNode e = vanflowEndpoint(caravan);
                    assertThat(e.path("degraded").asText()).contains("not connected to " + router.url());
                    assertThat(e.path("status").path("connected").asBoolean()).isFalse();
                    assertThat(e.path("status").path("lastError").asText()).isNotEmpty();
                    assertThat(caravan.get("/health/ready").json().path("status").asText()).isEqualTo("DEGRADED");
                });
                assertThat(caravan.isAlive()).isTrue();
                assertThat(caravan.terminate(Duration.ofSeconds(60))).isZero();
            }
        } finally {
            beat.shutdownNow();
        }
    }

    /** The spec's example topology (vanflow.md §4): the west controller reports both sites and workloads. */
    private static void topology(EventSource west, EventSource r1, EventSource r2) {
        west.put(rec(VanRecords.SITE, WEST, 3, 1_717_998_000_000_000L, 4, 0, 30, "west", 12, "west", 11, "kubernetes",
                52, "1.9.2", 53, "disabled"));
        west.put(rec(VanRecords.SITE, EAST, 3, 1_717_998_100_000_000L, 4, 0, 30, "east", 12, "east", 11, "kubernetes",
                52, "1.9.2", 53, "disabled"));
        west.put(rec(VanRecords.PROCESS, "proc-frontend", 2, WEST, 3, 1_717_998_500_000_000L, 4, 0, 30, "frontend-6d4f9",
                20, "quay.io/demo/frontend", 22, "node-w1", 14, "10.42.1.9", 46, "frontend", 13, "internal"));
        west.put(rec(VanRecords.PROCESS, "proc-backend", 2, EAST, 3, 1_717_998_600_000_000L, 4, 0, 30, "backend-7c8b2",
                20, "quay.io/demo/backend", 22, "node-e1", 14, "10.42.0.17", 46, "backend", 13, "internal"));
        r1.put(rec(VanRecords.ROUTER, R1, 2, WEST, 3, 1_717_999_000_000_000L, 12, "west", 13, "interior", 20, "skupper-router",
                21, "2.7.3", 22, "skupper-router-5d8f7-x7f2q", 30, "0/skupper-router-5d8f7-x7f2q", 32, "2.7.3"));
        r1.put(rec(VanRecords.LINK, "x7f2q:3", 2, R1, 3, 1_717_999_003_000_000L, 30, "skupper-router-7b9c4-p2k8d",
                13, "interior", 34, "outgoing", 33, 1));
        r1.put(rec(VanRecords.LISTENER, "x7f2q:5", 2, R1, 3, 1_717_999_004_000_000L, 16, "tcp", 30, "backend:8080",
                15, "0.0.0.0", 18, "1024", 19, "backend:8080"));
        r2.put(rec(VanRecords.ROUTER, R2, 2, EAST, 3, 1_717_999_001_000_000L, 12, "east", 13, "interior", 20, "skupper-router",
                21, "2.7.3", 22, "skupper-router-7b9c4-p2k8d", 30, "0/skupper-router-7b9c4-p2k8d", 32, "2.7.3"));
        r2.put(rec(VanRecords.LINK, "p2k8d:4", 2, R2, 3, 1_717_999_003_500_000L, 30, "skupper-router-5d8f7-x7f2q",
                13, "interior", 34, "incoming", 33, 1));
        r2.put(rec(VanRecords.CONNECTOR, "p2k8d:7", 2, R2, 3, 1_717_999_005_000_000L, 16, "tcp", 30, "backend",
                15, "10.42.0.17", 18, "8080", 19, "backend:8080"));
    }

    /** §4's connection, first half: both flows, then partial updates with the latencies, as the routers send them. */
    private static void flowStarts(EventSource r1, EventSource r2) {
        r1.put(rec(VanRecords.FLOW, "x7f2q:120", 2, "x7f2q:5", 3, 1_718_000_001_000_000L, 14, "10.42.1.9", 17, "53312",
                23, 0, 39, 65536));
        r1.emit();
        r2.put(rec(VanRecords.FLOW, "p2k8d:88", 2, "p2k8d:7", 3, 1_718_000_001_004_000L, 14, "10.42.0.5", 17, "41870",
                23, 0, 39, 65536, 31, "0/skupper-router-5d8f7-x7f2q", 5, "x7f2q:120"));
        r2.emit();
        r2.put(rec(VanRecords.FLOW, "p2k8d:88", 24, 1800, 23, 512));
        r2.emit();
        r1.put(rec(VanRecords.FLOW, "x7f2q:120", 24, 9400, 23, 143, 35, 14));
        r1.emit();
    }

    /** Second half: both ends. */
    private static void flowEnds(EventSource r1, EventSource r2) {
        r1.put(rec(VanRecords.FLOW, "x7f2q:120", 4, 1_718_000_003_000_000L));
        r1.emit();
        r2.put(rec(VanRecords.FLOW, "p2k8d:88", 4, 1_718_000_003_002_000L));
        r2.emit();
    }

    private static VanRecords rec(int type, String id, Object... codeValue) {
        VanRecords r = VanRecords.of(type, id);
        for (int i = 0; i < codeValue.length; i += 2) {
            r.set((Integer) codeValue[i], codeValue[i + 1]);
        }
        return r;
    }

    private static JsonNode get(CaravanProcess caravan, String path) throws Exception {
        CaravanProcess.Response r = caravan.get("/api/v1alpha1" + path);
        assertThat(r.status()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return r.json();
    }

    private static JsonNode golden(String name) throws Exception {
        return JSON.readTree(GOLDEN.resolve(name + ".json").toFile());
    }

    private static JsonNode vanflowEndpoint(CaravanProcess caravan) throws Exception {
        for (JsonNode e : caravan.get("/admin/endpoints").json()) {
            if (e.path("endpoint").asText().startsWith("vanflow:")) {
                return e;
            }
        }
        throw new AssertionError("no vanflow endpoint in /admin/endpoints");
    }

    /** The sum of a Prometheus series over the lines that carry every given label. */
    private static double metric(String metrics, String name, String... labels) {
        double total = 0;
        for (String line : metrics.lines().toList()) {
            if (!(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            boolean all = true;
            for (String l : labels) {
                all &= line.contains(l);
            }
            if (all) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }
}
