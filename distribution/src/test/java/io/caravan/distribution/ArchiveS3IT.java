package io.caravan.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.caravan.testkit.CaravanProcess;
import io.caravan.testkit.peers.s3.S3Server;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * routes/archive-s3.yaml from the unzipped distribution against a real S3 server (S3Proxy): every
 * rotated flow file lands under logs/<protocol>/<yyyy>/<MM>/<dd>/<file> and is deleted locally
 * only then; while S3 is away the files wait on disk and go up when it is back.
 */
class ArchiveS3IT {
    private static final String BUCKET = "flows";

    @TempDir
    Path dir;

    @Test
    void everyRotatedFileIsUploadedOnceAndDeletedOnlyAfterwards() throws Exception {
        try (S3Server s3 = S3Server.filesystemStore(Files.createDirectories(dir.resolve("s3")));
             CaravanProcess caravan = CaravanProcess.install(CaravanProcess.distributionZip(), dir.resolve("caravan"))) {
            s3.createBucket(BUCKET);
            caravan.config("caravan.archive.s3", "true").config("caravan.archive.s3.poll.ms", "200")
                    .config("caravan.collect.rotate.seconds", "1")
                    .config("caravan.s3.endpoint", s3.endpoint().toString()).config("caravan.s3.bucket", BUCKET)
                    .config("caravan.s3.access.key", s3.accessKey()).config("caravan.s3.secret.key", s3.secretKey())
                    .config("caravan.s3.checksums", "when_required");
            caravan.start();

            generate(caravan, 200);
            await().atMost(Duration.ofSeconds(60)).until(() -> uploadedLines(s3) == 1000);
            List<String> keys = s3.list(BUCKET);
            assertThat(keys).allMatch(k -> k.matches("logs/ipfix/\\d{4}/\\d{2}/\\d{2}/ipfix-\\d{8}-\\d{6}-\\d+\\.json"), "key layout");
            await().atMost(Duration.ofSeconds(30)).until(() -> finishedLocalFiles(caravan).isEmpty());

            // S3 goes away: rotated files wait on disk, nothing is deleted, nothing lost.
            s3.stop();
            generate(caravan, 100);
            await().atMost(Duration.ofSeconds(30)).until(() -> !finishedLocalFiles(caravan).isEmpty());
            assertThat(uploadedLines(s3)).isEqualTo(1000);
            s3.start();
            await().atMost(Duration.ofSeconds(90)).until(() -> uploadedLines(s3) == 1500);
            await().atMost(Duration.ofSeconds(30)).until(() -> finishedLocalFiles(caravan).isEmpty());
            assertThat(caravan.isAlive()).isTrue();
        }
    }

    private static void generate(CaravanProcess caravan, int datagrams) throws Exception {
        CaravanProcess.Result sent = caravan.command("generate", "-p", "ipfix", "-t", "127.0.0.1:"
                + caravan.collectPort("ipfix"), "-r", "2000", "-n", Integer.toString(datagrams), "-e", "2", "--records", "5");
        assertThat(sent.exitCode()).as(sent.output()).isZero();
    }

    private static long uploadedLines(S3Server s3) {
        // An object listed while its upload is still being stored may not be readable yet: not counted this time.
        return s3.list(BUCKET).stream().map(k -> s3.get(BUCKET, k)).filter(java.util.Objects::nonNull)
                .mapToLong(o -> new String(o.data(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).count())
                .sum();
    }

    private static List<Path> finishedLocalFiles(CaravanProcess caravan) throws Exception {
        Path flows = caravan.data().resolve("flows/ipfix");
        if (!Files.isDirectory(flows)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(flows)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
        }
    }
}
