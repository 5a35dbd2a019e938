package io.caravan.pipeline.flowfile;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.caravan.api.stage.OptionException;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The component in a real CamelContext, fed from {@code direct:in}. */
class FlowFileComponentTest {
    private static final Pattern IN_PROGRESS = Pattern.compile("\\.flows-\\d{8}-\\d{6}-\\d{4}\\.jsonl\\.inprogress");

    @TempDir
    Path dir;

    private final CamelContext camel = new DefaultCamelContext();
    /** 2023-11-14T22:13:20Z. */
    private final SettableClock clock = new SettableClock(1_700_000_000_000L);
    private final RecordingStageContext context = RecordingStageContext.of("flowfile", clock);
    private ProducerTemplate template;

    @BeforeEach
    void addTheComponentAsTheRuntimeDoes() {
        camel.addComponent(FlowFileConstants.SCHEME,
                new FlowFileComponentProvider().create(context));
    }

    @AfterEach
    void closeCamel() throws Exception {
        camel.close();
    }

    @Test
    void aFileIsWrittenInProgressAndRenamedWhenTheNextBodyWouldTakeItPastRotateBytes() throws Exception {
        FlowFileEndpoint endpoint = start(dir, "rotateBytes=100");

        for (int i = 0; i < 5; i++) {
            send(body(i, 40));
        }

        assertThat(finalFiles(dir)).hasSize(2).allSatisfy(f -> assertThat(Files.size(f)).isEqualTo(80));
        assertThat(inProgress(dir)).singleElement().satisfies(f -> {
            assertThat(f.getFileName().toString()).matches(IN_PROGRESS);
            assertThat(Files.size(f)).as("its body is still in the buffer").isZero();
        });
        assertThat(endpoint.getFilesClosed()).isEqualTo(2);
        assertThat(endpoint.getBytesWritten()).as("bytes written, not yet those buffered").isEqualTo(160);
        Map<String, String> labels = Map.of(FlowFileConstants.TAG_ENDPOINT, "flowfile:" + dir);
        assertThat(context.counter(FlowFileConstants.METER_FILES, labels)).hasValue(2L);
        assertThat(context.counter(FlowFileConstants.METER_BYTES, labels)).hasValue(160L);
        assertThat(context.counter(FlowFileConstants.METER_WRITE_ERRORS, labels)).as("the series exists at 0")
                .hasValue(0L);

        camel.stop();

        assertThat(finalFiles(dir)).extracting(f -> f.getFileName().toString()).as("named by the context's clock")
                .containsExactly("flows-20231114-221320-0001.jsonl", "flows-20231114-221320-0002.jsonl",
                        "flows-20231114-221320-0003.jsonl");
        assertThat(inProgress(dir)).isEmpty();
        assertThat(concatenated(dir)).isEqualTo(body(0, 40) + body(1, 40) + body(2, 40) + body(3, 40) + body(4, 40));
        assertThat(endpoint.getBytesWritten()).isEqualTo(200);
    }

    @Test
    void withWriteThroughEachBodyIsOnDiskWhenItsExchangeCompletes() throws Exception {
        start(dir, "bufferSize=0");

        send(body(0, 40));

        assertThat(inProgress(dir)).singleElement().satisfies(f -> assertThat(Files.size(f)).isEqualTo(40));
    }

