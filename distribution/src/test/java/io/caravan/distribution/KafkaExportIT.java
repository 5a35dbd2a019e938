package io.caravan.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.DynamicMessage;
import io.caravan.api.net.AddressText;
import io.caravan.testkit.CaravanProcess;
import io.caravan.testkit.peers.kafka.Goflow2FlowMessage;
import io.caravan.testkit.peers.kafka.KafkaBroker;
import io.caravan.testkit.peers.kafka.Kcat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * routes/export-kafka.yaml in the unzipped distribution against a real Kafka broker (KRaft, child
 * JVM): turned on by CARAVAN_KAFKA_BROKERS alone, it carries every record the default collectors
 * decode to the topic as goflow2 FlowMessages, read back by kcat and protobuf-java and compared
 * field by field with the collectors' own files; examples/kafka-consume.yaml reads them back into
 * a second set of files. A broker that is down at start, or goes down mid-run, costs no record,
 * and neither does a server stopped while the broker is down (the bus spool keeps it).
 */
class KafkaExportIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DATAGRAMS = 200;
    private static final int RECORDS = 5;

    @TempDir
    Path dir;

    private CaravanProcess caravan(KafkaBroker broker, String compression) throws IOException {
        CaravanProcess caravan = CaravanProcess.install(CaravanProcess.distributionZip(), dir.resolve("caravan"));
        caravan.config("caravan.collect.rotate.seconds", "1");
        caravan.env("CARAVAN_KAFKA_BROKERS", broker.bootstrapServers());
        caravan.env("CARAVAN_KAFKA_COMPRESSION", compression);
        return caravan;
    }

    private static void generate(CaravanProcess caravan, String protocol, String collector, int datagrams)
            throws Exception {
        CaravanProcess.Result sent = caravan.command("generate", "-p", protocol, "-t",
                "127.0.0.1:" + caravan.collectPort(collector), "-r", "2000", "-n", Integer.toString(datagrams), "-e", "3",
                "--records", Integer.toString(RECORDS), "--seed", Integer.toString(datagrams + protocol.length()));
        assertThat(sent.exitCode()).as(sent.output()).isZero();
    }

    @Test
    void everyCollectedFlowReachesKafkaAsGoflow2FlowMessagesKeyedByExporterAndTheExampleReadsThemBack()
            throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"), 4);
             CaravanProcess caravan = caravan(broker, "zstd")) {
            // The example as shipped in the zip (examples/), copied into routes/ as the docs say.
            CaravanProcess.writeAtomically(caravan.routes().resolve("kafka-consume.yaml"),
                    Files.readString(caravan.home().resolve("examples/kafka-consume.yaml")));
            caravan.start();
            generate(caravan, "ipfix", "ipfix", DATAGRAMS);
            generate(caravan, "netflow-v9", "netflow", DATAGRAMS);
            int total = 2 * DATAGRAMS * RECORDS;

            List<Kcat.Message> read = Kcat.consume(broker.bootstrapServers(), "flows", total, 90, dir);

            assertThat(read).hasSize(total);
            List<String> fromKafka = new ArrayList<>();
            for (Kcat.Message m : read) {
                DynamicMessage f = Goflow2FlowMessage.parse(m.value());
                String exporter = address((ByteString) Goflow2FlowMessage.get(f, "sampler_address"));
                assertThat(m.keyText()).isEqualTo(exporter);
                fromKafka.add(fields(f));
            }
            // One exporter, one partition.
            Map<String, Long> partitionsPerKey = read.stream().collect(Collectors.groupingBy(Kcat.Message::keyText,
                    Collectors.mapping(Kcat.Message::partition, Collectors.collectingAndThen(Collectors.toSet(),
                            s -> (long) s.size()))));
            assertThat(partitionsPerKey).containsOnlyKeys("127.0.0.1", "127.0.0.2", "127.0.0.3")
                    .allSatisfy((k, n) -> assertThat(n).isEqualTo(1L));

            await().atMost(Duration.ofSeconds(30)).until(() -> jsonLines(caravan.data().resolve("flows/ipfix")).size()
                    + jsonLines(caravan.data().resolve("flows/netflow")).size() >= total);
            List<String> collected = new ArrayList<>();
            for (JsonNode r : jsonLines(caravan.data().resolve("flows/ipfix"))) {
                collected.add(fields(r));
            }
            for (JsonNode r : jsonLines(caravan.data().resolve("flows/netflow"))) {
                collected.add(fields(r));
            }
            assertThat(sorted(fromKafka)).isEqualTo(sorted(collected));

            // The example consumer, a second reader of the topic, writes the same records.
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> jsonLines(caravan.data().resolve("flows/from-kafka")).size() >= total);
            List<String> consumed = jsonLines(caravan.data().resolve("flows/from-kafka")).stream()
                    .map(KafkaExportIT::fields).toList();
            assertThat(sorted(consumed)).isEqualTo(sorted(collected));

            String metrics = caravan.get("/metrics").body();
            assertThat(total(metrics, "caravan_bus_records_out_total", "subscriber=\"kafka\"")).isEqualTo(total);
            assertThat(total(metrics, "caravan_bus_overflow_total", "subscriber=\"kafka\"")).isZero();
        }
    }

    @Test
    void aBrokerDownAtStartAndMidRunCostsNoRecord() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"), 2);
             CaravanProcess caravan = caravan(broker, "lz4")) {
            broker.stop();
            caravan.start();
            assertThat(caravan.get("/health/live").status()).isEqualTo(200);
            generate(caravan, "ipfix", "ipfix", 100);
            int first = 100 * RECORDS;
            // Taken from the bus while the broker is down, not delivered.
            await().atMost(Duration.ofSeconds(30)).until(() -> kafkaMeter(caravan, "records_in") >= first);
            assertThat(kafkaMeter(caravan, "records_out")).isZero();

            broker.restart();
            List<Kcat.Message> read = Kcat.consume(broker.bootstrapServers(), "flows", first, 120, dir);
            assertThat(distinct(read)).hasSize(first);

            broker.stop();
            generate(caravan, "netflow-v9", "netflow", 100);
            await().atMost(Duration.ofSeconds(30)).until(() -> kafkaMeter(caravan, "records_in") >= 2L * first);
            broker.restart();

            List<Kcat.Message> all = Kcat.consume(broker.bootstrapServers(), "flows", 2 * first, 180, dir);
            assertThat(distinct(all)).hasSize(2 * first);
            await().atMost(Duration.ofSeconds(60)).until(() -> kafkaMeter(caravan, "records_out") >= 2L * first);
            assertThat(kafkaMeter(caravan, "overflow")).isZero();
            assertThat(caravan.isAlive()).isTrue();
        }
    }

    @Test
    void aServerStoppedWhileTheBrokerIsDownKeepsWhatItAcceptedOnDiskAndSendsItAfterItsNextStart() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"), 2);
             CaravanProcess caravan = caravan(broker, "none")) {
            caravan.config("caravan.kafka.queue", "50"); // most of what is sent goes past the queue, to disk
            caravan.config("caravan.shutdown.timeout.seconds", "5");
            broker.stop();
            caravan.start();
            generate(caravan, "ipfix", "ipfix", 100);
            int sent = 100 * RECORDS;
            await().atMost(Duration.ofSeconds(30)).until(() -> kafkaMeter(caravan, "records_in") >= sent);
            // How much passes the queue depends on how the collector batched the datagrams.
            assertThat(kafkaMeter(caravan, "spooled")).as("records past the queue, on disk").isPositive();
            assertThat(kafkaMeter(caravan, "overflow")).isZero();

            assertThat(caravan.terminate(Duration.ofSeconds(60))).isZero();
            Path spool = caravan.data().resolve("pipeline/spool/flows/kafka");
            assertThat(spoolFiles(spool)).as("the spool kept on disk after the stop").isNotEmpty();
            assertThat(caravan.log()).contains("records kept in the spool");

            broker.restart();
            caravan.start();
            List<Kcat.Message> read = Kcat.consume(broker.bootstrapServers(), "flows", sent, 120, dir);

            assertThat(distinct(read)).as("every record accepted before the stop, from the queue and the spool")
                    .hasSize(sent);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(spoolFiles(spool)).isEmpty());
            assertThat(kafkaMeter(caravan, "overflow")).isZero();
        }
    }

    private static List<Path> spoolFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> f = Files.list(dir)) {
            return f.filter(p -> p.getFileName().toString().endsWith(".spool")).toList();
        }
    }

    private static long kafkaMeter(CaravanProcess caravan, String name) throws IOException {
        return total(caravan.get("/metrics").body(), "caravan_bus_" + name + "_total", "subscriber=\"kafka\"");
    }

    private static HashSet<String> distinct(List<Kcat.Message> messages) throws IOException {
        HashSet<String> s = new HashSet<>();
        for (Kcat.Message m : messages) {
            s.add(fields(Goflow2FlowMessage.parse(m.value())) + "," + Goflow2FlowMessage.parse(m.value())
                    .getField(Goflow2FlowMessage.FLOW_MESSAGE.findFieldByName("time_received_ns")));
        }
        return s;
    }

    private static List<String> sorted(List<String> l) {
        return l.stream().sorted().toList();
    }

    private static String address(ByteString b) {
        return AddressText.format(b.toByteArray());
    }

    /** The fields both collectors' records carry, as Kafka has them. */
    private static String fields(DynamicMessage f) {
        return String.join(",", Goflow2FlowMessage.get(f, "type").toString(),
                address((ByteString) Goflow2FlowMessage.get(f, "sampler_address")),
                address((ByteString) Goflow2FlowMessage.get(f, "src_addr")),
                address((ByteString) Goflow2FlowMessage.get(f, "dst_addr")),
                String.valueOf(Goflow2FlowMessage.get(f, "src_port")), String.valueOf(Goflow2FlowMessage.get(f, "dst_port")),
                String.valueOf(Goflow2FlowMessage.get(f, "proto")), String.valueOf(Goflow2FlowMessage.get(f, "bytes")),
                String.valueOf(Goflow2FlowMessage.get(f, "packets")),
                String.valueOf(Goflow2FlowMessage.get(f, "sequence_num")),
                String.valueOf(Goflow2FlowMessage.get(f, "time_flow_start_ns")),
                String.valueOf(Goflow2FlowMessage.get(f, "time_flow_end_ns")));
    }

    /** The same fields, as the collector's JSON lines file has them. */
    private static String fields(JsonNode r) {
        return String.join(",", r.get("type").asText(), r.path("sampler_address").asText(),
                r.path("src_addr").asText(), r.path("dst_addr").asText(), r.path("src_port").asText("0"),
                r.path("dst_port").asText("0"), r.path("proto").asText("0"), r.path("bytes").asText("0"),
                r.path("packets").asText("0"), r.path("sequence_num").asText("0"),
                r.path("time_flow_start_ns").asText("0"), r.path("time_flow_end_ns").asText("0"));
    }

    /** Every record in a directory's finished files (not the hidden in-progress one). */
    private static List<JsonNode> jsonLines(Path directory) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return out;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    out.add(JSON.readTree(line));
                }
            }
        }
        return out;
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
