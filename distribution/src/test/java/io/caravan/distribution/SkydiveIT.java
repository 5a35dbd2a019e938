package io.caravan.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.testkit.CaravanProcess;
import io.caravan.testkit.peers.s3.S3Server;
import io.caravan.traffic.skydive.SkydiveAnalyzer;
import io.caravan.traffic.skydive.SkydiveFlow;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * routes/skydive-secadvisor.yaml from the unzipped distribution, configured only through
 * caravan.skydive.* and caravan.s3.* environment variables, between the analyzer stand-in and a
 * real S3 server (S3Proxy). Flows are seen three times (STARTED, UPDATED, ENDED); after SIGTERM
 * the bucket holds every UPDATED and ENDED record of every non-other flow exactly once, under its
 * tag, field by field as the analyzer sent it, with the exporter's metadata — through an analyzer
 * that is down at start and restarts mid-stream, and an S3 outage of 30 s.
 */
class SkydiveIT {
    private static final String BUCKET = "secadvisor";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "logs/(internal|egress|ingress)/\\d{8}T\\d{6}Z/\\d{8}\\.json\\.gz";

    @TempDir
    Path dir;

    /** A flow the test sends and the tag the subnet rule gives it. */
    private record Sent(SkydiveFlow flow, String tag, List<ObjectNode> snapshots) {
    }

    @Test
    void everySurvivingFlowIsInTheBucketOnceThroughAnalyzerRestartsAndAnS3Outage() throws Exception {
        try (SkydiveAnalyzer analyzer = new SkydiveAnalyzer().user("skydive", "s3cr&t+pw").start();
             S3Server s3 = S3Server.filesystemStore(Files.createDirectories(dir.resolve("s3")));
             CaravanProcess caravan = CaravanProcess.install(CaravanProcess.distributionZip(), dir.resolve("caravan"))) {
            s3.createBucket(BUCKET);
            // Down at start: the port is reserved, nothing answers.
            analyzer.stop();
            configure(caravan, analyzer, s3, "s3cr&t+pw").env("CARAVAN_SKYDIVE_OBJECT_SECONDS", "2s");
            caravan.start();
            assertThat(caravan.get("/admin/routes").body()).contains("skydive-secadvisor");

            // Down: the subscription shows as degraded in GET /admin/endpoints, and readiness says DEGRADED.
            await().atMost(Duration.ofSeconds(20)).until(() -> caravan.get("/admin/endpoints").body()
                    .contains("retrying: not subscribed to analyzer " + analyzer.address()));
            assertThat(caravan.get("/health/ready").json().get("status").asText()).isEqualTo("DEGRADED");

            analyzer.start();
            await("connected after the analyzer came up").atMost(Duration.ofSeconds(30))
                    .until(() -> !analyzer.clients().isEmpty());

            List<Sent> sent = new ArrayList<>();
            long now = 1_700_000_000_000L;
            List<Sent> first = flows(0, now);
            sent.addAll(first);
            sendLives(analyzer, first, now);
            await("first batch stored").atMost(Duration.ofSeconds(30))
                    .until(() -> records(s3).size() >= expectedRecords(first));

            // The analyzer restarts mid-stream: the route reconnects and goes on.
            analyzer.stop();
            analyzer.start();
            await("reconnected").atMost(Duration.ofSeconds(30)).until(() -> !analyzer.clients().isEmpty());
            List<Sent> second = flows(1, now + 10_000);
            sent.addAll(second);
            sendLives(analyzer, second, now + 10_000);

            // S3 is away for 30 s: the buffered records wait and are written when it is back.
            await().atMost(Duration.ofSeconds(30)).until(() -> records(s3).size() >= expectedRecords(sent));
            s3.unavailableFor(Duration.ofSeconds(30));
            List<Sent> third = flows(2, now + 20_000);
            sent.addAll(third);
            sendLives(analyzer, third, now + 20_000);
            await("a failed write is seen").atMost(Duration.ofSeconds(20))
                    .until(() -> meter(caravan, "caravan_skydive_store_write_failures_total") > 0);
            assertThat(caravan.get("/admin/endpoints").body()).contains("skydive-store://secadvisor")
                    .doesNotContain(S3Server.SECRET_KEY);
            await("written after the outage").atMost(Duration.ofSeconds(75)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> s3.running() && records(s3).size() >= expectedRecords(sent));

            // Sent just before SIGTERM: what the 2 s flush has not written yet, the stop flush must.
            List<Sent> last = flows(3, now + 30_000);
            sent.addAll(last);
            sendLives(analyzer, last, now + 30_000);
            await().atMost(Duration.ofSeconds(10)).until(() -> meter(caravan, "caravan_skydive_flows_total") >= 3.0 * sent.size());
            assertThat(caravan.terminate(Duration.ofSeconds(60))).isZero();

            assertBucketHolds(s3, sent);
            assertThat(caravan.log()).doesNotContain("s3cr&t+pw").doesNotContain(S3Server.SECRET_KEY)
                    .doesNotContain(" lost");
        }
    }

