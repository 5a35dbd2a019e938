package io.caravan.skydive.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.api.net.AddressText;
import io.caravan.skydive.flow.SkydiveFlows;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import io.caravan.traffic.skydive.SkydiveAnalyzer;
import io.caravan.traffic.skydive.SkydiveFlow;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** The component in a real CamelContext against the analyzer stand-in over loopback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SkydiveComponentTest {
    private static final String PASSWORD = "s3cret-Pw";
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String AUTH = "&username=admin&password=RAW(" + PASSWORD + ")";

    private final SkydiveAnalyzer analyzer = new SkydiveAnalyzer().user("admin", PASSWORD).user("guest", "guest-pw")
            .deny("guest");
    private final CamelContext camel = new DefaultCamelContext();
    private final BlockingQueue<FlowBatch> received = new LinkedBlockingQueue<>();
    private final List<String> namespaces = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger componentLog = (Logger) LoggerFactory.getLogger("caravan.test");
    private final RecordingStageContext context = RecordingStageContext.of("skydive",
            new SettableClock(1_700_000_000_000L));
    private final List<WebSocket> others = new ArrayList<>();

    @BeforeEach
    void addTheComponentAsTheRuntimeDoes() {
        camel.addComponent(SkydiveConstants.SCHEME, new SkydiveComponentProvider().create(context));
        log.start();
        componentLog.addAppender(log);
    }

    @AfterEach
    void stopEverything() throws Exception {
        camel.close();
        others.forEach(WebSocket::abort);
        analyzer.close();
        componentLog.detachAppender(log);
        // Credentials never reach a log line, whatever the test did.
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.contains(PASSWORD));
    }

    private SkydiveEndpoint route(String options) throws Exception {
        String uri = "skydive:" + analyzer.address() + "?reconnectDelay=100ms&maxReconnectDelay=1s" + options;
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("sky").process(e -> {
                    namespaces.add(e.getMessage().getHeader(SkydiveConstants.HEADER_NAMESPACE, String.class));
                    received.add(e.getMessage().getBody(FlowBatch.class));
                });
            }
        });
        camel.start();
        return (SkydiveEndpoint) camel.getRoute("sky").getEndpoint();
    }

    private static ObjectNode flow(int i, String captureId) {
        return SkydiveFlow.tcp("10.0.0." + i, 40000 + i, "93.184.216.34", 443).captureId(captureId)
                .update(1_700_000_010_000L, 10, 1000, 8, 9000);
    }

    private FlowBatch next() throws InterruptedException {
        FlowBatch b = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(b).as("a batch within %s", WAIT).isNotNull();
        return b;
    }

    private List<String> warnings() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void jsonEnvelopesWithBasicAuthBecomeOneBatchOfSkydiveRecordsPerMessage() throws Exception {
        analyzer.start();
        SkydiveEndpoint endpoint = route("&username=admin&password=RAW(" + PASSWORD + ")");
        await().atMost(WAIT).until(endpoint::isConnected);

        SkydiveAnalyzer.Client client = analyzer.clients().iterator().next();
        assertThat(client.user()).isEqualTo("admin");
        assertThat(client.protocol()).isEqualTo("json");
        assertThat(client.clientType()).isEqualTo("analyzer");
        assertThat(client.namespaces()).containsExactly("flow");
        assertThat(client.hostId()).startsWith("caravan-").isEqualTo(endpoint.hostId());

        analyzer.publish(List.of(flow(1, "c1"), flow(2, "c2")));
        FlowBatch batch = next();
        assertThat(batch.records()).hasSize(2);
        FlowRecord r = batch.records().get(0);
        assertThat(r.type()).isEqualTo(FlowType.SKYDIVE);
        assertThat(AddressText.format(r.srcAddr())).isEqualTo("10.0.0.1");
        assertThat(r.dstPort()).isEqualTo(443);
        assertThat(r.bytes()).isEqualTo(10_000);
        assertThat(SkydiveFlows.of(r).path("CaptureID").asText()).isEqualTo("c1");
        assertThat(batch.origin().exporter().getPort()).isEqualTo(analyzer.port());
        assertThat(namespaces).containsExactly("flow");
        assertThat(endpoint.getMessages()).isEqualTo(1);
        assertThat(endpoint.getFlows()).isEqualTo(2);
        assertThat(context.sum(SkydiveConstants.METER_FLOWS)).isEqualTo(2);
        assertThat(context.gauge(SkydiveConstants.METER_CONNECTED, java.util.Map.of(SkydiveConstants.TAG_ANALYZER,
                analyzer.address()))).contains(1.0);
        assertThat(endpoint.status()).containsEntry("state", "connected").containsEntry("flows", 2L)
                .containsEntry("namespace", "flow").containsEntry("hostId", endpoint.hostId());
        assertThat(endpoint.status().toString()).doesNotContain(PASSWORD);
        assertThat(context.counters().keySet().toString()).doesNotContain(PASSWORD);
    }

    @Test
    void protobufEnvelopesWithTheLoginCookieOnOneCapture() throws Exception {
        analyzer.start();
        SkydiveEndpoint endpoint = route("&username=admin&password=RAW(" + PASSWORD + ")&authMode=login"
                + "&protocol=protobuf&captureId=c2&hostId=exporter-7&clientType=caravan");
        await().atMost(WAIT).until(endpoint::isConnected);

        SkydiveAnalyzer.Client client = analyzer.clients().iterator().next();
        assertThat(client.protocol()).isEqualTo("protobuf");
        assertThat(client.namespaces()).containsExactly("flow/c2");
        assertThat(client.hostId()).isEqualTo("exporter-7");
        assertThat(client.clientType()).isEqualTo("caravan");

        analyzer.publish(List.of(flow(1, "c1"), flow(2, "c2"), flow(3, "c2")));
        FlowBatch batch = next();
        assertThat(batch.records()).extracting(rec -> AddressText.format(rec.srcAddr()))
                .containsExactly("10.0.0.2", "10.0.0.3");
        assertThat(namespaces).containsExactly("flow/c2");
    }

    @Test
    void wrongCredentialsAreNamedPlainlyAndRetriedAtTheCapNotInATightLoop() throws Exception {
        analyzer.start();
        SkydiveEndpoint endpoint = route("&username=admin&password=RAW(wrong-" + PASSWORD + ")");
        long t0 = System.nanoTime();

        await().atMost(WAIT).until(() -> analyzer.upgrades().size() >= 3);
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(analyzer.upgrades()).containsOnly(401);
        // Three attempts with the cap (1 s) between them, not the 100 ms first delay.
        assertThat(elapsedMs).isGreaterThanOrEqualTo(1_900);
        assertThat(endpoint.isConnected()).isFalse();
        assertThat(endpoint.getLastError()).contains("401 wrong credentials");
        assertThat(endpoint.status()).containsEntry("state", "waiting");
        assertThat(warnings()).anyMatch(m -> m.contains("401 wrong credentials") && m.contains("retrying in 1000 ms"));
        assertThat(endpoint.getReconnects()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aWrongPasswordAtLoginIsNamedToo() throws Exception {
        analyzer.start();
        SkydiveEndpoint endpoint = route("&username=admin&password=RAW(x" + PASSWORD + ")&authMode=login");

        await().atMost(WAIT).until(() -> endpoint.getLastError().contains("POST /login"));
        assertThat(endpoint.getLastError()).contains("401 wrong credentials");
        assertThat(analyzer.upgrades()).isEmpty();
    }

    @Test
    void aDeniedUserIsToldItIsNotAuthorized() throws Exception {
        analyzer.start();
        SkydiveEndpoint endpoint = route("&username=guest&password=guest-pw");

        await().atMost(WAIT).until(() -> endpoint.getLastError().contains("403 not authorized"));
        assertThat(analyzer.upgrades()).containsOnly(403);
    }

    @Test
    void aHostIdAlreadyConnectedIsRetriedUntilTheOtherSubscriberLeaves() throws Exception {
        analyzer.start();
        WebSocket other = HttpClient.newHttpClient().newWebSocketBuilder().header("X-Client-Type", "analyzer")
                .header("X-Host-ID", "shared").header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(("admin:" + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .buildAsync(URI.create("ws://" + analyzer.address() + SkydiveAnalyzer.PATH), new WebSocket.Listener() {
                }).join();
        others.add(other);
        SkydiveEndpoint endpoint = route("&username=admin&password=RAW(" + PASSWORD + ")&hostId=shared");

        await().atMost(WAIT).until(() -> endpoint.getLastError().contains("409 host id already connected"));
        assertThat(endpoint.isConnected()).isFalse();
        other.abort();
        await().atMost(WAIT).until(endpoint::isConnected);
        assertThat(analyzer.upgrades()).startsWith(101, 409).endsWith(101);
    }

    @Test
    void anAnalyzerDownAtStartIsWaitedForAndConnectedToWhenItComesUp() throws Exception {
        analyzer.start();
        analyzer.stop();
        SkydiveEndpoint endpoint = route(AUTH);

        assertThat(camel.getRouteController().getRouteStatus("sky").isStarted()).isTrue();
        await().atMost(WAIT).until(() -> endpoint.getLastError().contains("cannot connect"));
        analyzer.start();
        await().atMost(WAIT).until(endpoint::isConnected);
        analyzer.publish(List.of(flow(1, "c1")));
        assertThat(next().records()).hasSize(1);
        assertThat(endpoint.getReconnects()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void anAnalyzerRestartingMidStreamIsReconnectedToAndTheStreamGoesOn() throws Exception {
        analyzer.start();
        SkydiveEndpoint endpoint = route("&username=admin&password=RAW(" + PASSWORD + ")");
        await().atMost(WAIT).until(endpoint::isConnected);
        analyzer.publish(List.of(flow(1, "c1")));
        next();

        analyzer.stop();
        await().atMost(WAIT).until(() -> !endpoint.isConnected());
        assertThat(context.gauge(SkydiveConstants.METER_CONNECTED, java.util.Map.of(SkydiveConstants.TAG_ANALYZER,
                analyzer.address()))).contains(0.0);
        analyzer.start();
        await().atMost(WAIT).until(() -> endpoint.isConnected() && analyzer.clients().size() == 1);
        analyzer.publish(List.of(flow(2, "c1")));
        assertThat(AddressText.format(next().records().get(0).srcAddr())).isEqualTo("10.0.0.2");
        assertThat(endpoint.getReconnects()).isGreaterThanOrEqualTo(1);
        assertThat(warnings()).anyMatch(m -> m.contains("retrying in"));
    }

    @Test
    void pingsAreAnsweredSoTheConnectionOutlivesTheSevenSecondPongDeadline() throws Exception {
        analyzer.start();
        SkydiveEndpoint endpoint = route("&username=admin&password=RAW(" + PASSWORD + ")");
        await().atMost(WAIT).until(endpoint::isConnected);
        SkydiveAnalyzer.Client client = analyzer.clients().iterator().next();

        // The stand-in pings every 2 s and drops a client 7 s after its last pong, as the analyzer does.
        await().during(Duration.ofSeconds(9)).atMost(Duration.ofSeconds(12))
                .until(() -> endpoint.isConnected() && analyzer.clients().contains(client));
        assertThat(client.pongs()).isGreaterThanOrEqualTo(3);
        assertThat(endpoint.getReconnects()).isZero();
    }

    /** A route whose first message takes longer than the analyzer's pong deadline (7 s). */
    private SkydiveEndpoint slowRoute(String options, java.util.concurrent.CountDownLatch release) throws Exception {
        String uri = "skydive:" + analyzer.address() + "?reconnectDelay=100ms" + AUTH + options;
        java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("sky").process(e -> {
                    if (first.getAndSet(false)) {
                        release.await(30, TimeUnit.SECONDS);
                    }
                    received.add(e.getMessage().getBody(FlowBatch.class));
                });
            }
        });
        camel.start();
        return (SkydiveEndpoint) camel.getRoute("sky").getEndpoint();
    }

    @Test
    void aRouteBusyLongerThanThePongDeadlineKeepsTheConnectionThroughTheQueue() throws Exception {
        analyzer.start();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        SkydiveEndpoint endpoint = slowRoute("", release);
        await().atMost(WAIT).until(endpoint::isConnected);
        SkydiveAnalyzer.Client client = analyzer.clients().iterator().next();

        analyzer.publish(List.of(flow(1, "c1")));
        analyzer.publish(List.of(flow(2, "c1")));
        await().during(Duration.ofSeconds(9)).atMost(Duration.ofSeconds(12))
                .until(() -> analyzer.clients().contains(client) && endpoint.isConnected());
        release.countDown();

        assertThat(next().records().get(0).srcPort()).isEqualTo(40001);
        assertThat(next().records().get(0).srcPort()).isEqualTo(40002);
        assertThat(endpoint.getReconnects()).isZero();
    }

    @Test
    void withoutTheQueueARouteBusyThatLongLosesTheConnectionAndReconnects() throws Exception {
        analyzer.start();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        SkydiveEndpoint endpoint = slowRoute("&queueSize=0", release);
        await().atMost(WAIT).until(endpoint::isConnected);
        SkydiveAnalyzer.Client client = analyzer.clients().iterator().next();

        analyzer.publish(List.of(flow(1, "c1")));
        await().atMost(Duration.ofSeconds(15)).until(() -> !analyzer.clients().contains(client));
        release.countDown();
        await().atMost(WAIT).until(() -> endpoint.getReconnects() >= 1 && endpoint.isConnected());
    }

    @Test
    void badInputIsCountedAndLoggedAndTheRouteLivesOn() throws Exception {
        analyzer.start();
        SkydiveEndpoint endpoint = route(AUTH + "&maxMessageBytes=4KiB");
        await().atMost(WAIT).until(endpoint::isConnected);

        analyzer.sendRawText("this is not json");
        analyzer.sendRawText("{\"Namespace\":\"flow\",\"Type\":\"store\",\"Obj\":{\"not\":\"an array\"}}");
        analyzer.sendRawBinary(new byte[] {(byte) 0xFF, (byte) 0xFF, 0x01});
        analyzer.sendRawText("{\"Namespace\":\"flow\",\"Type\":\"store\",\"Obj\":[{\"UUID\":\"x\"}]}");
        analyzer.send("stats", "stats", new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode());
        analyzer.sendRawText("{\"Namespace\":\"flow\",\"Type\":\"store\",\"Obj\":[\"" + "x".repeat(10_000) + "\"]}");
        analyzer.publish(List.of(flow(1, "c1")));

        assertThat(next().records()).hasSize(1);
        assertThat(endpoint.getEnvelopeErrors()).isEqualTo(2 + 1);
        assertThat(endpoint.getFlowErrors()).isEqualTo(1);
        assertThat(endpoint.getOversize()).isEqualTo(1);
        assertThat(endpoint.getMessages()).isEqualTo(6);
        assertThat(endpoint.getIgnored()).isZero(); // the client did not subscribe to stats
        assertThat(context.counter(SkydiveConstants.METER_DECODE_ERRORS, java.util.Map.of(SkydiveConstants.TAG_ANALYZER,
                analyzer.address(), SkydiveConstants.TAG_REASON, SkydiveConstants.REASON_ENVELOPE))).contains(3L);
        assertThat(warnings()).anyMatch(m -> m.contains("not JSON")).anyMatch(m -> m.contains("no numeric Start"))
                .anyMatch(m -> m.contains("maxMessageBytes"));
        assertThat(endpoint.isConnected()).isTrue();
        assertThat(endpoint.getReconnects()).isZero();
    }

    @Test
    void messagesOtherThanStoreAreCountedAndNotPassedOn() throws Exception {
        analyzer.start();
        SkydiveEndpoint endpoint = route(AUTH);
        await().atMost(WAIT).until(endpoint::isConnected);

        analyzer.sendRawText("{\"Namespace\":\"flow\",\"Type\":\"stats\",\"Obj\":{\"FlowCount\":3}}");
        analyzer.publish(List.of(flow(1, "c1")));

        assertThat(next().records()).hasSize(1);
        assertThat(endpoint.getIgnored()).isEqualTo(1);
        assertThat(received).isEmpty();
    }

    @Test
    void aFailingRouteIsCountedAndTheSubscriptionGoesOn() throws Exception {
        analyzer.start();
        String uri = "skydive:" + analyzer.address() + "?reconnectDelay=100ms" + AUTH;
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("sky").process(e -> {
                    FlowBatch b = e.getMessage().getBody(FlowBatch.class);
                    if (b.records().get(0).srcPort() == 40001) {
                        throw new IllegalStateException("boom");
                    }
                    received.add(b);
                });
            }
        });
        camel.start();
        SkydiveEndpoint endpoint = (SkydiveEndpoint) camel.getRoute("sky").getEndpoint();
        await().atMost(WAIT).until(endpoint::isConnected);

        analyzer.publish(List.of(flow(1, "c1")));
        analyzer.publish(List.of(flow(2, "c1")));

        assertThat(next().records().get(0).srcPort()).isEqualTo(40002);
        assertThat(endpoint.getProcessErrors()).isEqualTo(1);
        assertThat(endpoint.isConnected()).isTrue();
    }

    @Test
    void theGeneratedHostIdStaysTheSameAcrossReconnects() throws Exception {
        analyzer.start();
        SkydiveEndpoint endpoint = route(AUTH);
        await().atMost(WAIT).until(endpoint::isConnected);
        String first = analyzer.clients().iterator().next().hostId();

        analyzer.stop();
        analyzer.start();
        await().atMost(WAIT).until(() -> analyzer.clients().size() == 1);
        assertThat(analyzer.clients().iterator().next().hostId()).isEqualTo(first);
    }

    @Test
    void badEndpointsFailBeforeTheRouteStartsNamingTheOption() {
        assertThatThrownBy(() -> camel.getEndpoint("skydive:127.0.0.1:8082?protocl=json"))
                .hasStackTraceContaining("protocl");
        assertThatThrownBy(() -> camel.getEndpoint("skydive:127.0.0.1:8082?protocol=xml"))
                .hasStackTraceContaining("protocol");
        assertThatThrownBy(() -> camel.getEndpoint("skydive:127.0.0.1")).hasStackTraceContaining("host:port");
        assertThatThrownBy(() -> camel.getEndpoint("skydive:127.0.0.1:8082?reconnectDelay=5s&maxReconnectDelay=1s"))
                .hasStackTraceContaining("maxReconnectDelay");
        assertThatThrownBy(() -> camel.getEndpoint("skydive:127.0.0.1:8082").createProducer())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void wssWithTheAnalyzersOwnCertificateInATrustStore(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String keytool = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        keytool(dir, keytool, "-genkeypair", "-alias", "analyzer", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", "server.p12",
                "-storetype", "PKCS12", "-storepass", "changeit");
        keytool(dir, keytool, "-exportcert", "-alias", "analyzer", "-keystore", "server.p12", "-storepass", "changeit",
                "-rfc", "-file", "analyzer.pem");
        keytool(dir, keytool, "-importcert", "-noprompt", "-alias", "analyzer", "-file", "analyzer.pem", "-keystore",
                "trust.p12", "-storetype", "PKCS12", "-storepass", "trust-pw");
        analyzer.tls(dir.resolve("server.p12"), "changeit").start();

        SkydiveEndpoint endpoint = route(AUTH + "&tls=true&authMode=login&trustStore=" + dir.resolve("trust.p12")
                + "&trustStorePassword=RAW(trust-pw)");
        await().atMost(WAIT).until(endpoint::isConnected);
        analyzer.publish(List.of(flow(1, "c1")));
        assertThat(next().records()).hasSize(1);
        assertThat(endpoint.status()).containsEntry("tls", true);
    }

    @Test
    void wssWithoutTrustingTheCertificateIsRefusedAndSaysSo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String keytool = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        keytool(dir, keytool, "-genkeypair", "-alias", "analyzer", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", "server.p12",
                "-storetype", "PKCS12", "-storepass", "changeit");
        analyzer.tls(dir.resolve("server.p12"), "changeit").start();

        SkydiveEndpoint endpoint = route(AUTH + "&tls=true");
        await().atMost(WAIT).until(() -> endpoint.getLastError().contains("TLS handshake failed"));
        assertThat(endpoint.isConnected()).isFalse();
    }

    private static void keytool(java.nio.file.Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("keytool: %s", out).isZero();
    }

    @Test
    void stoppingTheRouteClosesTheConnection() throws Exception {
        analyzer.start();
        SkydiveEndpoint endpoint = route(AUTH);
        await().atMost(WAIT).until(endpoint::isConnected);

        camel.getRouteController().stopRoute("sky");
        await().atMost(WAIT).until(() -> analyzer.clients().isEmpty());
        assertThat(endpoint.status()).containsEntry("state", "stopped");
        camel.getRouteController().startRoute("sky");
        await().atMost(WAIT).until(endpoint::isConnected);
    }
}
