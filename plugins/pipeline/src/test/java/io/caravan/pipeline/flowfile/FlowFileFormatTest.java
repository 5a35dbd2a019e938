package io.caravan.pipeline.flowfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.api.flow.Origin;
import io.caravan.api.stage.Stage;
import io.caravan.pipeline.encode.EncodeStageProvider;
import io.caravan.pipeline.json.EncodeJsonStageProvider;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code flowfile:?format=...} against {@code stage:encode?format=...} then {@code flowfile:}:
 * the same batches make the same files, byte for byte.
 */
class FlowFileFormatTest {
    @TempDir
    Path dir;

    private final CamelContext camel = new DefaultCamelContext();
    private final SettableClock clock = new SettableClock(1_700_000_000_000L);
    private final RecordingStageContext context = RecordingStageContext.of("flowfile", clock);
    private ProducerTemplate template;

    @BeforeEach
    void addTheComponentAsTheRuntimeDoes() {
        camel.addComponent(FlowFileConstants.SCHEME, new FlowFileComponentProvider().create(context));
    }

    @AfterEach
    void closeCamel() throws Exception {
        camel.close();
    }

    /**
     * Batches of 0 to 60 records (some with attributes, some mostly zero), with buffers and files
     * small enough that bodies fill the buffer, do not fit beside what is in it, are larger than it,
     * and rotate files.
     */
    @ParameterizedTest(name = "[{index}] {0} {1}")
    @CsvSource(delimiter = '|', value = {
        "format=json                   | bufferSize=16KiB&rotateBytes=100KiB                | 20",
        "format=json&omitZero=true     | bufferSize=16KiB&rotateBytes=100KiB                | 10",
        "format=json&attributes=false  | bufferSize=16KiB&rotateBytes=100KiB                | 10",
        "format=protobuf               | bufferSize=4KiB&rotateBytes=20KiB                  | 20",
        "format=protobuf&omitZero=true | bufferSize=4KiB&rotateBytes=20KiB                  | 20",
        "format=json                   | ''                                                 | 1",
        "format=protobuf               | ''                                                 | 1",
        "format=json                   | bufferSize=0&rotateBytes=64KiB                     | 20",
        "format=json                   | compression=gzip&bufferSize=8KiB&rotateBytes=20KiB | 10",
        "format=json&omitZero=true     | compression=zstd&bufferSize=8KiB&rotateBytes=20KiB | 10",
        "format=protobuf               | compression=gzip&bufferSize=8KiB&rotateBytes=20KiB | 5",
        "format=protobuf               | compression=zstd                                   | 1",
    })
    void theFilesAreThoseStageEncodeAndFlowfileWrite(String encodeOptions, String fileOptions, int files)
            throws Exception {
        Map<String, String> encode = options(encodeOptions);
        // stage:encode has no attributes option (it always writes them): encode-json has.
        Stage<FlowBatch, byte[]> stage = encode.containsKey("attributes")
                ? context.create(new EncodeJsonStageProvider(), Map.of("attributes", encode.get("attributes")))
                : context.create(new EncodeStageProvider(), encode);
        String more = fileOptions.isEmpty() ? "" : "&" + fileOptions;
        start("flowfile:" + dir.resolve("encoded") + "?prefix=f" + more,
                "flowfile:" + dir.resolve("direct") + "?prefix=f&" + encodeOptions + more);

        Random random = new Random(11);
        for (int i = 0; i < 300; i++) {
            FlowBatch batch = batch(random, random.nextInt(i % 50 == 0 ? 1 : 61));
            byte[] body = stage.apply(batch);
            if (body != null) {
                template.sendBody("direct:encoded", body);
            }
            template.sendBody("direct:direct", batch);
        }
        camel.stop();

        Map<String, byte[]> expected = files(dir.resolve("encoded"));
        assertThat(expected.size()).as("files").isGreaterThanOrEqualTo(files);
        assertThat(files(dir.resolve("direct"))).containsOnlyKeys(expected.keySet())
                .allSatisfy((name, bytes) -> assertThat(bytes).as(name).isEqualTo(expected.get(name)));
    }

