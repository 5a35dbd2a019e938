package io.caravan.skydive.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * write=s3 with an IBM IAM api key. No IBM COS or IAM can run here, so both are stand-ins on the
 * JDK's HTTP server that speak what the real ones do: IAM's token grant and S3 path-style PUTs,
 * recording what arrives.
 */
class IbmIamTest {
    /** 2023-11-14T22:13:20Z. */
    private final SettableClock clock = new SettableClock(1_700_000_000_000L);
    private final RecordingStageContext context = RecordingStageContext.of("skydive-store", clock);
    private final CamelContext camel = new DefaultCamelContext();
    private final List<String> grants = new CopyOnWriteArrayList<>();
    private final List<String> puts = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private volatile int iamStatus = 200;
    private HttpServer server;

    @BeforeEach
    void startStandIns() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/identity/token", x -> {
            grants.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = iamStatus != 200 ? "{\"errorCode\":\"BXNIM0415E\"}".getBytes()
                    : ("{\"access_token\":\"token-" + tokensIssued.incrementAndGet()
                    + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}").getBytes();
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(iamStatus, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.createContext("/", x -> {
            try (InputStream in = x.getRequestBody()) {
                in.readAllBytes();
            }
            if (x.getRequestMethod().equals("PUT")) {
                puts.add(x.getRequestURI().getPath() + " " + x.getRequestHeaders().getFirst("Authorization"));
            }
            x.getResponseHeaders().add("ETag", "\"0\"");
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        server.start();
        camel.addComponent(StoreConstants.SCHEME, new StoreComponentProvider().create(context));
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
        server.stop(0);
    }

    private ProducerTemplate start() throws Exception {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to(StoreConstants.SCHEME + ":cos?bucket=b&s3Endpoint=" + base
                        + "&apiKey=RAW(my-api-key)&iamEndpoint=" + base + "/identity/token&maxFlowsPerObject=1"
                        + "&checkInterval=20ms&retryInitial=1s");
            }
        });
        camel.start();
        return camel.createProducerTemplate();
    }

    @Test
    void putsCarryAnIamBearerTokenThatIsReusedUntilItNearlyExpires() throws Exception {
        ProducerTemplate template = start();

        template.sendBody("direct:in", Flows.batch("egress", 0, 2));
        await().atMost(Duration.ofSeconds(20)).until(() -> puts.size() == 2);
        clock.advance(Duration.ofMinutes(59).toMillis());
        template.sendBody("direct:in", Flows.batch("egress", 2, 1));
        await().atMost(Duration.ofSeconds(20)).until(() -> puts.size() == 3);

        assertThat(puts).containsExactly(
                "/b/logs/egress/20231114T221320Z/00000000.json Bearer token-1",
                "/b/logs/egress/20231114T221320Z/00000001.json Bearer token-1",
                "/b/logs/egress/20231114T221320Z/00000002.json Bearer token-2");
        assertThat(grants).hasSize(2).allSatisfy(g -> assertThat(g)
                .isEqualTo("grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey&apikey=my-api-key"));
    }

    @Test
    void aRefusedApiKeyLetsTheRouteStartAndIsAFailedWriteKeptForRetryWithoutTheKeyInStatus() throws Exception {
        iamStatus = 400;
        ProducerTemplate template = start();

        template.sendBody("direct:in", Flows.batch("egress", 0, 1));

        await().atMost(Duration.ofSeconds(20)).until(() -> context.sum("caravan.skydive.store.write.failures") == 1);
        StoreEndpoint e = camel.getEndpoints().stream().filter(StoreEndpoint.class::isInstance)
                .map(StoreEndpoint.class::cast).findFirst().orElseThrow();
        assertThat(e.degraded()).hasValueSatisfying(d -> assertThat(d).contains("IBM IAM")
                .contains("answered 400").doesNotContain("my-api-key"));
        assertThat(e.getBuffered()).isEqualTo(1);
        assertThat(puts).isEmpty();

        iamStatus = 200;
        clock.advance(1_000);
        await().atMost(Duration.ofSeconds(20)).until(() -> puts.size() == 1);
    }
}
