package io.caravan.testkit.peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the Debian flow tools the interop tests compare Caravan with. CI installs them (.ci/run). */
public final class Peers {
    private Peers() {
    }

    /** The absolute path of a tool, or an AssertionError saying how to install it. */
    public static String require(String tool, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new AssertionError(tool + " is not installed: apt-get install " + debianPackage + " (.ci/run does)");
    }

    /** A finished command. */
    public record Run(int exitCode, String output) {
    }

    /** Runs a command to completion (bounded), output and error merged. */
    public static Run run(Path dir, long timeoutSeconds, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "peer", ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** A long-running peer (a collector), stopped with SIGTERM/SIGINT by {@link #stop}. */
    public static final class Daemon implements AutoCloseable {
        private final Process process;
        private final Path log;

        private Daemon(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        public static Daemon start(Path dir, String... command) throws IOException {
            Path log = Files.createTempFile(dir, "daemon", ".log");
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            return new Daemon(p, log);
        }

        public String log() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** Sends SIGTERM (Java's destroy) and waits for the process to finish writing. */
        public void stop() throws InterruptedException, IOException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("peer did not stop:\n" + log());
            }
        }

        /** Sends SIGINT (what pmacct daemons treat as "flush and exit"). */
        public void interrupt() throws IOException, InterruptedException {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("peer did not stop on SIGINT:\n" + log());
            }
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    /**
     * Bytes waiting in the receive queues of every UDP socket bound to {@code port} on this host
     * (Linux /proc/net/udp and udp6), or -1 if no socket is bound there. Zero means the peer has
     * read everything sent to it: the way to know a peer collector caught up without sleeping.
     */
    public static long udpReceiveQueue(int port) throws IOException {
        long total = -1;
        for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
            Path file = Path.of(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                String local = f[1];
                if (Integer.parseInt(local.substring(local.indexOf(':') + 1), 16) == port) {
                    total = Math.max(total, 0) + Long.parseLong(f[4].substring(f[4].indexOf(':') + 1), 16);
                }
            }
        }
        return total;
    }

    /** Splits CSV lines (no quoting: nfdump and pmacct print none for these fields). */
    public static List<String[]> csv(String text) {
        List<String[]> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                rows.add(line.trim().split(",", -1));
            }
        }
        return rows;
    }
}
