package io.caravan.erspan;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testkit.peers.Peers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * tshark capturing GRE on loopback ({@code -i lo -f 'ip proto 47'}), stopping by itself after the
 * expected number of packets ({@code -c}); then the capture decoded by tshark as JSON, one node
 * per packet with its layers (duplicate layers, such as the outer and the mirrored Ethernet, as
 * arrays). Needs tshark and the right to capture (root here, as in CI).
 */
final class GreCapture implements AutoCloseable {
    private final Path file;
    private final Path log;
    private final Process process;

    private GreCapture(Path dir, Process process) {
        this.file = dir.resolve("gre.pcapng");
        this.log = dir.resolve("tshark.log");
        this.process = process;
    }

    /** Starts capturing and returns once tshark reports the capture started (dumpcap has its filter set; "Capturing on" comes earlier, before packets are seen). */
    static GreCapture start(Path dir, int packets) throws IOException {
        String tshark = Peers.require("tshark", "tshark");
        Path file = dir.resolve("gre.pcapng");
        Path log = dir.resolve("tshark.log");
        Process p = new ProcessBuilder(tshark, "-i", "lo", "-f", "ip proto 47", "-c", Integer.toString(packets), "-w",
                file.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        GreCapture c = new GreCapture(dir, p);
        await().atMost(Duration.ofSeconds(30)).until(() -> !p.isAlive() || Files.readString(log).contains("Capture started"));
        if (!p.isAlive()) {
            throw new IllegalStateException("tshark did not start: " + Files.readString(log));
        }
        return c;
    }

    /** Waits until tshark has its packets and exits, then decodes them. */
    List<JsonNode> packets(Supplier<String> diagnosis) throws Exception {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
            Peers.Run seen = Peers.run(file.getParent(), 60, Peers.require("tshark", "tshark"), "-r", file.toString());
            throw new AssertionError("tshark did not see all expected GRE packets in 30 s: " + Files.readString(log)
                    + "\nit saw:\n" + seen.output() + "\nsender: " + diagnosis.get());
        }
        Peers.Run run = Peers.run(file.getParent(), 60, Peers.require("tshark", "tshark"), "-r", file.toString(),
                "-T", "json", "-x", "--no-duplicate-keys");
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