    @Test
    void theAwsflowlogsAndVpclogsExamplesStartAndWrite() throws Exception {
        try (SkydiveAnalyzer analyzer = new SkydiveAnalyzer().start();
             S3Server s3 = S3Server.transientStore();
             CaravanProcess caravan = CaravanProcess.install(CaravanProcess.distributionZip(), dir.resolve("caravan"))) {
            s3.createBucket(BUCKET);
            for (String example : List.of("skydive-awsflowlogs.yaml", "skydive-vpclogs.yaml")) {
                CaravanProcess.writeAtomically(caravan.routes().resolve(example),
                        Files.readString(caravan.home().resolve("examples/" + example)));
            }
            configure(caravan, analyzer, s3, "").env("CARAVAN_SKYDIVE_USERNAME", "")
                    .env("CARAVAN_SKYDIVE_HOST_ID", "").env("CARAVAN_SKYDIVE_OBJECT_SECONDS", "1s")
                    .env("CARAVAN_SKYDIVE_VPCLOGS_TID1", "tid-one").env("CARAVAN_SKYDIVE_VPCLOGS_TID2", "tid-two")
                    .start();
            for (String id : List.of("skydive-secadvisor", "skydive-awsflowlogs", "skydive-vpclogs")) {
                CaravanProcess.Response r = caravan.get("/admin/routes/" + id);
                assertThat(r.status()).as(id).isEqualTo(200);
                assertThat(r.json().get("status").asText()).as(id).isEqualTo("Started");
            }
            // Three subscriptions, each with its own generated host id.
            await().atMost(Duration.ofSeconds(30)).until(() -> analyzer.clients().size() == 3);

            List<Sent> flows = flows(0, 1_700_000_000_000L);
            sendLives(analyzer, flows, 1_700_000_000_000L);
            await("awsflowlogs rows").atMost(Duration.ofSeconds(30)).until(() -> awsRows(s3).size() >= 6);
            List<String> rows = awsRows(s3);
            assertThat(rows).anyMatch(r -> r.contains(",10.0.1.10,10.0.2.20,40000,443,6,"))
                    .anyMatch(r -> r.contains(",192.168.1.10,8.8.8.8,5353,53,17,"))
                    .noneMatch(r -> r.contains("198.51.100.10"));
            assertThat(errorLines(caravan)).noneMatch(l -> l.contains("skydive"));
        }
    }

