package io.caravan.distribution;

import static io.caravan.testkit.CaravanProcess.writeAtomically;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.caravan.testkit.CaravanProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM with an aggregation still open: the batch is flushed to its sink and the process exits 0. */
class ShutdownIT {
    @TempDir
    Path dir;

    private CaravanProcess caravan;

    @AfterEach
    void stop() {
        caravan.close();
    }

    @Test
    void sigtermFlushesTheOpenBatchAndExitsZero() throws Exception {
        caravan = CaravanProcess.install(CaravanProcess.distributionZip(), dir);
        // A batch that would stay open for an hour: only shutdown can complete it.
        writeAtomically(caravan.routes().resolve("batch.yaml"), """
                - route:
                    id: batch
                    from:
                      uri: "file:{{caravan.data.dir}}/batch-in"
                      parameters: {include: ".*\\\\.jsonl", delete: true}
                      steps:
                        - to: stage:decode-json
                        - aggregate:
                            aggregationStrategy: "#flowBatchAggregator"
                            correlationExpression: {constant: all}
                            completionSize: 1000000
                            completionTimeout: 3600000
                            forceCompletionOnStop: true
                            steps:
                              - to: stage:encode-json
                              - to: "file:{{caravan.data.dir}}/batch-out?fileName=batch.jsonl"
                """);
        caravan.start();
        Path in = caravan.data().resolve("batch-in");
        Files.createDirectories(in);
        for (int i = 0; i < 3; i++) {
            writeAtomically(in.resolve("part-" + i + ".jsonl"),
                    "{\"type\":\"NETFLOW_V9\",\"src_addr\":\"10.0.0." + i + "\",\"bytes\":" + (100 + i) + "}\n");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> caravan.get("/admin/routes/batch").json()
                .get("exchangesCompleted").asLong() == 3);
        Path out = caravan.data().resolve("batch-out/batch.jsonl");
        assertThat(out).doesNotExist();

        int exit = caravan.terminate(Duration.ofSeconds(60));

        assertThat(exit).as(caravan.log()).isEqualTo(0);
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(3);
        assertThat(String.join("\n", lines)).contains("\"src_addr\":\"10.0.0.0\"", "\"src_addr\":\"10.0.0.1\"", "\"src_addr\":\"10.0.0.2\"");
        assertThat(caravan.log()).contains("Shutdown requested", "Caravan stopped");
    }
}
