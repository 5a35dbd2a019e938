package io.caravan.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.server.CaravanRuntime;
import io.caravan.server.config.CaravanConfig;
import io.caravan.testkit.PluginJarBuilder;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.ServiceStatus;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminServerTest {
    private static final String TOKEN = "s3cret-token";
    private static final String ROUTE = """
            - route:
                id: r1
                from:
                  uri: direct:r1
                  steps:
                    - to: log:r1?level=OFF
            """;

    @TempDir
    Path home;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private DefaultCamelContext camel;
    private CaravanRuntime runtime;
    private AdminServer server;

    /** A runtime as the server wires it, its directories loaded once, and the HTTP port on a free port. */
    private void start(String token) throws Exception {
        start(token, HttpLimits.defaults());
    }

    private void start(String token, HttpLimits limits) throws Exception {
        CaravanConfig config = CaravanConfig.load(home, null, Map.of(), new Properties());
        camel = new DefaultCamelContext();
        runtime = new CaravanRuntime(config, camel, "-admin-test");
        camel.start();
        server = new AdminServer(new InetSocketAddress("127.0.0.1", 0), token, camel, runtime.views(), runtime.coordinator(),
                runtime.meters(), new io.caravan.server.metrics.UdpSockets(java.nio.file.Path.of("/proc")), () -> true, () -> false,
                limits);
        server.start();
        runtime.coordinator().start(false, false, Duration.ofMillis(100));
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        if (camel != null) {
            camel.stop();
        }
        if (runtime != null) {
            runtime.close();
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Path writeRoute(String name, String text) throws IOException {
        Path routes = Files.createDirectories(home.resolve("routes"));
        return Files.writeString(routes.resolve(name), text);
    }

    @Test
    void withoutATokenEveryMutatingCallIsRefused() throws Exception {
        writeRoute("r.yaml", ROUTE);
        start(null);
        assertThat(camel.getRouteController().getRouteStatus("r1")).isEqualTo(ServiceStatus.Started);

        for (String path : List.of("/admin/reload", "/admin/routes/r1/stop", "/admin/routes/x/stop", "/admin/anything")) {
            for (String auth : new String[] {null, "Bearer ", "Bearer " + TOKEN}) {
                HttpResponse<String> r = post(path, auth);
                assertThat(r.statusCode()).as("POST %s with %s", path, auth).isEqualTo(403);
                assertThat(json.readTree(r.body()).path("error").asText()).contains("caravan.admin.token");
            }
        }
        assertThat(camel.getRouteController().getRouteStatus("r1")).isEqualTo(ServiceStatus.Started);
        assertThat(runtime.history().events()).as("no reload ran").hasSize(1);
    }

    @Test
    void aBlankTokenCountsAsNoToken() throws Exception {
        start("  ");

        HttpResponse<String> r = post("/admin/reload", "Bearer   ");

        assertThat(r.statusCode()).isEqualTo(403);
    }

    @Test
    void withATokenOnlyTheRightBearerIsAccepted() throws Exception {
        start(TOKEN);

        HttpResponse<String> none = post("/admin/reload", null);
        HttpResponse<String> wrong = post("/admin/reload", "Bearer not-" + TOKEN);
        HttpResponse<String> prefix = post("/admin/reload", "Bearer " + TOKEN.substring(0, 5));
        HttpResponse<String> basic = post("/admin/reload", "Basic " + TOKEN);
        HttpResponse<String> right = post("/admin/reload", "Bearer " + TOKEN);

        for (HttpResponse<String> r : List.of(none, wrong, prefix, basic)) {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer");
            assertThat(json.readTree(r.body()).path("error").asText()).isEqualTo("missing or wrong bearer token");
        }
        assertThat(right.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(right.body());
        assertThat(body.has("files")).isTrue();
        assertThat(body.has("plugins")).isTrue();
    }

    @Test
    void routesAreStoppedAndStartedWithTheToken() throws Exception {
        writeRoute("r.yaml", ROUTE);
        start(TOKEN);

        HttpResponse<String> stopped = post("/admin/routes/r1/stop", "Bearer " + TOKEN);
        assertThat(stopped.statusCode()).isEqualTo(200);
        assertThat(json.readTree(stopped.body()).path("status").asText()).isEqualTo("Stopped");
        assertThat(camel.getRouteController().getRouteStatus("r1")).isEqualTo(ServiceStatus.Stopped);

        HttpResponse<String> started = post("/admin/routes/r1/start", "Bearer " + TOKEN);
        assertThat(started.statusCode()).isEqualTo(200);
        assertThat(camel.getRouteController().getRouteStatus("r1")).isEqualTo(ServiceStatus.Started);

        assertThat(post("/admin/routes/nope/stop", "Bearer " + TOKEN).statusCode()).isEqualTo(404);
        assertThat(post("/admin/routes/r1/pause", "Bearer " + TOKEN).statusCode()).isEqualTo(404);
    }

    /** A component that reports sink rows, as bus: does, added the way the runtime adds a plugin's component. */
    private static final class ReportingComponent extends org.apache.camel.support.DefaultComponent
            implements io.caravan.api.plugin.SinkStatus {
        @Override
        protected org.apache.camel.Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.List<Map<String, Object>> sinkStatus() {
            return java.util.List.of(Map.of("topic", "flows", "subscriber", "kafka", "depth", 7));
        }
    }

    @Test
    void sinksListEveryRowOfEveryComponentThatReportsThem() throws Exception {
        start(null);
        assertThat(json.readTree(get("/admin/sinks").body()).size()).isZero();

        camel.addComponent("reporting", new ReportingComponent());

        HttpResponse<String> r = get("/admin/sinks");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode rows = json.readTree(r.body());
        assertThat(rows.size()).isEqualTo(1);
        assertThat(rows.get(0).get("component").asText()).isEqualTo("reporting");
        assertThat(rows.get(0).get("subscriber").asText()).isEqualTo("kafka");
        assertThat(rows.get(0).get("depth").asInt()).isEqualTo(7);
    }

    @Test
    void healthIsOpen() throws Exception {
        start(TOKEN);

        HttpResponse<String> live = get("/health/live");
        HttpResponse<String> ready = get("/health/ready");

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(json.readTree(live.body()).path("status").asText()).isEqualTo("UP");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json.readTree(ready.body()).path("camel").asText()).isEqualTo("Started");
        assertThat(get("/nothing/here").statusCode()).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(uri("/health/live")).method("DELETE", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
    }

    @Test
    void metricsCountReloadsOfRouteFiles() throws Exception {
        start(TOKEN);
        assertThat(get("/metrics").body()).doesNotContain("caravan_reloads_total");
        writeRoute("r.yaml", ROUTE);

        assertThat(post("/admin/reload", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = get("/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(metrics.body()).contains("caravan_reloads_total{kind=\"routes\",outcome=\"ok\"} 1.0");
        assertThat(camel.getRoute("r1")).isNotNull();
    }

    @Test
    void stagesAndComponentsListEveryOptionWithTypeDefaultAllowedValuesAndDoc() throws Exception {
        Path plugins = Files.createDirectories(home.resolve("plugins"));
        PluginJarBuilder.plugin("tagger", "2.1.0")
                .source("com.example.admin.TagStage", """
                        package com.example.admin;

                        import io.caravan.api.flow.FlowBatch;
                        import io.caravan.api.stage.*;
                        import java.util.List;
                        import org.pf4j.Extension;

                        @Extension
                        public class TagStage implements StageProvider<FlowBatch, FlowBatch> {
                            public String name() { return "tag"; }
                            public String description() { return "sets an attribute"; }
                            public Class<FlowBatch> inputType() { return FlowBatch.class; }
                            public Class<FlowBatch> outputType() { return FlowBatch.class; }
                            public List<OptionSpec> options() {
                                return List.of(
                                        OptionSpec.of("key", OptionType.STRING, "color", "attribute to set"),
                                        OptionSpec.required("value", OptionType.STRING, "value to set it to"),
                                        OptionSpec.choice("when", "always", "when to set it", "always", "if-absent"),
                                        OptionSpec.of("every", OptionType.DURATION, "5s", "how often to log a summary"),
                                        OptionSpec.integer("batch", 64, "records per batch").min(1).max(4096));
                            }
                            public Stage<FlowBatch, FlowBatch> create(StageOptions o, StageContext c) { return b -> b; }
                        }
                        """)
                .source("com.example.admin.TapComponent", """
                        package com.example.admin;

                        import io.caravan.api.plugin.ComponentProvider;
                        import io.caravan.api.plugin.PluginContext;
                        import io.caravan.api.stage.OptionSpec;
                        import java.util.List;
                        import java.util.Map;
                        import org.apache.camel.Component;
                        import org.apache.camel.Endpoint;
                        import org.apache.camel.support.DefaultComponent;
                        import org.pf4j.Extension;

                        @Extension
                        public class TapComponent implements ComponentProvider {
                            public String scheme() { return "tap"; }
                            public String description() { return "taps a wire"; }
                            public List<OptionSpec> options() {
                                return List.of(OptionSpec.size("buffer", "64KiB", "bytes buffered").min("1KiB"));
                            }
                            public Component create(PluginContext context) {
                                return new DefaultComponent() {
                                    protected Endpoint createEndpoint(String uri, String rest, Map<String, Object> p) {
                                        throw new UnsupportedOperationException("listed only");
                                    }
                                };
                            }
                        }
                        """)
                .build(plugins.resolve("tagger.jar"));
        start(TOKEN);
        assertThat(runtime.host().plugins()).hasSize(1);

        HttpResponse<String> r = get("/admin/stages");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode stages = json.readTree(r.body());
        assertThat(stages).hasSize(1);
        JsonNode tag = stages.get(0);
        assertThat(tag.path("name").asText()).isEqualTo("tag");
        assertThat(tag.path("plugin").asText()).isEqualTo("tagger");
        assertThat(tag.path("version").asText()).isEqualTo("2.1.0");
        assertThat(tag.path("description").asText()).isEqualTo("sets an attribute");
        assertThat(tag.path("input").asText()).isEqualTo("FlowBatch");
        assertThat(tag.path("output").asText()).isEqualTo("FlowBatch");
        assertThat(rows(tag.path("options"))).containsExactly(
                "key | string | color | false | - | [] | attribute to set",
                "value | string | (none) | true | - | [] | value to set it to",
                "when | choice | always | false | always, if-absent | [\"always\",\"if-absent\"] | when to set it",
                "every | duration | 5s | false | - | [] | how often to log a summary",
                "batch | int | 64 | false | 1 to 4096 | [] | records per batch");

        JsonNode plugin = json.readTree(get("/admin/plugins").body()).get(0);
        JsonNode tap = plugin.path("components").get(0);
        assertThat(tap.path("scheme").asText()).isEqualTo("tap");
        assertThat(tap.path("description").asText()).isEqualTo("taps a wire");
        assertThat(rows(tap.path("options"))).containsExactly("buffer | size | 64KiB | false | >= 1KiB | [] | bytes buffered");
    }

    /** Each option as "name | type | default | required | allowed | choices | doc". */
    private static List<String> rows(JsonNode options) {
        List<String> rows = new ArrayList<>();
        options.forEach(o -> rows.add(o.path("name").asText() + " | " + o.path("type").asText() + " | "
                + (o.path("default").isNull() ? "(none)" : o.path("default").asText()) + " | " + o.path("required").asBoolean()
                + " | " + (o.path("allowed").asText().isEmpty() ? "-" : o.path("allowed").asText()) + " | " + o.path("choices")
                + " | " + o.path("doc").asText()));
        return rows;
    }

    // ---- the port faces strangers -----------------------------------------------------------

    private static final String LIVE_REQUEST = "GET /health/live HTTP/1.1\r\nHost: caravan\r\n\r\n";

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.address().getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    /** Reads until the server closes the connection; returns what came, or throws if it stays open past the socket timeout. */
    private static String readToEnd(Socket s) throws IOException {
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** Reads one HTTP response head and its Content-Length body. */
    private static String readResponse(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed after: " + head);
            }
            head.append((char) b);
        }
        Matcher m = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
        return head + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    private static boolean closedByServer(Socket s) {
        try {
            return s.getInputStream().read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void slowClientsNeitherBlockLivenessNorStayConnected() throws Exception {
        Duration readTimeout = Duration.ofSeconds(3);
        start(TOKEN, new HttpLimits(readTimeout, Duration.ofSeconds(60), 16384, 65536, 512, 2));
        byte[] request = LIVE_REQUEST.getBytes(StandardCharsets.ISO_8859_1);
        List<Socket> slow = new ArrayList<>();
        ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
        ExecutorService fast = Executors.newFixedThreadPool(16);
        try {
            for (int i = 0; i < 200; i++) {
                slow.add(connect());
            }
            // The attack: every slow client sends its request one byte a second; none can finish before the read timeout.
            AtomicInteger sent = new AtomicInteger();
            drip.scheduleAtFixedRate(() -> {
                int at = sent.getAndIncrement();
                for (Socket s : slow) {
                    try {
                        s.getOutputStream().write(request[at]);
                    } catch (IOException closed) {
                        // the server hung up on it, as it should
                    }
                }
            }, 0, 1, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() >= 200);

            // Meanwhile, many fast clients: every liveness and readiness answer comes within a second.
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            List<Future<Long>> latencies = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String path = i % 4 == 0 ? "/health/ready" : "/health/live";
                latencies.add(fast.submit(() -> {
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).isEqualTo(200);
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                }));
            }
            long worst = 0;
            for (Future<Long> f : latencies) {
                worst = Math.max(worst, f.get(30, TimeUnit.SECONDS));
            }
            assertThat(worst).as("slowest health answer (ms) with 200 slow clients connected").isLessThan(1000);

            // ... and the slow ones are all cut off once their read timeout has passed.
            await().atMost(readTimeout.plusSeconds(3)).until(() -> server.openConnections() < 10);
            for (Socket s : slow) {
                assertThat(closedByServer(s)).isTrue();
            }
        } finally {
            drip.shutdownNow();
            fast.shutdownNow();
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void oversizedRequestsAreRefusedAndTheConnectionClosed() throws Exception {
        start(TOKEN);

        try (Socket s = connect()) {
            s.getOutputStream().write(("GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String answer = readToEnd(s);
            assertThat(answer).startsWith("HTTP/1.1 431").contains("caravan.http.max.header.bytes");
        }
        try (Socket s = connect()) {
            s.getOutputStream().write(("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            // A line that long was never read as HTTP/1.1, so the answer is HTTP/1.0.
            assertThat(readToEnd(s)).matches("(?s)HTTP/1\\.[01] 414.*");
        }
        try (Socket s = connect()) {
            s.getOutputStream().write(("POST /admin/reload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"
                    + "x".repeat(100_000)).getBytes(StandardCharsets.ISO_8859_1));
            String answer = readToEnd(s);
            assertThat(answer).startsWith("HTTP/1.1 413").contains("caravan.http.max.body.bytes");
        }
        try (Socket s = connect()) {
            // Chunked, so no Content-Length to refuse up front: counted as it arrives.
            OutputStream out = s.getOutputStream();
            out.write("POST /admin/reload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String chunk = "x".repeat(16_000);
            try {
                for (int i = 0; i < 8; i++) {
                    out.write((Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                }
            } catch (IOException closed) {
                // the server may hang up while we are still sending
            }
            assertThat(readToEnd(s)).startsWith("HTTP/1.1 413");
        }
        assertThat(runtime.history().events()).as("no oversized request reached the admin API").isEmpty();
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void connectionsThatSendNothingOrStopAfterAnAnswerAreClosed() throws Exception {
        start(TOKEN, new HttpLimits(Duration.ofMillis(500), Duration.ofSeconds(60), 16384, 65536, 512, 2));

        try (Socket silent = connect()) {
            long t0 = System.nanoTime();
            assertThat(closedByServer(silent)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        }
        try (Socket keptAlive = connect()) {
            keptAlive.getOutputStream().write(LIVE_REQUEST.getBytes(StandardCharsets.ISO_8859_1));
            assertThat(readResponse(keptAlive)).startsWith("HTTP/1.1 200").contains("\"UP\"");
            // A second request in time is served on the same connection ...
            keptAlive.getOutputStream().write(LIVE_REQUEST.getBytes(StandardCharsets.ISO_8859_1));
            assertThat(readResponse(keptAlive)).startsWith("HTTP/1.1 200");
            // ... and then silence ends it.
            long t0 = System.nanoTime();
            assertThat(closedByServer(keptAlive)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void idleTimeoutClosesAConnectionWithNoTraffic() throws Exception {
        start(TOKEN, new HttpLimits(Duration.ofSeconds(60), Duration.ofMillis(500), 16384, 65536, 512, 2));

        try (Socket silent = connect()) {
            long t0 = System.nanoTime();
            assertThat(closedByServer(silent)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void connectionsOverTheCapAreClosedOnAccept() throws Exception {
        start(TOKEN, new HttpLimits(Duration.ofSeconds(60), Duration.ofSeconds(60), 16384, 65536, 3, 2));
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(connect());
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 3);
            try (Socket extra = connect()) {
                assertThat(closedByServer(extra)).isTrue();
            }
            held.remove(0).close();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 2);
            try (Socket again = connect()) {
                again.getOutputStream().write(LIVE_REQUEST.getBytes(StandardCharsets.ISO_8859_1));
                assertThat(readResponse(again)).startsWith("HTTP/1.1 200");
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void healthAnswersWhileAReloadHoldsTheReloadThreadAndTheRouteFileLock() throws Exception {
        writeRoute("r.yaml", ROUTE);
        start(TOKEN);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread reload = new Thread(() -> runtime.coordinator().call(() -> {
            synchronized (runtime.routes()) {
                holding.countDown();
                release.await();
            }
            return null;
        }));
        reload.start();
        try {
            assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
            // An admin reload queues behind it and holds an admin thread ...
            CompletableFuture<HttpResponse<String>> queued = http.sendAsync(HttpRequest.newBuilder(uri("/admin/reload"))
                    .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());

            // ... while health answers at once, from what the last completed reload published.
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(uri("/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(json.readTree(ready.body()).path("files").path("r.yaml").asText()).isEqualTo("ACTIVE");
            HttpResponse<String> files = http.send(HttpRequest.newBuilder(uri("/admin/files")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(files.statusCode()).isEqualTo(200);
            assertThat(queued).isNotDone();

            release.countDown();
            assertThat(queued.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        } finally {
            release.countDown();
            reload.join(10_000);
        }
    }

    @Test
    void secretsAreMaskedInEveryAdminView() throws Exception {
        writeRoute("unknown-option.yaml", """
                - route:
                    id: leaky
                    from:
                      uri: direct:leaky
                      steps:
                        - to: "log:leaky?password=hunter2&level=OFF"
                """);
        Path plugins = Files.createDirectories(home.resolve("plugins"));
        PluginJarBuilder.plugin("login", "1.0.0").source("com.example.login.Login", """
                package com.example.login;

                import io.caravan.api.flow.FlowBatch;
                import io.caravan.api.stage.*;
                import java.util.List;
                import org.pf4j.Extension;

                @Extension
                public class Login implements StageProvider<FlowBatch, FlowBatch> {
                    public String name() { return "login"; }
                    public String description() { return "has a password option"; }
                    public Class<FlowBatch> inputType() { return FlowBatch.class; }
                    public Class<FlowBatch> outputType() { return FlowBatch.class; }
                    public List<OptionSpec> options() { return List.of(OptionSpec.string("password", "", "the password")); }
                    public Stage<FlowBatch, FlowBatch> create(StageOptions o, StageContext c) { return b -> b; }
                }
                """).build(plugins.resolve("login.jar"));
        writeRoute("stage-option.yaml", """
                - route:
                    id: with-login
                    from:
                      uri: direct:login
                      steps:
                        - to: "stage:login?password=hunter2"
                """);
        writeRoute("known-option.yaml", """
                - route:
                    id: known
                    from:
                      uri: "netty:tcp://127.0.0.1:0?passphrase=hunter2&sync=false"
                      steps:
                        - to: log:known?level=OFF
                """);
        start(TOKEN);
        assertThat(camel.getRoute("known")).as("the route with the known secret option runs").isNotNull();
        assertThat(camel.getRoute("known").getEndpoint().getEndpointUri()).contains("hunter2");

        assertThat(camel.getRoute("with-login")).as("the route with the stage's own password option runs").isNotNull();
        assertThat(get("/admin/stages/status").body()).contains("stage://login?password=xxxxxx");
        for (String path : List.of("/admin/files", "/admin/reloads", "/admin/routes", "/admin/routes/known", "/health/ready",
                "/admin/stages/status", "/metrics")) {
            String body = get(path).body();
            assertThat(body).as(path).doesNotContain("hunter2");
        }
        String files = get("/admin/files").body();
        assertThat(files).contains("password=xxxxxx");
        assertThat(get("/admin/routes/known").body()).contains("passphrase=xxxxxx");
        assertThat(runtime.history().events()).anySatisfy(e -> assertThat(e.error()).contains("password=xxxxxx"));
    }

    @Test
    void camelPlatformHttpRoutesAreServedOnThisPortBehindTheSameLimits() throws Exception {
        writeRoute("web.yaml", """
                - route:
                    id: web
                    from:
                      uri: "platform-http:/hello"
                      steps:
                        - setBody: {constant: "hi"}
                """);
        start(TOKEN);

        HttpResponse<String> hello = get("/hello");
        assertThat(hello.statusCode()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("hi");
        try (Socket s = connect()) {
            s.getOutputStream().write(("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(readToEnd(s)).startsWith("HTTP/1.1 431");
        }
        assertThat(get("/nothing/here").statusCode()).isEqualTo(404);
    }

    // ---- readiness shows what works below par ------------------------------------------------

    private JsonNode ready() throws Exception {
        HttpResponse<String> r = get("/health/ready");
        assertThat(r.statusCode()).as("readiness is 200 while the server runs, degraded or not").isEqualTo(200);
        return json.readTree(r.body());
    }

    @Test
    void aRefusedPluginJarMarksReadinessDegradedUntilItIsRemoved() throws Exception {
        Path plugins = Files.createDirectories(home.resolve("plugins"));
        PluginJarBuilder.plugin("broken", "1.0.0").withoutPluginId()
                .source("com.example.b.B", PluginJarBuilder.taggingStage("com.example.b", "B", "b-stage", "k", "v"))
                .build(plugins.resolve("broken.jar"));
        start(TOKEN);

        JsonNode health = ready();
        assertThat(health.path("status").asText()).isEqualTo("DEGRADED");
        assertThat(health.path("degraded")).singleElement().satisfies(d -> {
            assertThat(d.path("kind").asText()).isEqualTo("plugin");
            assertThat(d.path("jar").asText()).isEqualTo("broken.jar");
            assertThat(d.path("reason").asText()).isEqualTo("broken.jar: not a plugin jar: the manifest has no Plugin-Id");
        });

        Files.delete(plugins.resolve("broken.jar"));
        assertThat(post("/admin/reload", "Bearer " + TOKEN).statusCode()).isEqualTo(200);

        health = ready();
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.path("degraded")).isEmpty();
    }

    @Test
    void aFixedJarClearsItsDegradation() throws Exception {
        Path plugins = Files.createDirectories(home.resolve("plugins"));
        PluginJarBuilder.plugin("fixme", "1.0.0").withoutPluginId()
                .source("com.example.f.F", PluginJarBuilder.taggingStage("com.example.f", "F", "f-stage", "k", "v"))
                .build(plugins.resolve("fixme.jar"));
        start(TOKEN);
        assertThat(ready().path("status").asText()).isEqualTo("DEGRADED");

        PluginJarBuilder.plugin("fixme", "1.0.1")
                .source("com.example.f.F", PluginJarBuilder.taggingStage("com.example.f", "F", "f-stage", "k", "v"))
                .build(plugins.resolve("fixme.jar"));
        assertThat(post("/admin/reload", "Bearer " + TOKEN).statusCode()).isEqualTo(200);

        assertThat(ready().path("status").asText()).isEqualTo("UP");
        assertThat(ready().path("plugins").path("fixme").asText()).isEqualTo("1.0.1");
    }

    @Test
    void aStageWorkingBelowParIsShownWithItsRouteAndReason() throws Exception {
        Path plugins = Files.createDirectories(home.resolve("plugins"));
        PluginJarBuilder.plugin("bounded", "1.0.0").source("com.example.d.Full", """
                package com.example.d;

                import io.caravan.api.flow.FlowBatch;
                import io.caravan.api.stage.*;
                import java.util.List;
                import java.util.Optional;
                import org.pf4j.Extension;

                @Extension
                public class Full implements StageProvider<FlowBatch, FlowBatch> {
                    public String name() { return "full"; }
                    public String description() { return "always at its bound"; }
                    public Class<FlowBatch> inputType() { return FlowBatch.class; }
                    public Class<FlowBatch> outputType() { return FlowBatch.class; }
                    public List<OptionSpec> options() { return List.of(); }
                    public Stage<FlowBatch, FlowBatch> create(StageOptions o, StageContext c) {
                        return new Stage<>() {
                            public FlowBatch apply(FlowBatch b) { return b; }
                            public Optional<String> degraded() { return Optional.of("templates at their memory bound (64 MiB)"); }
                        };
                    }
                }
                """).build(plugins.resolve("bounded.jar"));
        writeRoute("uses-full.yaml", """
                - route:
                    id: uses-full
                    from:
                      uri: direct:in
                      steps:
                        - choice:
                            when:
                              - simple: "${body} == null"
                                steps:
                                  - to: stage:full
                        - to: log:x?level=OFF
                """);
        writeRoute("plain.yaml", ROUTE);
        start(TOKEN);

        JsonNode health = ready();

        assertThat(health.path("status").asText()).isEqualTo("DEGRADED");
        assertThat(health.path("degraded")).singleElement().satisfies(d -> {
            assertThat(d.path("kind").asText()).isEqualTo("stage");
            assertThat(d.path("stage").asText()).isEqualTo("full");
            assertThat(d.path("route").asText()).isEqualTo("uses-full");
            assertThat(d.path("reason").asText()).isEqualTo("templates at their memory bound (64 MiB)");
        });
        assertThat(health.path("routes").path("r1").asText()).isEqualTo("Started");
    }
}