    /** The data rows of every awsflowlogs object (the header rows left out). */
    private static List<String> awsRows(S3Server s3) throws Exception {
        List<String> rows = new ArrayList<>();
        for (String key : s3.list(BUCKET)) {
            if (!key.startsWith("logs/awsflowlogs/")) {
                continue;
            }
            assertThat(key).matches("logs/awsflowlogs/(internal|egress|ingress)/\\d{8}T\\d{6}Z/\\d{8}\\.csv\\.gz");
            S3Server.StoredObject o = s3.get(BUCKET, key);
            if (o == null) {
                continue;
            }
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(o.data()))) {
                List<String> lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
                assertThat(lines.get(0)).startsWith("version,account-id,interface-id,srcaddr,dstaddr,srcport,dstport,protocol");
                rows.addAll(lines.subList(1, lines.size()));
            }
        }
        return rows;
    }

    @Test
    void wrongCredentialsAreNamedAndNotRetriedInATightLoop() throws Exception {
        try (SkydiveAnalyzer analyzer = new SkydiveAnalyzer().user("skydive", "right").start();
             S3Server s3 = S3Server.transientStore();
             CaravanProcess caravan = CaravanProcess.install(CaravanProcess.distributionZip(), dir.resolve("caravan"))) {
            s3.createBucket(BUCKET);
            configure(caravan, analyzer, s3, "wrong").start();
            await().atMost(Duration.ofSeconds(30)).until(() -> caravan.log().contains("wrong credentials"));
            int attempts = analyzer.upgrades().size();
            // A 401 waits the longest reconnect delay (60 s): no new attempt within 8 s.
            await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(10))
                    .until(() -> analyzer.upgrades().size() == attempts);
            assertThat(analyzer.upgrades()).allMatch(s -> s == 401);
            assertThat(caravan.isAlive()).isTrue();
            assertThat(caravan.log()).doesNotContain("wrong\"").doesNotContain("password=wrong");
        }
    }

    @Test
    void wrongS3KeysAreLoggedAndRetriedWithBackoffNotInATightLoop() throws Exception {
        try (SkydiveAnalyzer analyzer = new SkydiveAnalyzer().start();
             S3Server s3 = S3Server.transientStore();
             CaravanProcess caravan = CaravanProcess.install(CaravanProcess.distributionZip(), dir.resolve("caravan"))) {
            s3.createBucket(BUCKET);
            configure(caravan, analyzer, s3, "").env("CARAVAN_SKYDIVE_USERNAME", "")
                    .env("CARAVAN_S3_SECRET_KEY", "not-the-secret").env("CARAVAN_SKYDIVE_OBJECT_SECONDS", "1s").start();
            await().atMost(Duration.ofSeconds(30)).until(() -> !analyzer.clients().isEmpty());
            sendLives(analyzer, flows(0, 1_700_000_000_000L), 1_700_000_000_000L);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> meter(caravan, "caravan_skydive_store_write_failures_total") > 0);
            double before = meter(caravan, "caravan_skydive_store_write_failures_total");
            // Backoff 1 s doubling per failure, per tag (three tags): a handful in 8 s, not hundreds.
            await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(10))
                    .until(() -> meter(caravan, "caravan_skydive_store_write_failures_total") - before <= 3 * 4);
            assertThat(caravan.log()).contains("keeping the flows and retrying").containsPattern("403|SignatureDoesNotMatch|InvalidAccessKeyId")
                    .doesNotContain("not-the-secret");
            assertThat(s3.list(BUCKET)).isEmpty();
            assertThat(caravan.get("/health/ready").json().get("status").asText()).isEqualTo("DEGRADED");
        }
    }

    @Test
    void withoutAnAnalyzerTheRouteStaysOffWithoutErrors() throws Exception {
        try (CaravanProcess caravan = CaravanProcess.install(CaravanProcess.distributionZip(), dir.resolve("caravan"))) {
            caravan.start();
            assertThat(errorLines(caravan)).noneMatch(l -> l.contains("skydive"));
            assertThat(caravan.get("/admin/files").body()).contains("skydive-secadvisor.yaml")
                    .contains("\"skydive-secadvisor\" : \"${properties:caravan.skydive.analyzer:} != ''\"");
            assertThat(caravan.get("/health/ready").status()).isEqualTo(200);
        }
    }

    private static CaravanProcess configure(CaravanProcess caravan, SkydiveAnalyzer analyzer, S3Server s3,
                                            String password) {
        return caravan.env("CARAVAN_SKYDIVE_ANALYZER", analyzer.address())
                .env("CARAVAN_SKYDIVE_USERNAME", "skydive").env("CARAVAN_SKYDIVE_PASSWORD", password)
                .env("CARAVAN_SKYDIVE_HOST_ID", "caravan-it")
                .env("CARAVAN_S3_ENDPOINT", s3.endpoint().toString()).env("CARAVAN_S3_BUCKET", BUCKET)
                .env("CARAVAN_S3_ACCESS_KEY", s3.accessKey()).env("CARAVAN_S3_SECRET_KEY", s3.secretKey())
                .env("CARAVAN_S3_CHECKSUMS", "when_required");
    }

    /** Four flows per round: one of each tag, IPv4 TCP and UDP, ending by FIN, RST or timeout. */
    private static List<Sent> flows(int round, long startMs) {
        return List.of(
                new Sent(SkydiveFlow.tcp("10.0.1." + (10 + round), 40000 + round, "10.0.2.20", 443).startMs(startMs),
                        "internal", new ArrayList<>()),
                new Sent(SkydiveFlow.udp("192.168.1." + (10 + round), 5353, "8.8.8.8", 53).startMs(startMs),
                        "egress", new ArrayList<>()),
                new Sent(SkydiveFlow.tcp("203.0.113." + (10 + round), 50000, "172.16.0.5", 22).startMs(startMs),
                        "ingress", new ArrayList<>()),
                new Sent(SkydiveFlow.tcp("198.51.100." + (10 + round), 1234, "8.8.4.4", 80).startMs(startMs),
                        "other", new ArrayList<>()));
    }

    /** STARTED, UPDATED, ENDED of every flow: three store messages, each with every flow. */
    private static void sendLives(SkydiveAnalyzer analyzer, List<Sent> flows, long t) {
        int[] finish = {SkydiveFlow.TCP_FIN, SkydiveFlow.TIMEOUT, SkydiveFlow.TCP_RST, SkydiveFlow.TCP_FIN};
        List<List<ObjectNode>> messages = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < flows.size(); i++) {
            Sent s = flows.get(i);
            ObjectNode started = s.flow().update(t + 1000, 3, 180, 2, 120);
            ObjectNode updated = s.flow().update(t + 2000, 10, 4000, 8, 9000);
            ObjectNode ended = s.flow().end(t + 3000, finish[i]);
            s.snapshots().addAll(List.of(started, updated, ended));
            messages.get(0).add(started);
            messages.get(1).add(updated);
            messages.get(2).add(ended);
        }
        for (List<ObjectNode> m : messages) {
            assertThat(analyzer.publish(m)).isPositive();
        }
    }

    private static int expectedRecords(List<Sent> sent) {
        return (int) sent.stream().filter(s -> !s.tag().equals("other")).count() * 2;
    }

    /** Every flow record (with a UUID) in the bucket, with the tag of its key. */
    private static List<Map.Entry<String, JsonNode>> records(S3Server s3) throws Exception {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        if (!s3.running()) {
            return out;
        }
        for (String key : s3.list(BUCKET)) {
            S3Server.StoredObject o = s3.get(BUCKET, key);
            if (o == null) {
                continue;
            }
            for (JsonNode r : objectData(o)) {
                if (!r.path("UUID").asText("").isEmpty()) {
                    out.add(Map.entry(key.split("/")[1], r));
                }
            }
        }
        return out;
    }

    private static JsonNode objectData(S3Server.StoredObject o) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(o.data()))) {
            return JSON.readTree(in).get("data");
        }
    }

    private static void assertBucketHolds(S3Server s3, List<Sent> sent) throws Exception {
        List<String> keys = s3.list(BUCKET);
        assertThat(keys).isNotEmpty().allMatch(k -> k.matches(KEY), "key layout <prefix>/<tag>/<stream>/<seq>.json.gz");
        for (String key : keys) {
            S3Server.StoredObject o = s3.get(BUCKET, key);
            assertThat(o.contentType()).as(key).isEqualTo("application/json");
            assertThat(o.contentEncoding()).as(key).isEqualTo("gzip");
            Map<String, String> meta = o.userMetadata();
            long firstTs = Long.parseLong(meta.get("first-timestamp"));
            long lastTs = Long.parseLong(meta.get("last-timestamp"));
            assertThat(firstTs).as(key).isPositive().isLessThanOrEqualTo(lastTs);
            assertThat(Integer.parseInt(meta.get("num-records"))).as(key).isEqualTo(objectData(o).size());
        }

        Map<String, Map.Entry<String, JsonNode>> byRecord = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : records(s3)) {
            String id = e.getValue().get("UUID").asText() + "/" + e.getValue().get("UpdateCount").asInt();
            assertThat(byRecord.put(id, e)).as("record %s stored once", id).isNull();
        }
        Map<String, Sent> expected = new LinkedHashMap<>();
        for (Sent s : sent) {
            if (s.tag().equals("other")) {
                assertThat(byRecord.keySet()).noneMatch(id -> id.startsWith(s.flow().uuid()));
                continue;
            }
            for (int seen = 1; seen <= 2; seen++) {
                expected.put(s.flow().uuid() + "/" + seen, s);
                Map.Entry<String, JsonNode> stored = byRecord.get(s.flow().uuid() + "/" + seen);
                assertThat(stored).as("%s seen %d times (%s)", s.flow().uuid(), seen, s.tag()).isNotNull();
                assertThat(stored.getKey()).isEqualTo(s.tag());
                assertSameFlow(stored.getValue(), s.snapshots().get(seen), seen == 2 ? "ENDED" : "UPDATED");
            }
        }
        assertThat(byRecord.keySet()).as("no STARTED record, nothing else").containsExactlyInAnyOrderElementsOf(
                expected.keySet());
    }

    private static void assertSameFlow(JsonNode r, ObjectNode f, String status) {
        assertThat(r.get("Version").asText()).isEqualTo("1.1.0");
        assertThat(r.get("Status").asText()).isEqualTo(status);
        assertThat(r.get("LayersPath").asText()).isEqualTo(f.get("LayersPath").asText());
        assertThat(r.at("/Network/Protocol").asText()).isEqualTo(f.at("/Network/Protocol").asText());
        assertThat(r.at("/Network/A").asText()).isEqualTo(f.at("/Network/A").asText());
        assertThat(r.at("/Network/B").asText()).isEqualTo(f.at("/Network/B").asText());
        assertThat(r.at("/Transport/Protocol").asText()).isEqualTo(f.at("/Transport/Protocol").asText());
        assertThat(r.at("/Transport/A").asText()).isEqualTo(Integer.toString(f.at("/Transport/A").asInt()));
        assertThat(r.at("/Transport/B").asText()).isEqualTo(Integer.toString(f.at("/Transport/B").asInt()));
        for (String m : List.of("ABPackets", "ABBytes", "BAPackets", "BABytes")) {
            assertThat(r.at("/Metric/" + m).asLong()).as(m).isEqualTo(f.at("/Metric/" + m).asLong());
            assertThat(r.at("/LastUpdateMetric/" + m).asLong()).as(m).isEqualTo(f.at("/LastUpdateMetric/" + m).asLong());
        }
        assertThat(r.get("Start").asLong()).isEqualTo(f.get("Start").asLong());
        assertThat(r.get("Last").asLong()).isEqualTo(f.get("Last").asLong());
        if (status.equals("ENDED")) {
            assertThat(r.get("FinishType").asText()).isIn("SYN_FIN", "SYN_RST", "Timeout");
        }
        assertThat(r.get("LogStatus").asText()).isNotEmpty();
    }

    private static List<String> errorLines(CaravanProcess caravan) {
        return caravan.log().lines().filter(l -> l.contains(" ERROR ")).toList();
    }

    /** The sum of a meter's series in the Prometheus scrape. */
    private static double meter(CaravanProcess caravan, String name) throws Exception {
        return caravan.get("/metrics").body().lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
