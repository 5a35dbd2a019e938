package io.caravan.skydive.write;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WritersTest {
    @TempDir
    Path dir;

    private static StoredObject object(String key, String content) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("first-timestamp", "1");
        meta.put("last-timestamp", "2");
        meta.put("num-records", "1");
        return new StoredObject("bucket", key, content.getBytes(UTF_8), "application/json", null, meta, 1);
    }

    @Test
    void stdoutPrintsTheBucketAndKeyThenTheContent() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StdoutWriter w = new StdoutWriter(new PrintStream(bytes, true, UTF_8));

        w.write(object("logs/egress/20231114T221320Z/00000000.json", "[{\"a\":1}]"));

        assertThat(bytes.toString(UTF_8))
                .isEqualTo("--- bucket/logs/egress/20231114T221320Z/00000000.json ---\n[{\"a\":1}]\n");
    }

    @Test
    void filesGoUnderBucketAndKeyWithTheirMetadataBesideAndNoTemporaryFileLeft() throws Exception {
        FileObjectWriter w = new FileObjectWriter(dir);
        w.start();

        w.write(object("logs/egress/20231114T221320Z/00000000.json", "[1]"));
        w.write(object("logs/egress/20231114T221320Z/00000000.json", "[2]"));

        Path file = dir.resolve("bucket/logs/egress/20231114T221320Z/00000000.json");
        assertThat(Files.readString(file)).isEqualTo("[2]");
        JsonNode meta = new ObjectMapper().readTree(file.resolveSibling("00000000.json.meta.json").toFile());
        assertThat(meta.get("content-type").asText()).isEqualTo("application/json");
        assertThat(meta.get("content-encoding").isNull()).isTrue();
        assertThat(meta.get("metadata").get("num-records").asText()).isEqualTo("1");
        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("00000000.json", "00000000.json.meta.json");
        }
    }

    @Test
    void aKeyThatWouldLeaveTheDirectoryIsRefused() throws Exception {
        FileObjectWriter w = new FileObjectWriter(dir);
        w.start();

        assertThatThrownBy(() -> w.write(object("../../etc/x", "[]"))).isInstanceOf(IOException.class)
                .hasMessageContaining("would leave");
    }

    @Test
    void s3TargetsNameTheBucketAndNeverPrintKeys() {
        S3Target t = new S3Target("http://127.0.0.1:9000", "local", "bucket", "user", "p&ss", "", IbmIamTokens.DEFAULT_ENDPOINT, false,
                ChecksumMode.WHEN_REQUIRED);

        assertThat(t.camelUri()).isEqualTo("aws2-s3://bucket?autoCreateBucket=false");
        assertThat(t.toString()).isEqualTo("s3 http://127.0.0.1:9000 bucket bucket");
    }

    @Test
    void s3TargetsRefuseAnApiKeyWithHmacKeysOrWithoutAnEndpointHalfAPairOfKeysAndABadEndpoint() {
        String iam = IbmIamTokens.DEFAULT_ENDPOINT;
        ChecksumMode c = ChecksumMode.WHEN_REQUIRED;
        assertThatThrownBy(() -> new S3Target("http://cos", "r", "b", "user", "pw", "iam-key", iam, false, c))
                .hasMessageContaining("not both").hasMessageNotContaining("iam-key");
        assertThatThrownBy(() -> new S3Target("", "r", "b", "", "", "iam-key", iam, false, c))
                .hasMessageContaining("set s3Endpoint to the COS endpoint");
        assertThatThrownBy(() -> new S3Target("http://cos", "r", "b", "", "", "iam-key", "iam", false, c))
                .hasMessageContaining("iamEndpoint must be an http:// or https:// URL");
        assertThatThrownBy(() -> new S3Target("", "r", "b", "user", "", "", iam, false, c))
                .hasMessageContaining("both accessKey and secretKey");
        assertThatThrownBy(() -> new S3Target("ftp://x", "r", "b", "", "", "", iam, false, c))
                .hasMessageContaining("http:// or https://");
        assertThat(new S3Target("http://cos", "r", "b", "", "", "iam-key", iam, false, c).toString())
                .isEqualTo("s3 http://cos bucket b (IBM IAM)");
    }
}