    @Test
    void aBatchThatCannotBeEncodedFailsItsExchangeAndLeavesTheBufferAsItWas() throws Exception {
        Stage<FlowBatch, byte[]> stage = context.create(new EncodeStageProvider(), Map.of("format", "json"));
        start("flowfile:" + dir.resolve("encoded") + "?prefix=f",
                "flowfile:" + dir.resolve("direct") + "?prefix=f&format=json");
        Random random = new Random(3);
        FlowBatch before = batch(random, 5);
        List<FlowRecord> bad = new ArrayList<>(batch(random, 5).records());
        bad.add(new FlowRecord().srcAddr(new byte[] {1, 2, 3}));
        FlowBatch after = batch(random, 5);

        template.sendBody("direct:direct", before);
        assertThatThrownBy(() -> template.sendBody("direct:direct", new FlowBatch(Origin.UNKNOWN, bad)))
                .isInstanceOf(CamelExecutionException.class).cause()
                .hasMessageStartingWith("flowfile:" + dir.resolve("direct") + ": cannot write FlowBatch[6 records from ")
                .hasMessageEndingWith(" as JSON: field 'src_addr' has 3 bytes; an address has 4 or 16: [1, 2, 3]");
        template.sendBody("direct:direct", after);
        template.sendBody("direct:encoded", stage.apply(before));
        template.sendBody("direct:encoded", stage.apply(after));
        FlowFileEndpoint direct = camel.getEndpoint("flowfile:" + dir.resolve("direct") + "?prefix=f&format=json",
                FlowFileEndpoint.class);
        camel.stop();

        byte[] expected = files(dir.resolve("encoded")).get("f-20231114-221320-0001.jsonl");
        assertThat(files(dir.resolve("direct"))).containsOnlyKeys("f-20231114-221320-0001.jsonl")
                .hasEntrySatisfying("f-20231114-221320-0001.jsonl", bytes -> assertThat(bytes).isEqualTo(expected));
        assertThat(direct.getWriteErrors()).as("not a write error: nothing was written").isZero();
    }

    @Test
    void anEmptyBatchWritesNothing() throws Exception {
        start("flowfile:" + dir.resolve("encoded"), "flowfile:" + dir.resolve("direct") + "?format=protobuf");

        template.sendBody("direct:direct", FlowBatch.of(Origin.UNKNOWN));
        camel.stop();

        assertThat(dir.resolve("direct")).doesNotExist();
    }

    private void start(String encodedUri, String directUri) throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:encoded").to(encodedUri);
                from("direct:direct").to(directUri);
            }
        });
        camel.start();
        template = camel.createProducerTemplate();
    }

    private static Map<String, String> options(String query) {
        Map<String, String> options = new HashMap<>();
        for (String option : query.split("&")) {
            String[] kv = option.split("=", 2);
            options.put(kv[0], kv[1]);
        }
        return options;
    }

    /** Records as decoders make them: a datagram's time, exporter and sequence shared, the rest varied. */
    private static FlowBatch batch(Random random, int n) {
        long received = 1_700_000_000_000_000_000L + random.nextInt(1_000_000);
        byte[] exporter = {10, 0, 0, (byte) random.nextInt(256)};
        List<FlowRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            FlowRecord r = new FlowRecord().type(FlowType.IPFIX).timeReceivedNs(received).sequenceNum(random.nextInt(1000))
                    .samplerAddress(exporter);
            if (random.nextInt(4) > 0) {
                boolean v6 = random.nextInt(5) == 0;
                r.srcAddr(address(random, v6)).dstAddr(address(random, v6)).nextHop(address(random, v6))
                        .bytes(random.nextLong() >>> random.nextInt(64)).packets(random.nextInt(100_000))
                        .srcPort(random.nextInt(65536)).dstPort(random.nextInt(65536)).proto(6).etype(v6 ? 0x86dd : 0x800)
                        .inIf(random.nextInt(64)).outIf(random.nextInt(64)).srcMac(random.nextLong() & 0xFFFF_FFFF_FFFFL)
                        .timeFlowStartNs(received - 5_000_000_000L).timeFlowEndNs(received - 1_000_000_000L)
                        .srcAs(random.nextInt(70_000)).dstAs(random.nextInt(70_000)).tcpFlags(random.nextInt(64))
                        .ipTtl(random.nextInt(256)).srcNet(24).dstNet(random.nextInt(33)).samplingRate(1000);
            }
            if (random.nextInt(8) == 0) {
                Map<String, Object> path = new LinkedHashMap<>();
                path.put("site", "fra" + random.nextInt(9));
                r.attribute("tag", "edge-" + random.nextInt(100)).attribute("geo", path)
                        .attribute("as_path", List.of(64512L, (long) random.nextInt(70_000)));
            }
            records.add(r);
        }
        return new FlowBatch(Origin.UNKNOWN, records);
    }

    private static byte[] address(Random random, boolean v6) {
        byte[] a = new byte[v6 ? 16 : 4];
        random.nextBytes(a);
        return a;
    }

    /** Every final file of the directory by name; none is left in progress. */
    private static Map<String, byte[]> files(Path directory) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> list = Files.list(directory).sorted()) {
            for (Path f : (Iterable<Path>) list::iterator) {
                assertThat(f.getFileName().toString()).doesNotStartWith(".");
                files.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        return files;
    }
}
