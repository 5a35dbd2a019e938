package io.caravan.testkit;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A Caravan server installed from the distribution zip into a directory and run as a child
 * process through {@code bin/caravan}, exactly as an operator runs it, driven over HTTP and the
 * file system.
 */
public final class CaravanProcess implements AutoCloseable {
    public static final String TOKEN = "test-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path home;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
    private Process process;
    private int port;

    private CaravanProcess(Path home) {
        this.home = home;
    }

    /** Unzips the distribution into {@code dir}; the zip's single top-level folder becomes the install directory. */
    public static CaravanProcess install(Path zip, Path dir) throws IOException {
        Path top = null;
        try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                Path target = dir.resolve(e.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("zip entry outside target: " + e.getName());
                }
                if (top == null) {
                    top = dir.resolve(dir.relativize(target).getName(0));
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(z, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        if (top == null) {
            throw new IOException("empty distribution: " + zip);
        }
        top.resolve("bin/caravan").toFile().setExecutable(true);
        return new CaravanProcess(top);
    }

    /** The zip built by the distribution module, as passed to the tests by Maven. */
    public static Path distributionZip() {
        String p = System.getProperty("caravan.dist.zip");
        if (p == null || !Files.exists(Path.of(p))) {
            throw new IllegalStateException("system property caravan.dist.zip must name the built zip, got " + p);
        }
        return Path.of(p);
    }

    public Path home() {
        return home;
    }

    public Path routes() {
        return home.resolve("routes");
    }

    public Path plugins() {
        return home.resolve("plugins");
    }

    public Path data() {
        return home.resolve("data");
    }

    /** Appends a setting to config/caravan.properties (before start). */
    public CaravanProcess config(String key, String value) throws IOException {
        Files.writeString(home.resolve("config/caravan.properties"), "\n" + key + "=" + value + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        return this;
    }

    /** Sets an environment variable for the server (before start), as an operator would: CARAVAN_X_Y for caravan.x.y. */
    public CaravanProcess env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Starts {@code bin/caravan run} from an unrelated working directory and waits until it is ready. */
    public CaravanProcess start() throws IOException {
        port = freePort();
        config("caravan.http.port", Integer.toString(port));
        // The default collector routes bind UDP ports; keep tests off the well-known ones.
        for (String protocol : List.of("netflow", "ipfix", "sflow")) {
            config("caravan.collect." + protocol + ".port", Integer.toString(freeUdpPort()));
        }
        config("caravan.collect.bind", "127.0.0.1");
        config("caravan.admin.token", TOKEN);
        Path log = home.resolve("console.log");
        Path cwd = Files.createTempDirectory("caravan-cwd");
        ProcessBuilder pb = new ProcessBuilder("sh", home.resolve("bin/caravan").toString(), "run")
                .directory(cwd.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        process = pb.start();
        await("caravan ready").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("caravan exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                return get("/health/ready").status() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        return this;
    }

    /** Runs another {@code bin/caravan} command (validate, plugins, --version) to completion. */
    public Result command(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("sh", home.resolve("bin/caravan").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("caravan " + String.join(" ", args) + " did not finish:\n" + out);
        }
        return new Result(p.exitValue(), out);
    }

    /** An HTTP answer: status and, when JSON, the parsed body. */
    public record Response(int status, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    /** A finished command: exit code and combined output. */
    public record Result(int exitCode, String output) {
    }

    public Response get(String path) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public Response post(String path, String token) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    private Response send(HttpRequest.Builder b) throws IOException {
        try {
            HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The console output so far. */
    public String log() {
        try {
            Path log = home.resolve("console.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Sends SIGTERM and waits for the exit code. */
    public int terminate(Duration within) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("caravan did not exit within " + within + " after SIGTERM:\n" + log());
        }
        return process.exitValue();
    }

    /** Writes a file the way careful tools do: to a hidden temporary name, then renamed into place. */
    public static void writeAtomically(Path target, String content) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A UDP port free right now on 127.0.0.1. */
    public static int freeUdpPort() throws IOException {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The UDP port a default collector route listens on (after {@link #start()}). */
    public int collectPort(String protocol) throws IOException {
        java.util.Properties p = new java.util.Properties();
        try (var r = Files.newBufferedReader(home.resolve("config/caravan.properties"))) {
            p.load(r);
        }
        return Integer.parseInt(p.getProperty("caravan.collect." + protocol + ".port"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
