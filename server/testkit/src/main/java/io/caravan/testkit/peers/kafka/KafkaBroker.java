package io.caravan.testkit.peers.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Apache Kafka broker (kafka_2.13, the version in the testkit pom) in KRaft combined mode,
 * one node, run as a child JVM so its kafka-clients never meet the one camel-kafka is built on.
 *
 * <p>The broker's class path is resolved when the testkit is built (maven-dependency-plugin writes
 * it into {@code broker.classpath} beside this class). {@link #start} picks free ports, writes a
 * server.properties, formats the log directory and starts {@code kafka.Kafka}, then waits for the
 * "Kafka Server started" line and the listener; {@link #stop} sends SIGTERM and waits (a clean
 * shutdown). {@link #restart} starts it again on the same ports and data, for outage tests.
 */
public final class KafkaBroker implements AutoCloseable {
    private static final Duration READY = Duration.ofSeconds(90);

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final String classPath;
    private final int partitions;
    private Process process;
    private Path log;

    private KafkaBroker(Path dir, int port, int controllerPort, String classPath, int partitions) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.classPath = classPath;
        this.partitions = partitions;
    }

    /** Starts a broker under {@code dir} whose auto-created topics have {@code partitions} partitions. */
    public static KafkaBroker start(Path dir, int partitions) throws IOException, InterruptedException {
        KafkaBroker b = new KafkaBroker(Files.createDirectories(dir), freePort(), freePort(), classPath(), partitions);
        b.configure();
        b.format();
        b.launch();
        return b;
    }

    /** host:port for bootstrap.servers. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** What the broker has logged so far (for failure messages). */
    public String log() throws IOException {
        return log == null || !Files.exists(log) ? "" : Files.readString(log, StandardCharsets.UTF_8);
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the broker cleanly (SIGTERM), keeping its data and ports for {@link #restart}. */
    public void stop() throws IOException, InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the Kafka broker did not stop in 60 s:\n" + tail());
        }
        process = null;
    }

    /** Starts the stopped broker again on the same ports and log directory. */
    public void restart() throws IOException, InterruptedException {
        if (isRunning()) {
            throw new IllegalStateException("the broker is running");
        }
        launch();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
    }

    private void configure() throws IOException {
        String props = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=" + partitions,
                "auto.create.topics.enable=true",
                // One node: internal topics cannot have more replicas than that.
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "");
        Files.writeString(dir.resolve("server.properties"), props, StandardCharsets.UTF_8);
        // Broker logs go to a file the test can print on failure, INFO so readiness shows.
        Files.writeString(dir.resolve("log4j2.properties"), String.join("\n",
                "rootLogger.level=INFO",
                "rootLogger.appenderRef.out.ref=out",
                "appender.out.type=Console",
                "appender.out.name=out",
                "appender.out.layout.type=PatternLayout",
                "appender.out.layout.pattern=[%d] %p %m (%c)%n",
                ""), StandardCharsets.UTF_8);
    }

    private void format() throws IOException, InterruptedException {
        Path formatLog = dir.resolve("format.log");
        Process p = java("kafka.tools.StorageTool", "format", "--ignore-formatted",
                // Joined with '=': a URL-safe base64 id may start with '-', which the parser takes for an option.
                "--cluster-id=" + clusterId(), "--config", dir.resolve("server.properties").toString())
                .redirectOutput(formatLog.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("kafka-storage format failed:\n" + Files.readString(formatLog, StandardCharsets.UTF_8));
        }
    }

    private void launch() throws IOException, InterruptedException {
        log = dir.resolve("broker-" + System.nanoTime() + ".log");
        process = java("kafka.Kafka", dir.resolve("server.properties").toString()).redirectOutput(log.toFile()).start();
        try {
            Awaitility.await("the Kafka broker").atMost(READY).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("the Kafka broker exited with " + process.exitValue() + ":\n" + tail());
                }
                return log().contains("Kafka Server started") && accepts();
            });
        } catch (ConditionTimeoutException e) {
            process.destroyForcibly();
            throw new AssertionError("the Kafka broker was not ready in " + READY.toSeconds() + " s:\n" + tail());
        }
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private ProcessBuilder java(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"),
                "-cp", classPath, mainClass));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    }

    private String tail() throws IOException {
        String all = log();
        return all.length() <= 8000 ? all : all.substring(all.length() - 8000);
    }

    /** A Kafka cluster id: 16 random bytes, URL-safe base64 without padding (22 characters). */
    private static String clusterId() {
        UUID u = UUID.randomUUID();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits());
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String classPath() throws IOException {
        try (InputStream in = KafkaBroker.class.getResourceAsStream("broker.classpath")) {
            if (in == null) {
                throw new AssertionError("broker.classpath is missing from the testkit: build server/testkit with Maven"
                        + " (maven-dependency-plugin writes it)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }
}
