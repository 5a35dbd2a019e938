package io.caravan.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnknownFieldSet;
import io.caravan.testkit.CaravanProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The default collector routes as the README's run command starts them: `caravan generate`
 * sends each protocol from three exporters, flows land in rotated files, and the per-exporter
 * accounting shows every datagram and no gaps.
 */
class CollectIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DATAGRAMS = 300;
    private static final int RECORDS = 5;

    @TempDir
    Path dir;

    private static CaravanProcess start(Path dir, String encoding) throws Exception {
        return start(dir, encoding, "nio");
    }

    private static CaravanProcess start(Path dir, String encoding, String transport) throws Exception {
        CaravanProcess caravan = CaravanProcess.install(CaravanProcess.distributionZip(), dir);
        caravan.config("caravan.collect.rotate.seconds", "1").config("caravan.collect.encoding", encoding)
                .config("caravan.collect.transport", transport);
        return caravan.start();
    }

    @ParameterizedTest(name = "{0}, transport {4}")
    @CsvSource({"netflow-v5, netflow, netflow_v5, NETFLOW_V5, nio", "netflow-v9, netflow, netflow_v9, NETFLOW_V9, nio",
            "ipfix, ipfix, ipfix, IPFIX, nio", "sflow, sflow, sflow, SFLOW_5, nio",
            "netflow-v5, netflow, netflow_v5, NETFLOW_V5, epoll", "netflow-v9, netflow, netflow_v9, NETFLOW_V9, epoll",
            "ipfix, ipfix, ipfix, IPFIX, epoll", "sflow, sflow, sflow, SFLOW_5, epoll"})
    void defaultRouteCollectsGeneratedTraffic(String protocol, String collector, String tag, String type, String transport)
            throws Exception {
        try (CaravanProcess caravan = start(dir, "json", transport)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> caravan.log().contains("transport " + transport));
            assertThat(caravan.log()).as("the native transport loads from the server's class path")
                    .doesNotContain("transport epoll is not available");
            CaravanProcess.Result sent = caravan.command("generate", "-p", protocol, "-t", "127.0.0.1:" + caravan.collectPort(collector),
                    "-r", "2000", "-n", Integer.toString(DATAGRAMS), "-e", "3", "--records", Integer.toString(RECORDS));
            assertThat(sent.exitCode()).as(sent.output()).isZero();
            assertThat(sent.output()).contains("sent " + DATAGRAMS + " datagrams (" + DATAGRAMS * RECORDS + " records)");

            await().atMost(Duration.ofSeconds(30)).until(() -> jsonRecords(caravan, collector).size() >= DATAGRAMS * RECORDS);
            List<JsonNode> records = jsonRecords(caravan, collector);
            assertThat(records).hasSize(DATAGRAMS * RECORDS);
            assertThat(records).allSatisfy(r -> assertThat(r.get("type").asText()).isEqualTo(type));
            assertThat(records).extracting(r -> r.get("sampler_address").asText()).containsOnly("127.0.0.1", "127.0.0.2", "127.0.0.3");

            String metrics = caravan.get("/metrics").body();
            assertThat(sum(metrics, "caravan_decoder_datagrams_total", tag)).isEqualTo(DATAGRAMS);
            assertThat(sum(metrics, "caravan_decoder_records_total", tag)).isEqualTo(DATAGRAMS * RECORDS);
            assertThat(sum(metrics, "caravan_decoder_sequence_gaps_total", tag)).isZero();
            assertThat(sum(metrics, "caravan_decoder_errors_total", tag)).isZero();
            assertThat(metrics).contains("exporter=\"127.0.0.2\"");

            JsonNode status = null;
            for (JsonNode s : caravan.get("/admin/stages/status").json()) {
                if (s.get("stage").asText().equals(collector.equals("sflow") ? "decode-sflow" : "decode-netflow")) {
                    status = s.get("status");
                }
            }
            assertThat(status).as("stage status").isNotNull();
            assertThat(status.toString()).contains("127.0.0.1", "127.0.0.2", "127.0.0.3");
        }
    }

    @Test
    void protobufFilesHoldLengthDelimitedGoflow2Messages() throws Exception {
        try (CaravanProcess caravan = start(dir, "protobuf")) {
            CaravanProcess.Result sent = caravan.command("generate", "-p", "ipfix", "-t", "127.0.0.1:" + caravan.collectPort("ipfix"),
                    "-r", "2000", "-n", "100", "-e", "2", "--records", "4");
            assertThat(sent.exitCode()).as(sent.output()).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> protobufMessages(caravan).size() >= 400);
            List<UnknownFieldSet> messages = protobufMessages(caravan);
            assertThat(messages).hasSize(400);
            for (UnknownFieldSet m : messages) {
                assertThat(m.getField(1).getVarintList()).containsExactly(4L); // type IPFIX
                assertThat(m.getField(6).getLengthDelimitedList().get(0).size()).isEqualTo(4); // src_addr, IPv4
                assertThat(m.getField(9).getVarintList().get(0)).isPositive(); // bytes
                assertThat(m.getField(110).getVarintList().get(0)).isPositive(); // time_received_ns
            }
            try (Stream<Path> files = Files.list(caravan.data().resolve("flows/ipfix"))) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")))
                        .allMatch(n -> n.matches("ipfix-\\d{8}-\\d{6}-\\d+\\.protobuf"));
            }
        }
    }

    @Test
    void overloadIsCountedNeverSilentAndNeverACrash() throws Exception {
        CaravanProcess caravan = CaravanProcess.install(CaravanProcess.distributionZip(), dir);
        caravan.config("caravan.collect.queue", "50").config("caravan.collect.workers", "1").config("caravan.collect.rcvbuf", "262144");
        try (caravan) {
            caravan.start();
            int sent = 30_000;
            CaravanProcess.Result r = caravan.command("generate", "-p", "ipfix", "-t", "127.0.0.1:" + caravan.collectPort("ipfix"),
                    "-r", "0", "-n", Integer.toString(sent), "-e", "4", "--records", "18");
            assertThat(r.exitCode()).as(r.output()).isZero();
            // Every datagram is decoded, dropped at the full queue, or dropped by the kernel: all counted.
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                String m = caravan.get("/metrics").body();
                long decoded = sum(m, "caravan_decoder_datagrams_total", "ipfix");
                long queueDrops = total(m, "caravan_udp_queue_drops_total", "");
                long socketDrops = total(m, "caravan_udp_socket_drops", "");
                assertThat(decoded + queueDrops + socketDrops).as("decoded %d + queue drops %d + socket drops %d",
                        decoded, queueDrops, socketDrops).isEqualTo(sent);
            });
            assertThat(caravan.isAlive()).isTrue();
            assertThat(caravan.get("/health/ready").status()).isEqualTo(200);
        }
    }

    /** Sum of a metric's series whose labels contain {@code labelText} (empty: every series). */
    private static long total(String metrics, String name, String labelText) {
        Matcher m = Pattern.compile("^" + name + "(\\{([^}]*)})? ([0-9.eE+]+)$", Pattern.MULTILINE).matcher(metrics);
        double total = 0;
        while (m.find()) {
            if (m.group(2) == null ? labelText.isEmpty() : m.group(2).contains(labelText)) {
                total += Double.parseDouble(m.group(3));
            }
        }
        return (long) total;
    }

    private static long sum(String metrics, String name, String protocolTag) {
        return total(metrics, name, "protocol=\"" + protocolTag + "\"");
    }

    private static List<Path> finishedFiles(CaravanProcess caravan, String collector) throws IOException {
        Path flows = caravan.data().resolve("flows").resolve(collector);
        if (!Files.isDirectory(flows)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(flows)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    private static List<JsonNode> jsonRecords(CaravanProcess caravan, String collector) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (Path f : finishedFiles(caravan, collector)) {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    private static List<UnknownFieldSet> protobufMessages(CaravanProcess caravan) throws IOException {
        List<UnknownFieldSet> out = new ArrayList<>();
        for (Path f : finishedFiles(caravan, "ipfix")) {
            try (InputStream in = Files.newInputStream(f)) {
                CodedInputStream cin = CodedInputStream.newInstance(in);
                while (!cin.isAtEnd()) {
                    int length = cin.readRawVarint32();
                    out.add(UnknownFieldSet.parseFrom(cin.readRawBytes(length)));
                }
            }
        }
        return out;
    }
}