    @Test
    void aBufferedBodyReachesTheFileWithinAboutFlushMillisAlsoWhenNothingElseArrives() throws Exception {
        start(dir, "flushMillis=200");

        send(body(0, 40));

        await().atMost(Duration.ofSeconds(2)).until(() -> inProgress(dir).size() == 1
                && Files.size(inProgress(dir).get(0)) == 40);
        assertThat(finalFiles(dir)).as("written, not rotated").isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource({"'', 250", "flushMillis=100, 25", "flushMillis=1, 1", "bufferSize=0, 1000",
            "rotateSeconds=1&flushMillis=5000, 250", "rotateSeconds=1&bufferSize=0, 250"})
    void theScheduledCheckRunsOftenEnoughForRotateSecondsAndFlushMillis(String options, long periodMillis) {
        FlowFileEndpoint endpoint = camel.getEndpoint("flowfile:" + dir + (options.isEmpty() ? "" : "?" + options),
                FlowFileEndpoint.class);

        assertThat(FlowFileEndpoint.checkPeriodMillis(endpoint.getConfiguration())).isEqualTo(periodMillis);
    }

    @Test
    void aBodyLargerThanRotateBytesGetsAFileOfItsOwn() throws Exception {
        start(dir, "rotateBytes=100");

        send(body(0, 30));
        send(body(1, 150));
        send(body(2, 30));
        camel.stop();

        assertThat(finalFiles(dir)).extracting(Files::size).containsExactly(30L, 150L, 30L);
    }

    @Test
    void aFileIsClosedRotateSecondsAfterItWasOpenedAlsoWhenNothingElseArrives() throws Exception {
        FlowFileEndpoint endpoint = start(dir, "rotateSeconds=1");

        send(body(0, 20));

        await().atMost(Duration.ofSeconds(5)).until(() -> finalFiles(dir).size() == 1 && inProgress(dir).isEmpty());
        assertThat(endpoint.getFilesClosed()).isEqualTo(1);
        assertThat(concatenated(dir)).isEqualTo(body(0, 20));

        send(body(1, 20));

        assertThat(inProgress(dir)).as("the next body opens the next file").hasSize(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> finalFiles(dir).size() == 2 && inProgress(dir).isEmpty());
    }

    @Test
    void stoppingClosesAndRenamesTheCurrentFile() throws Exception {
        start(dir, "");
        send(body(0, 50));

        assertThat(finalFiles(dir)).isEmpty();
        assertThat(inProgress(dir)).hasSize(1);

        camel.stop();

        assertThat(inProgress(dir)).isEmpty();
        assertThat(finalFiles(dir)).singleElement().satisfies(f -> assertThat(Files.readString(f)).isEqualTo(body(0, 50)));
    }

    @Test
    void gzipWritesOneMemberPerBodyThatReadsBackAsOneStream() throws Exception {
        FlowFileEndpoint endpoint = start(dir, "compression=gzip&suffix=.pb");
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }

        template.sendBody("direct:in", body(0, 500).getBytes(UTF_8));
        template.sendBody("direct:in", binary);
        template.sendBody("direct:in", body(2, 10).getBytes(UTF_8));
        camel.stop();

        Path file = finalFiles(dir).get(0);
        assertThat(finalFiles(dir)).hasSize(1);
        assertThat(file.getFileName().toString()).matches("flows-\\d{8}-\\d{6}-0001\\.pb\\.gz");
        assertThat(Files.size(file)).isEqualTo(endpoint.getBytesWritten());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(body(0, 500).getBytes(UTF_8));
        expected.write(binary);
        expected.write(body(2, 10).getBytes(UTF_8));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            assertThat(in.readAllBytes()).isEqualTo(expected.toByteArray());
        }
    }

    @Test
    void zstdWritesOneFramePerBodyThatReadsBackAsOneStream() throws Exception {
        FlowFileEndpoint endpoint = start(dir, "compression=zstd");

        template.sendBody("direct:in", body(0, 500).getBytes(UTF_8));
        template.sendBody("direct:in", body(2, 10).getBytes(UTF_8));
        camel.stop();

        Path file = finalFiles(dir).get(0);
        assertThat(file.getFileName().toString()).matches("flows-\\d{8}-\\d{6}-0001\\.jsonl\\.zst");
        assertThat(Files.size(file)).isEqualTo(endpoint.getBytesWritten()).isLessThan(body(0, 500).length() / 4);
        try (InputStream in = new com.github.luben.zstd.ZstdInputStream(Files.newInputStream(file))) {
            assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo(body(0, 500) + body(2, 10));
        }
    }

    @Test
    void concurrentWritersProduceWholeBodiesNeverInterleaved() throws Exception {
        start(dir, "rotateBytes=8192");
        int threads = 8;
        int perThread = 250;
        Map<String, Integer> lengths = new HashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<String> bodies = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    String id = "w" + t + "-" + i;
                    int xs = ThreadLocalRandom.current().nextInt(0, 400);
                    lengths.put(id, xs);
                    bodies.add(id + ":" + "x".repeat(xs) + "\n");
                }
                done.add(pool.submit(() -> bodies.forEach(this::send)));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        camel.stop();

        Map<String, Integer> seen = new HashMap<>();
        for (Path f : finalFiles(dir)) {
            String text = Files.readString(f);
            assertThat(text).as("%s ends with a whole body", f.getFileName()).endsWith("\n");
            assertThat(Files.size(f)).isLessThanOrEqualTo(8192);
            for (String line : text.split("\n")) {
                Matcher m = Pattern.compile("(w\\d+-\\d+):(x*)").matcher(line);
                assertThat(m.matches()).as("line '%s'", line).isTrue();
                assertThat(seen.put(m.group(1), m.group(2).length())).as("%s seen once", m.group(1)).isNull();
            }
        }
        assertThat(seen).isEqualTo(lengths);
        assertThat(inProgress(dir)).isEmpty();
    }

    @Test
    void aFailedWriteFailsTheExchangeAndTheEndpointRecoversOnceTheConditionClears() throws Exception {
        Path blocker = Files.writeString(dir.resolve("blocked"), "a file where the directory should be");
        FlowFileEndpoint endpoint = start(blocker.resolve("out"), "");

        assertThatThrownBy(() -> send(body(0, 10)))
                .isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOf(IOException.class)
                .hasMessageStartingWith("flowfile:" + blocker.resolve("out") + ": cannot open a new file in "
                        + blocker.resolve("out"));
        assertThat(endpoint.getWriteErrors()).isEqualTo(1);
        assertThat(context.counter(FlowFileConstants.METER_WRITE_ERRORS,
                Map.of(FlowFileConstants.TAG_ENDPOINT, "flowfile:" + blocker.resolve("out")))).hasValue(1L);

        Files.delete(blocker);
        send(body(1, 10));
        camel.stop();

        assertThat(concatenated(blocker.resolve("out"))).isEqualTo(body(1, 10));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "rotateSecs=5 | component 'flowfile': unknown option 'rotateSecs'; valid options: prefix, suffix,"
                    + " rotateSeconds, rotateBytes, compression, fsync, bufferSize, flushMillis, format, attributes, omitZero",
            "bufferSize=67108865 | component 'flowfile': option 'bufferSize' must be 0 to 64MiB; got '67108865'",
            "flushMillis=0 | component 'flowfile': option 'flushMillis' must be 1 to 600000; got '0'",
            "rotateSeconds=soon | component 'flowfile': option 'rotateSeconds' expects integer; got 'soon'",
            "rotateSeconds=0 | component 'flowfile': option 'rotateSeconds' must be 1 to 86400; got '0'",
            "rotateSeconds=86401 | component 'flowfile': option 'rotateSeconds' must be 1 to 86400; got '86401'",
            "rotateBytes=0 | component 'flowfile': option 'rotateBytes' must be >= 1; got '0'",
            "compression=bzip2 | component 'flowfile': option 'compression' must be one of none, gzip, zstd; got 'bzip2'",
            "prefix=a/b | component 'flowfile': option 'prefix' must be a non-empty file name part that starts with"
                    + " no '.' and has no '/'; got 'a/b'",
            "prefix=.hidden | component 'flowfile': option 'prefix' must be a non-empty file name part that starts"
                    + " with no '.' and has no '/'; got '.hidden'",
            "suffix=/x | component 'flowfile': option 'suffix' must have no '/'; got '/x'"})
    void aBadOptionFailsTheEndpointWithAMessageNamingTheComponentAndTheOption(String option, String message) {
        assertThatThrownBy(() -> camel.getEndpoint("flowfile:" + dir + "?" + option))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .rootCause().isInstanceOf(OptionException.class).hasMessage(message);
    }

    @Test
    void itIsWriteOnly() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("flowfile:" + dir).to("direct:never");
            }
        });

        assertThatThrownBy(camel::start).rootCause()
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageStartingWith("flowfile: is write-only");
    }

    @Test
    void optionsBindAndARelativeDirectoryResolvesAgainstTheWorkingDirectory() {
        FlowFileEndpoint endpoint = camel.getEndpoint(
                "flowfile:relative/flows?prefix=nf&suffix=.pb&rotateSeconds=5&rotateBytes=1KiB&compression=gzip&fsync=true"
                        + "&bufferSize=64KiB&flushMillis=250",
                FlowFileEndpoint.class);

        assertThat(endpoint.getDirectory()).isEqualTo(Path.of("").toAbsolutePath().resolve("relative/flows"));
        assertThat(endpoint.getConfiguration())
                .isEqualTo(new FlowFileConfiguration("relative/flows", "nf", ".pb", 5, 1024,
                        FlowFileConfiguration.Compression.GZIP, true, 64 << 10, 250, null, true, false));
        assertThat(camel.getEndpoint("flowfile:defaults", FlowFileEndpoint.class).getConfiguration())
                .as("the declared defaults")
                .isEqualTo(new FlowFileConfiguration("defaults", "flows", ".jsonl", 60, 128 << 20,
                        FlowFileConfiguration.Compression.NONE, false, 1 << 20, 1000, null, true, false));
        assertThat(Files.exists(Path.of("relative"))).as("nothing is created before the first write").isFalse();
    }

    @Test
    void fsyncStillRenamesAndTwoRoutesShareOneEndpointAndFile() throws Exception {
        String uri = "flowfile:" + dir + "?fsync=true";
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:a").to(uri);
                from("direct:b").to(uri);
            }
        });
        camel.start();
        ProducerTemplate t = camel.createProducerTemplate();

        t.sendBody("direct:a", body(0, 10));
        t.sendBody("direct:b", body(1, 10));
        camel.stop();

        assertThat(concatenated(dir)).isEqualTo(body(0, 10) + body(1, 10));
        assertThat(finalFiles(dir)).hasSize(1);
    }

    private FlowFileEndpoint start(Path directory, String options) throws Exception {
        String uri = "flowfile:" + directory + (options.isEmpty() ? "" : "?" + options);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to(uri);
            }
        });
        camel.start();
        template = camel.createProducerTemplate();
        return camel.getEndpoint(uri, FlowFileEndpoint.class);
    }

    private void send(String body) {
        template.sendBody("direct:in", body.getBytes(UTF_8));
    }

    /** A line of exactly {@code length} bytes naming {@code n}. */
    private static String body(int n, int length) {
        String head = "body " + n + " ";
        return head + "#".repeat(length - head.length() - 1) + "\n";
    }

    private static List<Path> finalFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    private static List<Path> inProgress(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().endsWith(FlowFileConstants.IN_PROGRESS_SUFFIX)).toList();
        }
    }

    private static String concatenated(Path directory) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Path f : finalFiles(directory)) {
            sb.append(Files.readString(f));
        }
        return sb.toString();
    }
}
