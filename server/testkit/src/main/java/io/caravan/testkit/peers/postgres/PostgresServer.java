package io.caravan.testkit.peers.postgres;

import io.caravan.testkit.peers.Peers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * A real PostgreSQL server from Debian's {@code postgresql} package, in a directory of its own on a
 * free loopback port: initdb, start, stop and start again on the same port and data (for outage
 * tests). Password authentication over TCP (scram-sha-256) for {@link #USER}/{@link #PASSWORD}, so
 * a wrong password really fails. PostgreSQL refuses to run as root; as root the server runs as the
 * {@code postgres} system user the package creates.
 */
public final class PostgresServer implements AutoCloseable {
    public static final String USER = "caravan";
    public static final String PASSWORD = "caravan-test-pw";
    public static final String DATABASE = "postgres";

    private final Path bin;
    private final Path home;
    private final int port;
    private final boolean asPostgresUser;
    private Peers.Daemon daemon;

    private PostgresServer(Path bin, Path home, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.home = home;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** initdb in a new directory under {@code parent} and start the server; AssertionError when PostgreSQL is not installed. */
    public static PostgresServer start(Path parent) throws IOException, InterruptedException {
        Path bin = binDir();
        boolean root = "root".equals(System.getProperty("user.name"));
        // The postgres user must be able to reach its directory: JUnit's @TempDir (and so any
        // directory under it) is 0700 and root's, so let others pass through the ancestors.
        if (root) {
            letOthersTraverse(parent.toAbsolutePath());
        }
        Path home = Files.createTempDirectory(parent, "pg");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path pw = home.resolve("pw");
        Files.writeString(pw, PASSWORD + "\n", StandardCharsets.UTF_8);
        Files.createDirectories(home.resolve("run"));
        if (root) {
            Peers.run(home, 30, "chown", "-R", "postgres", home.toString());
        }
        PostgresServer server = new PostgresServer(bin, home, freePort(), root);
        Peers.Run init = Peers.run(home, 120, server.command(bin.resolve("initdb").toString(), "-D",
                home.resolve("data").toString(), "-U", USER, "--pwfile=" + pw, "--auth-local=trust",
                "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync"));
        if (init.exitCode() != 0) {
            throw new AssertionError("initdb failed:\n" + init.output());
        }
        server.start();
        return server;
    }

    private static void letOthersTraverse(Path dir) throws IOException {
        for (Path d = dir; d != null && d.getParent() != null; d = d.getParent()) {
            var perms = Files.getPosixFilePermissions(d);
            if (!perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
                Files.setPosixFilePermissions(d, perms);
            }
        }
    }

    /** The newest installed server's bin directory. */
    static Path binDir() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                var newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(v -> parseVersion(v.getFileName().toString())));
                if (newest.isPresent()) {
                    return newest.get().resolve("bin");
                }
            }
        }
        throw new AssertionError("PostgreSQL is not installed: apt-get install postgresql (.ci/run does)");
    }

    private static int parseVersion(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private String[] command(String... args) {
        List<String> c = new ArrayList<>();
        if (asPostgresUser) {
            c.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        c.addAll(List.of(args));
        return c.toArray(String[]::new);
    }

    /** Starts the server (again) on its port and waits until it accepts connections. */
    public synchronized void start() throws IOException {
        if (daemon != null && daemon.isAlive()) {
            return;
        }
        daemon = Peers.Daemon.start(home, command(bin.resolve("postgres").toString(), "-D", home.resolve("data").toString(),
                "-p", Integer.toString(port), "-k", home.resolve("run").toString(), "-c", "listen_addresses=127.0.0.1",
                "-c", "fsync=off", "-c", "shared_buffers=16MB", "-c", "max_connections=40"));
        Awaitility.await("PostgreSQL on port " + port).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!daemon.isAlive()) {
                        throw new AssertionError("postgres exited:\n" + daemon.log());
                    }
                    return Peers.run(home, 10, bin.resolve("pg_isready").toString(), "-h", "127.0.0.1", "-p",
                            Integer.toString(port)).exitCode() == 0;
                });
    }

    /** Stops the server (pg_ctl's fast shutdown), keeping its data, so {@link #start} brings it back. */
    public synchronized void stop() throws IOException, InterruptedException {
        if (daemon != null && daemon.isAlive()) {
            Peers.Run r = Peers.run(home, 60, command(bin.resolve("pg_ctl").toString(), "stop", "-D",
                    home.resolve("data").toString(), "-m", "fast", "-w"));
            if (r.exitCode() != 0) {
                throw new AssertionError("pg_ctl stop failed:\n" + r.output() + "\n" + daemon.log());
            }
            daemon.stop();
        }
    }

    public int port() {
        return port;
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/postgres} */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    /** Runs SQL with psql as the test user and returns its unaligned, tuples-only output. */
    public String psql(String sql) throws IOException, InterruptedException {
        Peers.Run r = Peers.run(home, 60, bin.resolve("psql").toString(), "-h", home.resolve("run").toString(), "-p",
                Integer.toString(port), "-U", USER, "-d", DATABASE, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql);
        if (r.exitCode() != 0) {
            throw new AssertionError("psql failed: " + sql + "\n" + r.output());
        }
        return r.output().strip();
    }

    public String log() throws IOException {
        return daemon == null ? "" : daemon.log();
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (daemon != null) {
                daemon.close();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
