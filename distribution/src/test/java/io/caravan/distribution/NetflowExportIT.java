package io.caravan.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testkit.CaravanProcess;
import io.caravan.testkit.peers.Peers;
import java.io.IOException;
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
 * The shipped export-netflow route, turned on by the environment alone: `caravan generate` sends to a
 * default collector, Caravan re-exports what it decoded to nfcapd as NetFlow v5, v9 or IPFIX, and nfdump
 * lists the same flows with the same packet and byte totals as the collector's own files, with no
 * sequence error and no bad packet counted by nfcapd.
 */
class NetflowExportIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DATAGRAMS = 200;
    private static final int RECORDS = 5;

    @TempDir
    Path dir;

    /** One flow as both sides print it: addresses, protocol and counters. */
    private record Flow(String src, String dst, int proto, long packets, long bytes) {
    }

    @ParameterizedTest(name = "v{0} from {1}")
    @CsvSource({"5, netflow-v5, netflow", "9, ipfix, ipfix", "10, netflow-v9, netflow"})
    void nfdumpTotalsEqualWhatTheCollectorsDecoded(String version, String protocol, String collector) throws Exception {
        String nfcapdBin = Peers.require("nfcapd", "nfdump");
        int nfcapdPort = CaravanProcess.freeUdpPort();
        Path store = Files.createDirectories(dir.resolve("nfcapd"));
        Path install = Files.createDirectories(dir.resolve("caravan"));
        String nfcapdLog;
        List<Flow> collected;
        try (Peers.Daemon nfcapd = Peers.Daemon.start(dir, nfcapdBin, "-w", store.toString(), "-b", "127.0.0.1",
                "-p", Integer.toString(nfcapdPort), "-t", "3600");
             CaravanProcess caravan = CaravanProcess.install(CaravanProcess.distributionZip(), install)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> Peers.udpReceiveQueue(nfcapdPort) >= 0);
            caravan.config("caravan.collect.rotate.seconds", "1").config("caravan.export.netflow.version", version)
                    .env("CARAVAN_EXPORT_NETFLOW_TARGET", "127.0.0.1:" + nfcapdPort).start();

            CaravanProcess.Result sent = caravan.command("generate", "-p", protocol, "-t",
                    "127.0.0.1:" + caravan.collectPort(collector), "-r", "1000", "-n", Integer.toString(DATAGRAMS),
                    "-e", "2", "--records", Integer.toString(RECORDS));
            assertThat(sent.exitCode()).as(sent.output()).isZero();
            int records = DATAGRAMS * RECORDS;

            // Everything decoded is written to the collector's files and exported; nfcapd has read it all.
            await().atMost(Duration.ofSeconds(60)).until(() -> collected(caravan, collector).size() >= records);
            await().atMost(Duration.ofSeconds(30)).until(() -> total(caravan.get("/metrics").body(),
                    "caravan_export_records_total", "outcome=\"exported\"") >= records);
            await().atMost(Duration.ofSeconds(10)).until(() -> Peers.udpReceiveQueue(nfcapdPort) == 0);
            collected = collected(caravan, collector);
            String metrics = caravan.get("/metrics").body();
            assertThat(total(metrics, "caravan_export_records_total", "outcome=\"exported\"")).isEqualTo(records);
            assertThat(total(metrics, "caravan_export_records_total", "outcome=\"ipv6\"")).isZero();
            assertThat(total(metrics, "caravan_export_records_total", "outcome=\"no_address\"")).isZero();
            assertThat(total(metrics, "caravan_export_datagrams_total", "")).isPositive();
            nfcapd.stop();
            nfcapdLog = nfcapd.log();
        }
        assertThat(nfcapdLog).contains("Bad Packets: 0").contains("Sequence Errors: 0");

        Peers.Run dump = Peers.run(dir, 60, Peers.require("nfdump", "nfdump"), "-R", store.toString(), "-q", "-o", "csv");
        assertThat(dump.exitCode()).as(dump.output()).isZero();
        List<Flow> exported = new ArrayList<>();
        for (String[] row : Peers.csv(dump.output())) {
            // ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,...
            if (row.length >= 13 && row[0].matches("\\d{4}-.*")) {
                exported.add(new Flow(row[3].trim(), row[4].trim(), protocol(row[7].trim()),
                        Long.parseLong(row[11].trim()), Long.parseLong(row[12].trim())));
            }
        }
        assertThat(exported).as("flows nfdump stored").hasSize(collected.size());
        assertThat(exported.stream().mapToLong(Flow::packets).sum()).as("packets")
                .isEqualTo(collected.stream().mapToLong(Flow::packets).sum());
        assertThat(exported.stream().mapToLong(Flow::bytes).sum()).as("bytes")
                .isEqualTo(collected.stream().mapToLong(Flow::bytes).sum());
        assertThat(exported).containsExactlyInAnyOrderElementsOf(collected);
    }

    @Test
    void withoutATargetTheRouteStaysOffAndTheServerRuns() throws Exception {
        try (CaravanProcess caravan = CaravanProcess.install(CaravanProcess.distributionZip(), dir)) {
            caravan.start();
            assertThat(caravan.get("/health/ready").status()).isEqualTo(200);
            assertThat(caravan.log()).doesNotContain("export-netflow failed");
            assertThat(caravan.get("/metrics").body()).doesNotContain("caravan_export_datagrams_total");
        }
    }

    private static int protocol(String name) {
        return switch (name) {
            case "TCP" -> 6;
            case "UDP" -> 17;
            case "ICMP" -> 1;
            case "ICMP6" -> 58;
            default -> name.matches("\\d+") ? Integer.parseInt(name) : -1;
        };
    }

    /** Flows in the collector's finished JSON-lines files. */
    private static List<Flow> collected(CaravanProcess caravan, String collector) throws IOException {
        Path flows = caravan.data().resolve("flows").resolve(collector);
        List<Flow> out = new ArrayList<>();
        if (!Files.isDirectory(flows)) {
            return out;
        }
        try (Stream<Path> files = Files.list(flows)) {
            for (Path f : files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    JsonNode r = JSON.readTree(line);
                    out.add(new Flow(r.path("src_addr").asText(), r.path("dst_addr").asText(), r.get("proto").asInt(),
                            r.get("packets").asLong(), r.get("bytes").asLong()));
                }
            }
        }
        return out;
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
}
