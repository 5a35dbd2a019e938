package io.caravan.testkit.peers.skydive;

import io.caravan.traffic.skydive.SkydiveAnalyzer;
import io.caravan.traffic.skydive.SkydiveFlow;
import io.caravan.traffic.skydive.StructMessages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The stand-in speaks the analyzer's protocol: checked with the JDK's own HTTP and WebSocket clients and a raw socket. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SkydiveAnalyzerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final SkydiveAnalyzer analyzer = new SkydiveAnalyzer().user("admin", "s3cret").user("guest", "guest")
            .deny("guest");
    private final List<WebSocket> open = new ArrayList<>();

    @AfterEach
    void close() {
        open.forEach(WebSocket::abort);
        analyzer.close();
    }

    /** Collects whole messages: text as String, binary as byte[]. */
    static final class Recorder implements WebSocket.Listener {
        final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream bin = new java.io.ByteArrayOutputStream();
        volatile boolean closed;
        private final boolean read;

        Recorder(boolean read) {
            this.read = read;
        }

        @Override
        public void onOpen(WebSocket ws) {
            if (read) {
                ws.request(1);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            bin.writeBytes(b);
            if (last) {
                messages.add(bin.toByteArray());
                bin.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            closed = true;
            return null;
        }
    }

    private WebSocket connect(Map<String, String> headers, Recorder listener) {
        WebSocket.Builder b = http.newWebSocketBuilder();
        headers.forEach(b::header);
        WebSocket ws = b.buildAsync(URI.create("ws://" + analyzer.address() + SkydiveAnalyzer.PATH), listener).join();
        open.add(ws);
        return ws;
    }

    private int refusal(Map<String, String> headers) {
        try {
            connect(headers, new Recorder(true));
            return 101;
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
            return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theUpgradeIsRefusedAsTheAnalyzerRefusesIt() {
        analyzer.start();
        String good = basic("admin", "s3cret");

        assertThat(refusal(Map.of("X-Client-Type", "analyzer"))).isEqualTo(401);
        assertThat(refusal(Map.of("X-Client-Type", "analyzer", "Authorization", basic("admin", "nope")))).isEqualTo(401);
        assertThat(refusal(Map.of("X-Client-Type", "analyzer", "Authorization", basic("guest", "guest")))).isEqualTo(403);
        assertThat(refusal(Map.of("Authorization", good))).isEqualTo(400);
        assertThat(refusal(Map.of("X-Client-Type", "analyzer", "X-Client-Protocol", "xml", "Authorization", good)))
                .isEqualTo(400);
        assertThat(refusal(Map.of("X-Client-Type", "analyzer", "X-Host-ID", "one", "Authorization", good))).isEqualTo(101);
        assertThat(refusal(Map.of("X-Client-Type", "analyzer", "X-Host-ID", "one", "Authorization", good))).isEqualTo(409);
        assertThat(analyzer.upgrades()).containsExactly(401, 401, 403, 400, 400, 101, 409);
        await().until(() -> analyzer.clients().size() == 1);
        SkydiveAnalyzer.Client c = analyzer.clients().iterator().next();
        assertThat(c.hostId()).isEqualTo("one");
        assertThat(c.user()).isEqualTo("admin");
        assertThat(c.namespaces()).containsExactlyInAnyOrder("flow", "stats");
    }

    @Test
    void theSwitchingProtocolsAnswerCarriesTheHostIdAndServiceType() throws Exception {
        analyzer.start();
        try (Socket s = new Socket("127.0.0.1", analyzer.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + SkydiveAnalyzer.PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nX-Client-Type: analyzer\r\nAuthorization: "
                    + basic("admin", "s3cret") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            List<String> head = new ArrayList<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                head.add(line.toLowerCase(java.util.Locale.ROOT));
            }
            assertThat(head.get(0)).startsWith("http/1.1 101");
            assertThat(head).anyMatch(h -> h.startsWith("x-host-id: ")).anyMatch(h -> h.startsWith("x-service-type: "));
        }
    }

    @Test
    void loginGivesATokenAndCookieThatOpenTheWebSocketAndTheTopologyApi() throws Exception {
        analyzer.topology("G.V().Has('TID','abc')", "[{\"ID\":\"n1\",\"Host\":\"h\",\"Metadata\":{\"Name\":\"eth0\"}}]")
                .start();
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create("http://" + analyzer.address() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=admin&password=wrong")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(401);

        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create("http://" + analyzer.address() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=admin&password=s3cret")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        String token = JSON.readTree(ok.body()).path("Token").asText();
        assertThat(token).isNotEmpty();
        assertThat(JSON.readTree(ok.body()).has("Permissions")).isTrue();
        assertThat(ok.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c)
                .startsWith("authtoken=" + token));

        assertThat(refusal(Map.of("X-Client-Type", "analyzer", "Cookie", "authtoken=" + token))).isEqualTo(101);
        assertThat(refusal(Map.of("X-Client-Type", "analyzer", "X-Host-ID", "b", "Cookie", "authtoken=forged")))
                .isEqualTo(401);

        JsonNode known = JSON.readTree(gremlin("G.V().Has('TID','abc')", "authtoken=" + token).body());
        assertThat(known.get(0).path("Metadata").path("Name").asText()).isEqualTo("eth0");
        assertThat(gremlin("G.V().Has('TID','zzz')", "authtoken=" + token).body()).isEqualTo("[]");
        assertThat(gremlin("G.V()", "authtoken=forged").statusCode()).isEqualTo(401);
        assertThat(analyzer.queries()).containsExactly("G.V().Has('TID','abc')", "G.V().Has('TID','zzz')");
    }

    private HttpResponse<String> gremlin(String query, String cookie) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + analyzer.address() + "/api/topology"))
                .header("Cookie", cookie).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("GremlinQuery", query))))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void flowsGoToEachSubscriberOnItsNamespaceInItsEnvelope() throws Exception {
        analyzer.start();
        String auth = basic("admin", "s3cret");
        Recorder all = new Recorder(true);
        Recorder capture = new Recorder(true);
        Recorder proto = new Recorder(true);
        connect(Map.of("X-Client-Type", "analyzer", "X-Host-ID", "all", "X-Websocket-Namespace", "flow",
                "Authorization", auth), all);
        connect(Map.of("X-Client-Type", "analyzer", "X-Host-ID", "cap", "X-Websocket-Namespace", "flow/c1",
                "Authorization", auth), capture);
        connect(Map.of("X-Client-Type", "analyzer", "X-Host-ID", "pb", "X-Client-Protocol", "protobuf",
                "X-Websocket-Namespace", "flow", "Authorization", auth), proto);
        await().until(() -> analyzer.clients().size() == 3);

        ObjectNode f1 = SkydiveFlow.tcp("10.0.0.1", 5000, "10.0.0.2", 80).captureId("c1").update(1_700_000_001_000L,
                3, 300, 2, 200);
        ObjectNode f2 = SkydiveFlow.udp("10.0.0.3", 53, "10.0.0.4", 5353).captureId("c2").update(1_700_000_001_000L,
                1, 100, 0, 0);
        assertThat(analyzer.publish(List.of(f1, f2))).isEqualTo(3);

        JsonNode env = JSON.readTree((String) all.messages.poll(10, TimeUnit.SECONDS));
        assertThat(env.path("Namespace").asText()).isEqualTo("flow");
        assertThat(env.path("Type").asText()).isEqualTo("store");
        assertThat(env.path("Status").asInt()).isEqualTo(200);
        assertThat(env.path("Obj")).hasSize(2);
        JsonNode cap = JSON.readTree((String) capture.messages.poll(10, TimeUnit.SECONDS));
        assertThat(cap.path("Namespace").asText()).isEqualTo("flow/c1");
        assertThat(cap.path("Obj")).hasSize(1);
        assertThat(cap.path("Obj").get(0).path("UUID").asText()).isEqualTo(f1.path("UUID").asText());
        byte[] pb = (byte[]) proto.messages.poll(10, TimeUnit.SECONDS);
        assertThat(pb).isNotNull();
        assertThat(new String(pb, StandardCharsets.UTF_8)).contains("flow", "store", f2.path("UUID").asText());
        assertThat(pb).startsWith(StructMessages.encode("flow", "", "", 0, 0, new byte[0]));
    }

    @Test
    void aClientThatDoesNotAnswerPingsIsClosedAfterThePongTimeoutWhileOneThatAnswersStays() {
        analyzer.pingInterval(Duration.ofMillis(200)).pongTimeout(Duration.ofMillis(900)).start();
        String auth = basic("admin", "s3cret");
        // The JDK client answers a ping only as it reads it: one that never asks for a message never pongs.
        connect(Map.of("X-Client-Type", "analyzer", "X-Host-ID", "deaf", "Authorization", auth), new Recorder(false));
        connect(Map.of("X-Client-Type", "analyzer", "X-Host-ID", "alive", "Authorization", auth), new Recorder(true));
        await().until(() -> analyzer.clients().size() == 2);

        await().atMost(Duration.ofSeconds(5)).until(() -> analyzer.clients().stream().map(SkydiveAnalyzer.Client::hostId)
                .toList().equals(List.of("alive")));
        SkydiveAnalyzer.Client alive = analyzer.clients().iterator().next();
        await().until(() -> alive.pongs() >= 3);
    }

    @Test
    void stopClosesEveryConnectionAndStartListensOnTheSamePortAgain() {
        analyzer.start();
        int port = analyzer.port();
        Recorder r = new Recorder(true);
        connect(Map.of("X-Client-Type", "analyzer", "X-Host-ID", "x", "Authorization", basic("admin", "s3cret")), r);
        await().until(() -> analyzer.clients().size() == 1);

        analyzer.stop();
        await().until(() -> r.closed);
        assertThat(analyzer.clients()).isEmpty();
        assertThat(refusalOrDown()).isTrue();

        analyzer.start();
        assertThat(analyzer.port()).isEqualTo(port);
        assertThat(refusal(Map.of("X-Client-Type", "analyzer", "X-Host-ID", "x", "Authorization",
                basic("admin", "s3cret")))).isEqualTo(101);
    }

    private boolean refusalOrDown() {
        try {
            connect(Map.of("X-Client-Type", "analyzer"), new Recorder(true));
            return false;
        } catch (CompletionException e) {
            return e.getCause() instanceof java.net.ConnectException;
        }
    }

    @Test
    void aFlowSeenSeveralTimesGrowsItsCumulativeMetricAndEndsWithAFinishType() {
        SkydiveFlow flow = SkydiveFlow.tcp("172.17.0.5", 51234, "93.184.216.34", 443).startMs(1_700_000_012_345L);
        ObjectNode started = flow.update(1_700_000_040_000L, 12, 1830, 10, 14210);
        ObjectNode updated = flow.update(1_700_000_100_000L, 28, 4290, 25, 34590);
        ObjectNode ended = flow.end(1_700_000_700_000L, SkydiveFlow.TIMEOUT);

        assertThat(started.path("UUID").asText()).hasSize(16).isEqualTo(updated.path("UUID").asText())
                .isEqualTo(ended.path("UUID").asText());
        assertThat(started.has("FinishType")).isFalse();
        assertThat(updated.path("Metric").path("ABPackets").asLong()).isEqualTo(40);
        assertThat(updated.path("Metric").path("BABytes").asLong()).isEqualTo(48800);
        assertThat(updated.path("LastUpdateMetric").path("ABPackets").asLong()).isEqualTo(28);
        assertThat(updated.path("LastUpdateMetric").path("Start").asLong()).isEqualTo(1_700_000_040_000L);
        assertThat(updated.path("Last").asLong()).isEqualTo(1_700_000_100_000L);
        assertThat(ended.path("FinishType").asInt()).isEqualTo(1);
        assertThat(ended.path("Last").asLong()).as("no packets in the last update").isEqualTo(1_700_000_100_000L);
        assertThat(ended.path("Transport").path("A").isNumber()).isTrue();
        assertThat(ended.path("LayersPath").asText()).isEqualTo("Ethernet/IPv4/TCP");
        assertThat(SkydiveFlow.icmp("fd00::1", "fd00::2").update(1, 1, 1, 1, 1).path("LayersPath").asText())
                .isEqualTo("Ethernet/IPv6/ICMPv6");
    }
}
