package io.caravan.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.testkit.CaravanProcess;
import io.caravan.testkit.peers.postgres.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * routes/export-postgres.yaml from the unzipped distribution against a real PostgreSQL server: off
 * without caravan.postgres.url; with it, every collected flow lands in the table, also when the
 * database is down while flows arrive and the server is stopped before it comes back.
 */
class PostgresExportIT {
    @TempDir
    Path dir;

    private static CaravanProcess install(Path dir, PostgresServer pg) throws Exception {
        CaravanProcess caravan = CaravanProcess.install(CaravanProcess.distributionZip(), dir.resolve("caravan"));
        if (pg != null) {
            caravan.config("caravan.postgres.url", pg.jdbcUrl()).config("caravan.postgres.user", PostgresServer.USER)
                    .config("caravan.postgres.password", PostgresServer.PASSWORD)
                    .config("caravan.postgres.flush.interval", "200ms");
        }
        return caravan;
    }

    private static void generate(CaravanProcess caravan, int datagrams, int records) throws Exception {
        CaravanProcess.Result sent = caravan.command("generate", "-p", "ipfix", "-t", "127.0.0.1:"
                + caravan.collectPort("ipfix"), "-r", "2000", "-n", Integer.toString(datagrams), "-e", "2", "--records",
                Integer.toString(records));
        assertThat(sent.exitCode()).as(sent.output()).isZero();
    }

    @Test
    void offWithoutAUrlAndSaysSo() throws Exception {
        try (CaravanProcess caravan = install(dir, null).start()) {
            JsonNode file = null;
            for (JsonNode f : caravan.get("/admin/files").json()) {
                if (f.get("file").asText().equals("export-postgres.yaml")) {
                    file = f;
                }
            }
            assertThat(file).as("export-postgres.yaml in /admin/files").isNotNull();
            assertThat(file.get("status").asText()).isEqualTo("ACTIVE");
            assertThat(file.get("off").has("export-postgres")).isTrue();
            assertThat(caravan.get("/health/ready").json().get("status").asText()).isEqualTo("UP");
        }
    }

    @Test
    void everyCollectedFlowLandsInTheTableAcrossAnOutageAndARestart() throws Exception {
        Files.createDirectories(dir.resolve("pg"));
        try (PostgresServer pg = PostgresServer.start(dir.resolve("pg"))) {
            try (CaravanProcess caravan = install(dir, pg)) {
                caravan.start();
                generate(caravan, 200, 5);
                await().atMost(Duration.ofSeconds(60)).until(() -> count(pg) == 1000);
                assertThat(pg.psql("SELECT count(DISTINCT sampler_address), min(type), max(type) FROM flows"))
                        .isEqualTo("2|IPFIX|IPFIX");
                assertThat(pg.psql("SELECT count(*) FROM flows WHERE src_addr IS NULL OR bytes <= 0 OR packets <= 0"))
                        .isEqualTo("0");

                // The database goes away; flows keep arriving; the server stops before it is back.
                pg.stop();
                generate(caravan, 100, 5);
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> metric(caravan, "caravan_postgres_records_spooled_total") >= 500);
                assertThat(caravan.terminate(Duration.ofSeconds(60))).isZero();

                // Back up: the same install starts again and sends what it spooled.
                pg.start();
                caravan.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> count(pg) == 1500);
                Path spool = caravan.data().resolve("postgres/spool/flows");
                await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(spool.resolve("pending.copy"))
                        && !Files.exists(spool.resolve("sending.copy")));
                assertThat(count(pg)).as("each spooled row sent once").isEqualTo(1500);
            }
        }
    }

    /** Rows in flows; 0 until the sink has created the table. */
    private static long count(PostgresServer pg) throws Exception {
        if (!"t".equals(pg.psql("SELECT to_regclass('flows') IS NOT NULL"))) {
            return 0;
        }
        return Long.parseLong(pg.psql("SELECT count(*) FROM flows"));
    }

    private static double metric(CaravanProcess caravan, String name) throws Exception {
        double total = 0;
        for (String line : caravan.get("/metrics").body().lines().toList()) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }
}
