package io.caravan.distribution;

import static io.caravan.testkit.CaravanProcess.writeAtomically;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.testkit.CaravanProcess;
import io.caravan.testkit.PluginJarBuilder;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled server attacked as a stranger on the network would, and fed what a careless
 * operator might drop in: slow and oversized HTTP requests, a 100 MB route file, a plugin jar whose
 * index inflates to a gigabyte, secrets in route options, a route failing on every exchange, a
 * plugin calling System.exit. It stays up (at the default -Xmx512m), answers its probes, says what
 * it refused and why, and never shows a secret. One server serves every test; each cleans up what
 * it added, so readiness is UP again after each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HardeningIT {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    static Path dir;

    private CaravanProcess caravan;
    private int port;

    @BeforeAll
    void start() throws Exception {
        caravan = CaravanProcess.install(CaravanProcess.distributionZip(), dir)
                .config("caravan.http.read.timeout.ms", Long.toString(READ_TIMEOUT.toMillis()))
                .config("caravan.log.repeat.interval.seconds", "2")
                .start();
        port = Integer.parseInt(Files.readString(caravan.data().resolve("http.port")).trim());
    }

    @AfterAll
    void stop() {
        caravan.close();
    }

    @AfterEach
    void readyAgain() {
        await("readiness UP again").atMost(Duration.ofSeconds(10))
                .until(() -> caravan.get("/health/ready").json().path("status").asText().equals("UP"));
    }

    private JsonNode ready() throws IOException {
        CaravanProcess.Response r = caravan.get("/health/ready");
        assertThat(r.status()).isEqualTo(200);
        return r.json();
    }

    private List<JsonNode> reloadsOf(String target) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : caravan.get("/admin/reloads").json()) {
            if (e.path("target").asText().equals(target)) {
                out.add(e);
            }
        }
        return out;
    }

    private JsonNode file(String name) throws IOException {
        for (JsonNode f : caravan.get("/admin/files").json()) {
            if (f.path("file").asText().equals(name)) {
                return f;
            }
        }
        return null;
    }

    private String fileLog() throws IOException {
        return Files.readString(caravan.home().resolve("logs/caravan.log"), StandardCharsets.UTF_8);
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(15_000);
        return s;
    }

    @Test
    void manySlowClientsAndManyFastOnesAtOnce() throws Exception {
        byte[] request = "GET /health/live HTTP/1.1\r\nHost: caravan\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        List<Socket> slow = new ArrayList<>();
        ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
        ExecutorService fast = Executors.newFixedThreadPool(16);
        try {
            for (int i = 0; i < 200; i++) {
                slow.add(connect());
            }
            AtomicInteger at = new AtomicInteger();
            drip.scheduleAtFixedRate(() -> {
                int i = at.getAndIncrement();
                if (i >= 8) {
                    return;
                }
                for (Socket s : slow) {
                    try {
                        s.getOutputStream().write(request[i]);
                    } catch (IOException closed) {
                        // hung up on, as it should be
                    }
                }
            }, 0, 1, TimeUnit.SECONDS);

            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            List<Future<Long>> latencies = new ArrayList<>();
            String[] paths = {"/health/live", "/health/ready", "/health/live", "/metrics"};
            for (int i = 0; i < 400; i++) {
                URI uri = URI.create("http://127.0.0.1:" + port + paths[i % paths.length]);
                latencies.add(fast.submit(() -> {
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).isEqualTo(200);
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                }));
            }
            long worst = 0;
            for (Future<Long> f : latencies) {
                worst = Math.max(worst, f.get(60, TimeUnit.SECONDS));
            }
            assertThat(worst).as("slowest answer (ms) with 200 slow clients connected").isLessThan(2000);

            long t0 = System.nanoTime();
            for (Socket s : slow) {
                assertThat(s.getInputStream().read()).as("a slow client is hung up on").isEqualTo(-1);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(READ_TIMEOUT.plusSeconds(5));
        } finally {
            drip.shutdownNow();
            fast.shutdownNow();
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void oversizedRequestsAreRefused() throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write(("GET /admin/routes HTTP/1.1\r\nHost: x\r\nCookie: " + "c".repeat(40_000) + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 431");
        }
        try (Socket s = connect()) {
            s.getOutputStream().write(("POST /admin/reload HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n"
                    + "x".repeat(70_000)).getBytes(StandardCharsets.ISO_8859_1));
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 413");
        }
        assertThat(caravan.get("/health/live").status()).isEqualTo(200);
    }

    @Test
    void aHundredMegabyteRouteFileIsRefusedNotRead() throws Exception {
        // Sparse: 100 MB by its size, nothing on disk; made beside routes/ and moved in whole.
        Path staged = caravan.data().resolve("huge.yaml");
        try (RandomAccessFile raf = new RandomAccessFile(staged.toFile(), "rw")) {
            raf.setLength(100L << 20);
        }
        Path huge = caravan.routes().resolve("huge.yaml");
        Files.move(staged, huge, StandardCopyOption.ATOMIC_MOVE);
        String expected = "huge.yaml: 104857600 bytes is over the route file limit of 1048576 bytes (caravan.routes.max.file.bytes)";
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> file("huge.yaml") != null);
            assertThat(file("huge.yaml").path("status").asText()).isEqualTo("FAILED");
            assertThat(file("huge.yaml").path("error").asText()).isEqualTo(expected);
            assertThat(reloadsOf("huge.yaml")).last().satisfies(e -> assertThat(e.path("error").asText()).isEqualTo(expected));
            assertThat(caravan.log()).contains(expected);
            JsonNode health = ready();
            assertThat(health.path("status").asText()).isEqualTo("DEGRADED");
            assertThat(health.path("degraded").toString()).contains("huge.yaml", "caravan.routes.max.file.bytes");
            assertThat(caravan.isAlive()).isTrue();
        } finally {
            Files.delete(huge);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> file("huge.yaml") == null);
    }

    @Test
    void aPluginJarWhoseIndexInflatesToAGigabyteIsRefusedAndNamedInReadiness() throws Exception {
        Path good = PluginJarBuilder.plugin("bomb", "1.0.0")
                .source("io.test.bomb.B", PluginJarBuilder.taggingStage("io.test.bomb", "B", "bomb-stage", "k", "v"))
                .build(dir.resolve("good.jar"));
        Path staged = PluginJarBuilder.zipBomb(good, dir.resolve("bomb.jar"), (1L << 30) + 1, 100);
        assertThat(Files.size(staged)).isLessThan(4L << 20);
        Path jar = caravan.plugins().resolve("bomb.jar");
        Files.move(staged, jar, StandardCopyOption.ATOMIC_MOVE);
        String expected = "bomb.jar!/META-INF/extensions.idx: more than 1048576 bytes is over the plugin jar entry limit of"
                + " 1048576 bytes (caravan.plugins.max.entry.bytes)";
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> !reloadsOf("bomb.jar").isEmpty());
            assertThat(reloadsOf("bomb.jar").get(0).path("outcome").asText()).isEqualTo("rejected");
            assertThat(reloadsOf("bomb.jar").get(0).path("error").asText()).isEqualTo(expected);
            JsonNode health = ready();
            assertThat(health.path("status").asText()).isEqualTo("DEGRADED");
            assertThat(health.path("degraded")).anySatisfy(d -> {
                assertThat(d.path("kind").asText()).isEqualTo("plugin");
                assertThat(d.path("jar").asText()).isEqualTo("bomb.jar");
                assertThat(d.path("reason").asText()).isEqualTo(expected);
            });
            assertThat(caravan.log()).contains(expected);
            assertThat(caravan.isAlive()).isTrue();
        } finally {
            Files.delete(jar);
        }
    }

    @Test
    void secretsInRouteOptionsNeverShowInClear() throws Exception {
        writeAtomically(caravan.routes().resolve("leaky.yaml"), """
                - route:
                    id: leaky
                    from:
                      uri: direct:leaky
                      steps:
                        - to: "log:leaky?password=hunter2&level=OFF"
                """);
        writeAtomically(caravan.routes().resolve("known-secret.yaml"), """
                - route:
                    id: known-secret
                    from:
                      uri: "netty:tcp://127.0.0.1:0?passphrase=hunter2&sync=false"
                      steps:
                        - to: log:known?level=OFF
                """);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> file("leaky.yaml") != null && file("known-secret.yaml") != null);
            assertThat(file("leaky.yaml").path("status").asText()).isEqualTo("FAILED");
            assertThat(file("leaky.yaml").path("error").asText()).contains("Unknown parameters=[{password=xxxxxx}]");
            assertThat(file("known-secret.yaml").path("status").asText()).isEqualTo("ACTIVE");
            for (String path : List.of("/admin/files", "/admin/reloads", "/admin/routes", "/admin/routes/known-secret",
                    "/health/ready", "/admin/stages/status", "/metrics")) {
                assertThat(caravan.get(path).body()).as(path).doesNotContain("hunter2");
            }
            assertThat(caravan.get("/admin/routes/known-secret").body()).contains("passphrase=xxxxxx");
            assertThat(caravan.log()).contains("password=xxxxxx").doesNotContain("hunter2");
            assertThat(fileLog()).contains("password=xxxxxx").doesNotContain("hunter2");
        } finally {
            Files.delete(caravan.routes().resolve("leaky.yaml"));
            Files.delete(caravan.routes().resolve("known-secret.yaml"));
        }
    }

    @Test
    void aRouteFailingOnEveryExchangeLogsABoundedNumberOfLines() throws Exception {
        writeAtomically(caravan.routes().resolve("flood.yaml"), """
                - route:
                    id: flood
                    from:
                      uri: timer:flood
                      parameters: {period: 1}
                      steps:
                        - throwException: {exceptionType: java.lang.IllegalStateException, message: flood-on-every-exchange}
                """);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> caravan.get("/admin/routes/flood").status() == 200);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    caravan.get("/admin/routes/flood").json().path("exchangesFailed").asLong() > 3000);
            // A summary interval (2 s here) so at least one summary is due.
            await().atMost(Duration.ofSeconds(10)).until(() -> countSummaries(caravan.log()) > 0);
        } finally {
            Files.delete(caravan.routes().resolve("flood.yaml"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> caravan.get("/admin/routes/flood").status() == 404);
        long failed = 3000;
        String log = caravan.log();
        long lines = log.lines().filter(l -> l.contains("flood-on-every-exchange")).count();
        assertThat(lines).as("log lines naming the error after more than %d failed exchanges", failed).isLessThan(60);
        Matcher m = Pattern.compile("(\\d+) more like this in the last 2 s").matcher(log);
        long suppressed = 0;
        while (m.find()) {
            suppressed += Long.parseLong(m.group(1));
        }
        assertThat(suppressed).as("exchanges counted in summaries instead of logged").isGreaterThan(1000);
    }

    private static long countSummaries(String log) {
        return log.lines().filter(l -> l.contains("more like this") && l.contains("flood-on-every-exchange")).count();
    }

    @Test
    void aPluginCallingSystemExitIsRefusedNamedAndTheServerStaysUp() throws Exception {
        Path staged = ExitingPlugin.build(dir.resolve("exiter.jar"));
        Path jar = caravan.plugins().resolve("exiter.jar");
        Files.move(staged, jar, StandardCopyOption.ATOMIC_MOVE);
        await().atMost(Duration.ofSeconds(20)).until(() -> !reloadsOf("exiter.jar").isEmpty());
        writeAtomically(caravan.routes().resolve("exit.yaml"), ExitingPlugin.route("exit"));
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> reloadsOf("exiter.jar").stream()
                    .anyMatch(e -> e.path("action").asText().equals("exit")));
            JsonNode exit = reloadsOf("exiter.jar").stream().filter(e -> e.path("action").asText().equals("exit")).findFirst()
                    .orElseThrow();
            assertThat(exit.path("outcome").asText()).isEqualTo("refused");
            assertThat(exit.path("error").asText()).startsWith("plugin jar exiter.jar called System.exit(3)");
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    caravan.get("/admin/routes/exit").json().path("exchangesFailed").asLong() >= 3);
            assertThat(caravan.isAlive()).isTrue();
            assertThat(caravan.get("/health/live").status()).isEqualTo(200);
            assertThat(caravan.log()).contains("plugin jar exiter.jar called System.exit(3)");
        } finally {
            Files.delete(caravan.routes().resolve("exit.yaml"));
            Files.delete(jar);
        }
    }
}
