package io.caravan.distribution.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testkit.CaravanProcess;
import io.caravan.testkit.peers.DatagramRecorder;
import io.caravan.testkit.peers.FlowKey;
import io.caravan.testkit.peers.Peers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * softflowd (a real exporter) turns a pcap into NetFlow v5, v9 or IPFIX; the datagrams it sends
 * are recorded once and the same bytes go to Caravan's default collector route, to nfcapd (read
 * back with nfdump) and, as a pcap, to tshark. Caravan must see the same flows, with the same
 * keys, packets and bytes, as both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetflowInteropIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Integer> PROTOCOLS = Map.of("TCP", 6, "UDP", 17, "ICMP", 1);

    @TempDir
    static Path dir;

    private CaravanProcess caravan;

    @BeforeAll
    void start() throws Exception {
        Peers.require("softflowd", "softflowd");
        Peers.require("nfcapd", "nfdump");
        Peers.require("tshark", "tshark");
        caravan = CaravanProcess.install(CaravanProcess.distributionZip(), dir.resolve("caravan"));
        caravan.config("caravan.collect.rotate.seconds", "1");
        caravan.start();
    }

    @AfterAll
    void stop() {
        if (caravan != null) {
            caravan.close();
        }
    }

    @ParameterizedTest(name = "softflowd -v {0}")
    @CsvSource({"5, 5, false, netflow", "9, 9, true, netflow", "10, 10, true, ipfix"})
    void caravanSeesWhatNfdumpAndTsharkSee(int version, int net, boolean ipv6, String collector) throws Exception {
        Path work = Files.createDirectories(dir.resolve("v" + version));
        Path pcap = work.resolve("traffic.pcap");
        int packets = InteropTraffic.writePcap(pcap, net, 60, ipv6);

        // 1. The real exporter, recorded.
        List<byte[]> datagrams;
        try (DatagramRecorder recorder = new DatagramRecorder()) {
            Peers.Run sf = Peers.run(work, 60, Peers.require("softflowd", "softflowd"), "-r", pcap.toString(),
                    "-n", "127.0.0.1:" + recorder.port(), "-v", Integer.toString(version), "-T", "full", "-d");
            assertThat(sf.exitCode()).as(sf.output()).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> recorder.settled(Duration.ofMillis(500)));
            datagrams = recorder.datagrams();
        }

        // 2. nfcapd gets the same bytes; nfdump reads what it stored.
        List<FlowKey> nfdump = nfdump(work, datagrams);
        assertThat(nfdump.stream().mapToLong(FlowKey::packets).sum()).as("nfdump packets").isEqualTo(packets);

        // 3. Caravan gets the same bytes on its default collector route.
        int port = caravan.collectPort(collector);
        DatagramRecorder.replay(datagrams, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), Duration.ofMillis(1));
        String prefix = "10." + net + ".";
        String prefix6 = "2001:db8:" + net + "::";
        await().atMost(Duration.ofSeconds(30)).until(() -> caravanFlows(collector, prefix, prefix6).size() >= nfdump.size());
        List<FlowKey> caravanFlows = caravanFlows(collector, prefix, prefix6);

        assertThat(caravanFlows).as("Caravan vs nfdump").containsExactlyInAnyOrderElementsOf(nfdump);

        // 4. tshark decodes the same datagrams independently: compare field by field.
        Path captured = work.resolve("datagrams.pcap");
        InteropTraffic.datagramsToPcap(datagrams, port, captured);
        Peers.Run ts = Peers.run(work, 60, Peers.require("tshark", "tshark"), "-r", captured.toString(),
                "-d", "udp.port==" + port + ",cflow", "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,",
                "-e", "cflow.srcport", "-e", "cflow.dstport", "-e", "cflow.packets", "-e", "cflow.octets",
                "-e", "cflow.srcaddr", "-e", "cflow.srcaddrv6");
        assertThat(ts.exitCode()).as(ts.output()).isZero();
        List<Long> tsharkPackets = column(ts.output(), 2);
        assertThat(sorted(tsharkPackets)).as("packets, tshark vs Caravan")
                .isEqualTo(sorted(caravanFlows.stream().map(FlowKey::packets).toList()));
        assertThat(sorted(column(ts.output(), 3))).as("bytes, tshark vs Caravan")
                .isEqualTo(sorted(caravanFlows.stream().map(FlowKey::bytes).toList()));
        assertThat(sorted(column(ts.output(), 0))).as("source ports, tshark vs Caravan")
                .isEqualTo(sorted(caravanFlows.stream().map(f -> (long) f.srcPort()).toList()));
        assertThat(ts.output()).contains(caravanFlows.get(0).src());

        // Nothing was lost or miscounted on the way in.
        String metrics = caravan.get("/metrics").body();
        assertThat(metrics).doesNotContainPattern("caravan_decoder_errors_total\\{[^}]*} [1-9]");
    }

    private List<FlowKey> nfdump(Path work, List<byte[]> datagrams) throws Exception {
        int port = CaravanProcess.freeUdpPort();
        Path store = Files.createDirectories(work.resolve("nfcapd"));
        List<FlowKey> out = new ArrayList<>();
        try (Peers.Daemon nfcapd = Peers.Daemon.start(work, Peers.require("nfcapd", "nfdump"), "-w", store.toString(),
                "-b", "127.0.0.1", "-p", Integer.toString(port), "-t", "3600")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> Peers.udpReceiveQueue(port) >= 0);
            DatagramRecorder.replay(datagrams, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), Duration.ofMillis(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> Peers.udpReceiveQueue(port) == 0);
            nfcapd.stop();
            assertThat(nfcapd.log()).contains("Bad Packets: 0");
        }
        // CSV, not fmt: fmt abbreviates long IPv6 addresses.
        Peers.Run dump = Peers.run(work, 60, Peers.require("nfdump", "nfdump"), "-R", store.toString(), "-q", "-o", "csv");
        assertThat(dump.exitCode()).as(dump.output()).isZero();
        for (String[] row : Peers.csv(dump.output())) {
            // ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,...
            if (row.length < 13 || !row[0].matches("\\d{4}-.*")) {
                continue;
            }
            out.add(new FlowKey(row[3].trim(), Integer.parseInt(row[5].trim()), row[4].trim(), Integer.parseInt(row[6].trim()),
                    PROTOCOLS.getOrDefault(row[7].trim(), -1), Long.parseLong(row[11].trim()), Long.parseLong(row[12].trim())));
        }
        return out;
    }

    /** Flows Caravan wrote (finished JSON-lines files only) whose source is in the test's networks. */
    private List<FlowKey> caravanFlows(String collector, String prefix, String prefix6) throws IOException {
        Path flows = caravan.data().resolve("flows").resolve(collector);
        List<FlowKey> out = new ArrayList<>();
        if (!Files.isDirectory(flows)) {
            return out;
        }
        try (Stream<Path> files = Files.list(flows)) {
            for (Path f : files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    JsonNode r = JSON.readTree(line);
                    String src = r.path("src_addr").asText();
                    if (src.startsWith(prefix) || src.startsWith(prefix6)) {
                        out.add(new FlowKey(src, r.get("src_port").asInt(), r.path("dst_addr").asText(), r.get("dst_port").asInt(),
                                r.get("proto").asInt(), r.get("packets").asLong(), r.get("bytes").asLong()));
                    }
                }
            }
        }
        return out;
    }

    private static List<Long> column(String tsharkOutput, int index) {
        List<Long> values = new ArrayList<>();
        for (String line : tsharkOutput.split("\n")) {
            if (line.indexOf('\t') < 0) {
                continue; // tshark's own notices ("Running as user root ...") share the output
            }
            String[] cols = line.split("\t", -1);
            if (cols.length > index && !cols[index].isBlank()) {
                for (String v : cols[index].split(",")) {
                    values.add(Long.parseLong(v.trim()));
                }
            }
        }
        return values;
    }

    private static List<Long> sorted(List<Long> values) {
        return values.stream().sorted().toList();
    }
}
