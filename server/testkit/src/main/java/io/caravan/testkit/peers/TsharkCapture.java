package io.caravan.testkit.peers;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * tshark capturing on loopback with a capture filter (e.g. {@code ip proto 47}) until it has the
 * expected number of packets ({@code -c}), then the capture decoded by tshark as JSON with raw
 * bytes ({@code -T json -x --no-duplicate-keys}): one node per packet holding its layers, a layer
 * that occurs twice (the outer and a tunnelled Ethernet) as an array. Needs tshark and the right
 * to capture (root, as in CI).
 */
public final class TsharkCapture implements AutoCloseable {
    private final Path file;
    private final Path log;
    private final Process process;

    private TsharkCapture(Path file, Path log, Process process) {
        this.file = file;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts capturing on lo and returns once tshark reports the capture started (dumpcap has its
     * filter set then; its earlier "Capturing on" line comes before packets are seen).
     */
    public static TsharkCapture start(Path dir, String filter, int packets) throws IOException {
        String tshark = Peers.require("tshark", "tshark");
        Path file = Files.createTempFile(dir, "capture", ".pcapng");
        Path log = Files.createTempFile(dir, "tshark", ".log");
        Process p = new ProcessBuilder(tshark, "-i", "lo", "-f", filter, "-c", Integer.toString(packets), "-w",
                file.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> !p.isAlive() || Files.readString(log).contains("Capture started"));
        if (!p.isAlive()) {
            throw new IllegalStateException("tshark did not start: " + Files.readString(log));
        }
        return new TsharkCapture(file, log, p);
    }

    /**
     * Waits (up to {@code timeout}) until tshark has its packets and exits, then decodes them with
     * {@code extra} tshark options (e.g. {@code -d udp.port==6344,sflow}). On a timeout the error
     * lists what tshark did see and {@code diagnosis} (the sender's counters).
     */
    public List<JsonNode> packets(Duration timeout, Supplier<String> diagnosis, String... extra) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
            Peers.Run seen = Peers.run(file.getParent(), 60, Peers.require("tshark", "tshark"), "-r", file.toString());
            throw new AssertionError("tshark did not see all expected packets in " + timeout + ": "
                    + Files.readString(log) + "\nit saw:\n" + seen.output() + "\nsender: " + diagnosis.get());
        }
        List<String> command = new ArrayList<>(List.of(Peers.require("tshark", "tshark"), "-r", file.toString(), "-T",
                "json", "-x", "--no-duplicate-keys"));
        command.addAll(List.of(extra));
        Peers.Run run = Peers.run(file.getParent(), 120, command.toArray(String[]::new));
        if (run.exitCode() != 0) {
            throw new AssertionError("tshark -r failed: " + run.output());
        }
        String out = run.output();
        JsonNode root = new ObjectMapper().readTree(out.substring(out.indexOf('[')));
        List<JsonNode> layers = new ArrayList<>();
        root.forEach(p -> layers.add(p.path("_source").path("layers")));
        return layers;
    }

    @Override
    public void close() {
        process.destroy();
    }
}
