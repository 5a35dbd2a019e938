package io.caravan.testkit.peers.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3ServerTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The HTTP status of an unsigned GET of the service, or -1 when nothing listens. */
    private int status(S3Server s3) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(s3.endpoint().resolve("/")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (ConnectException e) {
            return -1;
        } catch (IOException e) {
            return -2;
        }
    }

    @Test
    void itServesS3OnItsPortRefusesUnsignedRequestsAndKeepsObjectsAcrossAnOutage() throws Exception {
        try (S3Server s3 = S3Server.transientStore()) {
            assertThat(s3.endpoint().toString()).isEqualTo("http://127.0.0.1:" + s3.port());
            assertThat(status(s3)).isEqualTo(403);
            s3.createBucket("b");
            s3.put("b", "k/1.json", "{}".getBytes());

            s3.unavailableFor(Duration.ofMillis(500));
            assertThat(s3.running()).isFalse();
            assertThat(status(s3)).isEqualTo(-1);

            await().atMost(Duration.ofSeconds(20)).until(() -> status(s3) == 403);
            assertThat(s3.running()).isTrue();
            assertThat(s3.list("b")).containsExactly("k/1.json");
            assertThat(s3.get("b", "k/1.json").data()).isEqualTo("{}".getBytes());
            assertThat(s3.get("b", "missing")).isNull();
        }
    }

    @Test
    void aFilesystemStoreKeepsBucketsAsDirectories(@TempDir Path dir) throws Exception {
        try (S3Server s3 = S3Server.filesystemStore(dir)) {
            s3.createBucket("b");
            s3.stop();
            s3.start();
            assertThat(status(s3)).isEqualTo(403);
        }
        assertThat(dir.resolve("b")).isDirectory();
    }

    @Test
    void awsChunkedIsNotAContentEncodingOfTheObject() {
        assertThat(S3Server.contentEncoding("aws-chunked")).isNull();
        assertThat(S3Server.contentEncoding("gzip,aws-chunked")).isEqualTo("gzip");
        assertThat(S3Server.contentEncoding(null)).isNull();
    }
}
