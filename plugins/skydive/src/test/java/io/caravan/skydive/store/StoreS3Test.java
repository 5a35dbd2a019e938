package io.caravan.skydive.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import io.caravan.testkit.peers.s3.S3Server;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store component in a real CamelContext writing through Camel's aws2-s3 to a real S3 server
 * (S3Proxy in-process): objects listed, read back, gunzipped and compared field by field; an
 * outage; a clean stop.
 */
class StoreS3Test {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static S3Server s3;

    /** 2023-11-14T22:13:20Z. */
    private final SettableClock clock = new SettableClock(1_700_000_000_000L);
    private final RecordingStageContext context = RecordingStageContext.of("skydive-store", clock);
    private final CamelContext camel = new DefaultCamelContext();
    private ProducerTemplate template;
    private String bucket;
    private static int buckets;

    @BeforeAll
    static void startS3() {
        s3 = S3Server.transientStore();
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    @BeforeEach
    void addTheComponentAsTheRuntimeDoes() {
        camel.addComponent(StoreConstants.SCHEME, new StoreComponentProvider().create(context));
        bucket = "flows" + (++buckets);
        s3.createBucket(bucket);
        s3.start();
    }

    @AfterEach
    void closeCamel() throws Exception {
        camel.close();
    }

    private String s3Options() {
        return "bucket=" + bucket + "&s3Endpoint=" + s3.endpoint() + "&region=" + s3.region() + "&accessKey="
                + s3.accessKey() + "&secretKey=RAW(" + s3.secretKey() + ")&checkInterval=20ms";
    }

    private void start(String options) throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").routeId("store").to(StoreConstants.SCHEME + ":secadvisor?" + options);
            }
        });
        camel.start();
        template = camel.createProducerTemplate();
    }

    private static JsonNode content(S3Server.StoredObject o) throws Exception {
        byte[] data = "gzip".equals(o.contentEncoding())
                ? new GZIPInputStream(new ByteArrayInputStream(o.data())).readAllBytes() : o.data();
        return MAPPER.readTree(data);
    }

    private List<S3Server.StoredObject> objects() {
        List<S3Server.StoredObject> out = new ArrayList<>();
        for (String key : s3.list(bucket)) {
            out.add(s3.get(bucket, key));
        }
        return out;
    }

    private long counter(String name) {
        return context.sum(name);
    }

    @Test
    void objectsArriveInS3GzippedWithTheirKeysMetadataAndEveryFieldAsSent() throws Exception {
        start(s3Options() + "&encode=secadvisor&pretty=true&compress=gzip&maxFlowsPerObject=3");
        FlowBatch batch = Flows.batch("egress", 0, 3);
        List<ObjectNode> sent = new ArrayList<>();
        for (FlowRecord r : batch.records()) {
            // Through text, so numbers compare as the JSON read back types them.
            sent.add((ObjectNode) MAPPER.readTree(r.attribute(StoreConstants.RECORD).toString()));
        }
        batch.records().add(Flows.record("ingress", Flows.secadvisor("ingress-0", 5)));

        template.sendBody("direct:in", batch);

        await().atMost(Duration.ofSeconds(20)).until(() -> s3.list(bucket).size() == 1);
        S3Server.StoredObject o = s3.get(bucket, "logs/egress/20231114T221320Z/00000000.json.gz");
        assertThat(o).isNotNull();
        assertThat(o.contentType()).isEqualTo("application/json");
        assertThat(o.contentEncoding()).isEqualTo("gzip");
        assertThat(o.userMetadata()).containsEntry("first-timestamp", "1700000000000")
                .containsEntry("last-timestamp", "1700000000000").containsEntry("num-records", "3");
        JsonNode data = content(o).get("data");
        assertThat(data).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JsonNode got = data.get(i);
            ObjectNode want = sent.get(i);
            assertThat(got.fieldNames()).toIterable().containsExactlyElementsOf(() -> want.fieldNames());
            want.fieldNames().forEachRemaining(f -> assertThat(got.get(f)).as(f).isEqualTo(want.get(f)));
        }

        clock.advance(60_000);
        await().atMost(Duration.ofSeconds(20)).until(() -> s3.list(bucket).size() == 2);
        S3Server.StoredObject ingress = s3.get(bucket, "logs/ingress/20231114T221420Z/00000000.json.gz");
        assertThat(content(ingress).get("data").get(0))
                .isEqualTo(MAPPER.readTree(Flows.secadvisor("ingress-0", 5).toString()));
        assertThat(ingress.userMetadata()).containsEntry("first-timestamp", "1700000000000")
                .containsEntry("last-timestamp", "1700000060000").containsEntry("num-records", "1");
        // The object is in S3 a moment before the store hears back and counts it.
        await().atMost(Duration.ofSeconds(10)).until(() -> counter("caravan.skydive.store.objects") == 2);
        assertThat(counter("caravan.skydive.store.flows")).isEqualTo(4);
        assertThat(counter("caravan.skydive.store.bytes")).isEqualTo(o.data().length + ingress.data().length);
        assertThat(endpoint().toString()).doesNotContain(s3.secretKey()).doesNotContain(s3.accessKey());
        assertThat(endpoint().status().toString()).doesNotContain(s3.secretKey());
    }

    @Test
    void plainJsonHasNoContentEncodingAndAJsonSuffix() throws Exception {
        start(s3Options() + "&encode=json&maxFlowsPerObject=2");

        template.sendBody("direct:in", Flows.batch("internal", 0, 2));

        await().atMost(Duration.ofSeconds(20)).until(() -> s3.list(bucket).size() == 1);
        S3Server.StoredObject o = s3.get(bucket, "logs/internal/20231114T221320Z/00000000.json");
        assertThat(o.contentEncoding()).isNull();
        assertThat(o.contentType()).isEqualTo("application/json");
        assertThat(content(o)).hasSize(2);
    }

    @Test
    void whileS3IsDownFlowsAreKeptAndRetriedThenWrittenExactlyOnce() throws Exception {
        start(s3Options() + "&encode=secadvisor&compress=gzip&maxFlowsPerObject=1000&retryInitial=1s&retryMax=8s");
        s3.stop();

        template.sendBody("direct:in", Flows.batch("egress", 0, 10));
        clock.advance(60_000);
        await().atMost(Duration.ofSeconds(30)).until(() -> counter("caravan.skydive.store.write.failures") == 1);
        // The clock stands still, so the store must not try again however often its timer runs.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> counter("caravan.skydive.store.write.failures") == 1);
        template.sendBody("direct:in", Flows.batch("egress", 10, 5));
        assertThat(endpoint().getBuffered()).isEqualTo(15);
        assertThat(endpoint().degraded()).hasValueSatisfying(d -> assertThat(d).contains("egress"));
        assertThat(((StoreComponent) camel.getComponent(StoreConstants.SCHEME)).sinkStatus()).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("store", "secadvisor").containsEntry("buffered", 15L)
                        .containsKey("degraded"));

        clock.advance(1_000);
        await().atMost(Duration.ofSeconds(30)).until(() -> counter("caravan.skydive.store.write.failures") == 2);
        s3.start();
        clock.advance(2_000);

        await().atMost(Duration.ofSeconds(30)).until(() -> s3.list(bucket).size() == 1);
        assertThat(s3.list(bucket)).containsExactly("logs/egress/20231114T221420Z/00000000.json.gz");
        List<String> uuids = new ArrayList<>();
        content(s3.get(bucket, s3.list(bucket).get(0))).get("data").forEach(r -> uuids.add(r.get("UUID").asText()));
        List<String> want = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            want.add("egress-" + i);
        }
        assertThat(uuids).containsExactlyElementsOf(want);
        assertThat(counter("caravan.skydive.store.write.retries")).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> endpoint().getBuffered() == 0);
        assertThat(endpoint().degraded()).isEmpty();
    }

    @Test
    void s3DownWhenTheRouteStartsIsAFailedWriteRetriedUntilItIsBack() throws Exception {
        s3.stop();
        start(s3Options() + "&maxFlowsPerObject=1&retryInitial=1s");

        template.sendBody("direct:in", Flows.batch("egress", 0, 1));
        await().atMost(Duration.ofSeconds(30)).until(() -> counter("caravan.skydive.store.write.failures") == 1);
        s3.start();
        clock.advance(1_000);

        await().atMost(Duration.ofSeconds(30)).until(() -> s3.list(bucket).size() == 1);
        assertThat(s3.list(bucket)).containsExactly("logs/egress/20231114T221320Z/00000000.json");
    }

    @Test
    void aCleanStopWritesEverythingStillBuffered() throws Exception {
        start(s3Options() + "&compress=gzip");
        template.sendBody("direct:in", Flows.batch("egress", 0, 4));
        template.sendBody("direct:in", Flows.batch("ingress", 0, 2));
        assertThat(s3.list(bucket)).isEmpty();

        camel.stop();

        assertThat(s3.list(bucket)).containsExactly("logs/egress/20231114T221320Z/00000000.json.gz",
                "logs/ingress/20231114T221320Z/00000000.json.gz");
        assertThat(content(s3.get(bucket, "logs/egress/20231114T221320Z/00000000.json.gz"))).hasSize(4);
    }

    @Test
    void stoppingTheRouteWritesEverythingStillBuffered() throws Exception {
        start(s3Options());
        template.sendBody("direct:in", Flows.batch("egress", 0, 3));

        camel.getRouteController().stopRoute("store");

        assertThat(s3.list(bucket)).hasSize(1);
    }

    @Test
    void recordsWithoutARecordAreCountedNotWrittenAndTheOriginalFlowIsUsedWhenThereIsNoTransform()
            throws Exception {
        start(s3Options() + "&maxFlowsPerObject=2");
        FlowRecord noRecord = new FlowRecord().attribute(StoreConstants.TAG, "egress");
        FlowRecord original = new FlowRecord().attribute(StoreConstants.TAG, "egress")
                .source(Flows.secadvisor("original", 1));
        FlowRecord untagged = new FlowRecord().source(Flows.secadvisor("untagged", 1));

        template.sendBody("direct:in", FlowBatch.of(null, noRecord, original, untagged));
        camel.stop();

        assertThat(counter("caravan.skydive.store.invalid")).isEqualTo(1);
        assertThat(s3.list(bucket)).containsExactly("logs/egress/20231114T221320Z/00000000.json",
                "logs/untagged/20231114T221320Z/00000000.json");
    }

    @Test
    void badOptionsFailTheRouteAtStartNamingTheOption() {
        assertThatThrownBy(() -> start(s3Options() + "&encode=csv&header=vpclogs"))
                .rootCause().hasMessageContaining("option 'encode'").hasMessageContaining("header=none");
    }

    @Test
    void theSdksDefaultChecksumsAreRejectedByS3ProxyWhichIsWhyWhenRequiredIsTheDefault() throws Exception {
        start(s3Options() + "&checksums=when-supported&maxFlowsPerObject=1&stopTimeout=200ms");

        template.sendBody("direct:in", Flows.batch("egress", 0, 1));

        await().atMost(Duration.ofSeconds(20)).until(() -> counter("caravan.skydive.store.write.failures") == 1);
        assertThat(s3.list(bucket)).isEmpty();
    }

    @Test
    void wrongCredentialsAreAFailedWriteThatIsRetriedNotATightLoop() throws Exception {
        start("bucket=" + bucket + "&s3Endpoint=" + s3.endpoint() + "&accessKey=wrong&secretKey=wrong"
                + "&checkInterval=20ms&maxFlowsPerObject=1&stopTimeout=200ms");

        template.sendBody("direct:in", Flows.batch("egress", 0, 1));

        await().atMost(Duration.ofSeconds(20)).until(() -> counter("caravan.skydive.store.write.failures") == 1);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> counter("caravan.skydive.store.write.failures") == 1);
        assertThat(endpoint().degraded()).hasValueSatisfying(d -> assertThat(d).doesNotContain("wrong"));
        assertThat(endpoint().getBuffered()).isEqualTo(1);
    }

    private StoreEndpoint endpoint() {
        return camel.getEndpoints().stream().filter(StoreEndpoint.class::isInstance).map(StoreEndpoint.class::cast)
                .findFirst().orElseThrow();
    }

    static Map<String, Object> options(String... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
