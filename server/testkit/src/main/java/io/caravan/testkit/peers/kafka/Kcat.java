package io.caravan.testkit.peers.kafka;

import io.caravan.testkit.peers.Peers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads a topic with kcat (librdkafka, Debian package kcat): an independent consumer of what a
 * Caravan producer wrote. Each message comes with partition, offset, key and value bytes as kcat
 * saw them (decompressed by librdkafka).
 */
public final class Kcat {
    /** One message: key null when the record has none. */
    public record Message(int partition, long offset, byte[] key, byte[] value) {
        public String keyText() {
            return key == null ? null : new String(key, StandardCharsets.UTF_8);
        }
    }

    private Kcat() {
    }

    /**
     * Consumes {@code count} messages from the start of every partition of {@code topic} (waiting
     * up to {@code timeoutSeconds} for them, and for the topic to exist: producers create it on
     * their first send), then stops.
     */
    public static List<Message> consume(String bootstrap, String topic, int count, long timeoutSeconds, Path dir)
            throws IOException, InterruptedException {
        String kcat = Peers.require("kcat", "kcat");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            Path out = Files.createTempFile(dir, "kcat", ".out");
            Path err = Files.createTempFile(dir, "kcat", ".err");
            // A text header with the lengths, then the key and value bytes as they are: binary-safe.
            Process p = new ProcessBuilder(kcat, "-C", "-b", bootstrap, "-t", topic, "-o", "beginning", "-c",
                    String.valueOf(count), "-q", "-f", "%p %o %K %S\n%k%s").redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            long left = Math.max(0, deadline - System.nanoTime());
            if (!p.waitFor(left, TimeUnit.NANOSECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                List<Message> got = parse(Files.readAllBytes(out));
                throw new AssertionError("kcat read " + got.size() + " of " + count + " messages from " + topic
                        + " in " + timeoutSeconds + " s: " + Files.readString(err, StandardCharsets.UTF_8));
            }
            String error = Files.readString(err, StandardCharsets.UTF_8);
            if (p.exitValue() == 0) {
                return parse(Files.readAllBytes(out));
            }
            if (!error.contains("Unknown topic or partition") || System.nanoTime() > deadline) {
                throw new AssertionError("kcat failed: " + error);
            }
            TimeUnit.MILLISECONDS.sleep(250); // the topic does not exist yet; nothing to wait on but a retry
        }
    }

    static List<Message> parse(byte[] b) {
        List<Message> messages = new ArrayList<>();
        int p = 0;
        while (p < b.length) {
            int nl = p;
            while (b[nl] != '\n') {
                nl++;
            }
            String[] h = new String(b, p, nl - p, StandardCharsets.US_ASCII).split(" ");
            p = nl + 1;
            int keyLength = Integer.parseInt(h[2]);
            int valueLength = Integer.parseInt(h[3]);
            byte[] key = null;
            if (keyLength >= 0) {
                key = java.util.Arrays.copyOfRange(b, p, p + keyLength);
                p += keyLength;
            }
            byte[] value = java.util.Arrays.copyOfRange(b, p, p + Math.max(valueLength, 0));
            p += Math.max(valueLength, 0);
            messages.add(new Message(Integer.parseInt(h[0]), Long.parseLong(h[1]), key, value));
        }
        return messages;
    }

    /** The values, as one byte stream (for decoders that read a stream of messages). */
    public static byte[] values(List<Message> messages) {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        messages.forEach(m -> s.writeBytes(m.value()));
        return s.toByteArray();
    }
}
