package io.caravan.skydive.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The component with the writers that need no S3: files, an endpoint, direct mode, the account file. */
class StoreComponentTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    /** 2023-11-14T22:13:20Z. */
    private final SettableClock clock = new SettableClock(1_700_000_000_000L);
    private final RecordingStageContext context = RecordingStageContext.of("skydive-store", clock);
    private final CamelContext camel = new DefaultCamelContext();
    private final List<Exchange> received = new CopyOnWriteArrayList<>();
    private volatile boolean receiverFails;
    private ProducerTemplate template;

    @BeforeEach
    void addTheComponentAsTheRuntimeDoes() {
        camel.addComponent(StoreConstants.SCHEME, new StoreComponentProvider().create(context));
    }

    @AfterEach
    void closeCamel() throws Exception {
        camel.close();
    }

    private void start(String options) throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:write").routeId("write").startupOrder(1).process(e -> {
                    if (receiverFails) {
                        throw new IllegalStateException("receiver down");
                    }
                    received.add(e.copy());
                });
                from("direct:in").routeId("store").startupOrder(2)
                        .to(StoreConstants.SCHEME + ":vpc?" + options);
            }
        });
        camel.start();
        template = camel.createProducerTemplate();
    }

    @Test
    void csvObjectsGoToFilesWithAHeaderRow() throws Exception {
        start("bucket=b&write=file&directory=" + dir + "&encode=csv&maxFlowsPerObject=2&prefix=");

        template.sendBody("direct:in", Flows.batch("egress", 0, 2));

        Path file = dir.resolve("b/egress/20231114T221320Z/00000000.csv");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file));
        List<String> lines = Files.readAllLines(file, UTF_8);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("UUID,LayersPath,Version,Status,Network,Transport,Metric,Start,Last");
        assertThat(lines.get(1)).startsWith("egress-0,Ethernet/IPv4/TCP,1.1.0,UPDATED,");
    }

    @Test
    void theEndpointWriterSendsTheBytesWithTheAws2S3HeadersAndLearnsOfFailureFromTheException()
            throws Exception {
        start("bucket=b&write=endpoint&writeUri=direct:write&header=vpclogs&headerFields=crn=x&compress=gzip"
                + "&maxFlowsPerObject=2&checkInterval=20ms");
        receiverFails = true;

        template.sendBody("direct:in", Flows.batch("egress", 0, 2));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> context.sum("caravan.skydive.store.write.failures") == 1);
        receiverFails = false;
        clock.advance(1_000);

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
        var in = received.get(0).getIn();
        assertThat(in.getHeader("CamelAwsS3Key")).isEqualTo("logs/egress/20231114T221320Z/00000000.json.gz");
        assertThat(in.getHeader("CamelAwsS3BucketName")).isEqualTo("b");
        assertThat(in.getHeader("CamelAwsS3ContentType")).isEqualTo("application/json");
        assertThat(in.getHeader("CamelAwsS3ContentEncoding")).isEqualTo("gzip");
        assertThat(in.getHeader("CamelAwsS3Metadata", Map.class)).containsEntry("num-records", "2");
        byte[] body = in.getBody(byte[].class);
        assertThat(in.getHeader("CamelAwsS3ContentLength")).isEqualTo((long) body.length);
        JsonNode o = MAPPER.readTree(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body)));
        assertThat(o.get("crn").asText()).isEqualTo("x");
        assertThat(o.get("number_of_flow_logs").asInt()).isEqualTo(2);
    }

    @Test
    void directWritesEachBatchBeforeTheExchangeGoesOnWithIncreasingKeys() throws Exception {
        start("bucket=b&type=direct&write=file&directory=" + dir);

        template.sendBody("direct:in", Flows.batch("egress", 0, 2));
        template.sendBody("direct:in", Flows.batch("egress", 2, 1));

        assertThat(dir.resolve("b/logs/egress/20231114T221320Z/00000000.json")).exists();
        assertThat(MAPPER.readTree(dir.resolve("b/logs/egress/20231114T221320Z/00000001.json").toFile()))
                .hasSize(1);
    }

    @Test
    void aDirectWriteThatFailsFailsTheExchange() throws Exception {
        start("bucket=b&type=direct&write=endpoint&writeUri=direct:write");
        receiverFails = true;

        assertThatThrownBy(() -> template.sendBody("direct:in", Flows.batch("egress", 0, 1)))
                .isInstanceOf(CamelExecutionException.class).rootCause().hasMessage("receiver down");
        assertThat(context.sum("caravan.skydive.store.write.failures")).isEqualTo(1);
    }

    @Test
    void theAccountFileCountsEveryObjectWritten() throws Exception {
        Path account = dir.resolve("account.json");
        start("bucket=b&write=file&directory=" + dir + "/objects&maxFlowsPerObject=1&accountFile=" + account);

        template.sendBody("direct:in", Flows.batch("egress", 0, 3));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> Files.exists(account) && MAPPER.readTree(account.toFile()).get("current-objects").asInt() == 3);
        JsonNode a = MAPPER.readTree(account.toFile());
        long bytes = 0;
        for (int i = 0; i < 3; i++) {
            bytes += Files.size(dir.resolve("objects/b/logs/egress/20231114T221320Z/0000000" + i + ".json"));
        }
        assertThat(a.get("current-bytes").asLong()).isEqualTo(bytes);
        assertThat(a.get("accumulate-bytes").asLong()).isEqualTo(bytes);
        assertThat(context.gauge("caravan.skydive.store.period.objects", Map.of("store", "vpc"))).contains(3.0);
    }

    @Test
    void theBufferedGaugeAndStatusShowWhatIsHeld() throws Exception {
        start("bucket=b&write=stdout");

        template.sendBody("direct:in", Flows.batch("egress", 0, 2));

        assertThat(context.gauge("caravan.skydive.store.buffered", Map.of("store", "vpc"))).contains(2.0);
        StoreEndpoint e = camel.getEndpoints().stream().filter(StoreEndpoint.class::isInstance)
                .map(StoreEndpoint.class::cast).findFirst().orElseThrow();
        assertThat(e.status()).containsEntry("buffered", 2L).containsEntry("writer", "stdout");
    }
}
