package io.caravan.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.testkit.CaravanProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default collectors publish what they decode on {@code bus:flows}: a route in a routes file of
 * its own receives every record, and a slow one overflows, counted, without costing the collector
 * or the fast subscriber a record.
 */
class BusIT {
    private static final int DATAGRAMS = 300;
    private static final int RECORDS = 5;
    private static final String SUBSCRIBERS = """
            - route:
                id: bus-fast
                from:
                  uri: "bus:flows?subscriber=fast"
                  steps:
                    - to: stage:encode?format=json
                    - to: "flowfile:{{caravan.data.dir}}/bus-fast?prefix=fast&rotateSeconds=1"
            - route:
                id: bus-slow
                from:
                  uri: "bus:flows?subscriber=slow&capacity=10"
                  steps:
                    - delay:
                        expression:
                          constant: 100
            """;

    @TempDir
    Path dir;

    @Test
    void aRouteConsumingBusFlowsGetsEveryCollectedRecordAndASlowOneOverflowsCounted() throws Exception {
        CaravanProcess caravan = CaravanProcess.install(CaravanProcess.distributionZip(), dir);
        caravan.config("caravan.collect.rotate.seconds", "1");
        CaravanProcess.writeAtomically(caravan.routes().resolve("bus-subscribers.yaml"), SUBSCRIBERS);
        try (caravan) {
            caravan.start();
            assertThat(caravan.get("/admin/routes").body()).as("routes").contains("bus-fast", "bus-slow");
            CaravanProcess.Result sent = caravan.command("generate", "-p", "ipfix", "-t",
                    "127.0.0.1:" + caravan.collectPort("ipfix"), "-r", "2000", "-n", Integer.toString(DATAGRAMS), "-e", "3",
                    "--records", Integer.toString(RECORDS));
            assertThat(sent.exitCode()).as(sent.output()).isZero();
            int total = DATAGRAMS * RECORDS;

            await().atMost(Duration.ofSeconds(30)).until(() -> lines(caravan.data().resolve("bus-fast")) >= total);
            assertThat(lines(caravan.data().resolve("bus-fast"))).isEqualTo(total);
            // The collector's own files are complete too: the bus took nothing from them.
            await().atMost(Duration.ofSeconds(30)).until(() -> lines(caravan.data().resolve("flows/ipfix")) >= total);
            assertThat(lines(caravan.data().resolve("flows/ipfix"))).isEqualTo(total);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                String m = caravan.get("/metrics").body();
                assertThat(total(m, "caravan_bus_records_out_total", "subscriber=\"fast\"")).isEqualTo(total);
                assertThat(total(m, "caravan_bus_bytes_out_total", "subscriber=\"fast\"")).isPositive();
                assertThat(total(m, "caravan_bus_overflow_total", "subscriber=\"fast\"")).isZero();
                long in = total(m, "caravan_bus_records_in_total", "subscriber=\"slow\"");
                long overflow = total(m, "caravan_bus_overflow_total", "subscriber=\"slow\"");
                assertThat(overflow).as("slow subscriber overflow").isPositive();
                assertThat(in + overflow).as("accepted %d + overflow %d", in, overflow).isEqualTo(total);
                assertThat(total(m, "caravan_bus_records_out_total", "subscriber=\"slow\"")).isEqualTo(in);
            });

            JsonNode sinks = caravan.get("/admin/sinks").json();
            assertThat(sinks).hasSize(2);
            for (JsonNode row : sinks) {
                assertThat(row.get("component").asText()).isEqualTo("bus");
                assertThat(row.get("topic").asText()).isEqualTo("flows");
                assertThat(row.get("running").asBoolean()).isTrue();
                if (row.get("subscriber").asText().equals("slow")) {
                    assertThat(row.get("capacity").asInt()).isEqualTo(10);
                    assertThat(row.get("overflow").asLong()).isPositive();
                } else {
                    assertThat(row.get("recordsOut").asLong()).isEqualTo(total);
                }
            }
        }
    }

    private static long lines(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        long n = 0;
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : files.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                n += Files.readAllLines(f, StandardCharsets.UTF_8).size();
            }
        }
        return n;
    }

    /** Sum of a metric's series whose labels contain {@code labelText}. */
    private static long total(String metrics, String name, String labelText) {
        Matcher m = Pattern.compile("^" + name + "(\\{([^}]*)})? ([0-9.eE+]+)$", Pattern.MULTILINE).matcher(metrics);
        double total = 0;
        while (m.find()) {
            if (m.group(2) != null && m.group(2).contains(labelText)) {
                total += Double.parseDouble(m.group(3));
            }
        }
        return (long) total;
    }
}
