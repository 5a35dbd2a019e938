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
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pmacctd's sfprobe plugin (a real sFlow agent) samples every packet of a pcap; its datagrams are
 * recorded once and the same bytes go to Caravan's default sFlow route, to sfacctd (pmacct's own
 * collector, printing CSV) and, as a pcap, to tshark. Per 5-tuple, Caravan must count what
 * sfacctd counts, and every sample tshark sees.
 */
class SflowInteropIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NET = 61;
    /** The Ethernet FCS pmacctd's sfprobe reports in frame_length and as stripped. */
    private static final long FCS = 4;

    @TempDir
    Path dir;

    private CaravanProcess caravan;

    @AfterEach
    void stop() {
        if (caravan != null) {
            caravan.close();
        }
    }

    @Test
    void caravanCountsWhatSfacctdAndTsharkSee() throws Exception {
        String pmacctd = Peers.require("pmacctd", "pmacct");
        String sfacctd = Peers.require("sfacctd", "pmacct");
        String tshark = Peers.require("tshark", "tshark");
        Path pcap = dir.resolve("traffic.pcap");
        int packets = InteropTraffic.writePcap(pcap, NET, 40, true);

        // 1. The real agent, recorded.
        List<byte[]> datagrams;
        try (DatagramRecorder recorder = new DatagramRecorder()) {
            Path conf = Files.writeString(dir.resolve("pmacctd.conf"), String.join("\n",
                    "daemonize: false", "pcap_savefile: " + pcap, "pcap_savefile_wait: false", "plugins: sfprobe",
                    "sfprobe_receiver: 127.0.0.1:" + recorder.port(), "sfprobe_agentip: 192.0.2.200", "sampling_rate: 1", ""));
            Peers.Run run = Peers.run(dir, 60, pmacctd, "-f", conf.toString());
            // Its exit status races between the core and the sfprobe plugin at the end of the pcap
            // (0 or 1 for the same run); what counts is that it exported.
            assertThat(run.output()).contains("Exporting flows to [127.0.0.1]:" + recorder.port());
            await().atMost(Duration.ofSeconds(30)).until(() -> recorder.settled(Duration.ofMillis(500)));
            datagrams = recorder.datagrams();
        }

        // 2. sfacctd gets the same bytes.
        Map<String, FlowKey> sfacct = sfacctd(sfacctd, datagrams);
        long sampled = sfacct.values().stream().mapToLong(FlowKey::packets).sum();
        assertThat(sampled).as("packets pmacctd sampled and sfacctd counted").isPositive().isLessThanOrEqualTo(packets);

        // 3. Caravan gets the same bytes on its default sFlow route.
        caravan = CaravanProcess.install(CaravanProcess.distributionZip(), dir.resolve("caravan"));
        caravan.config("caravan.collect.rotate.seconds", "1");
        caravan.start();
        int port = caravan.collectPort("sflow");
        DatagramRecorder.replay(datagrams, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), Duration.ofMillis(1));
        await().atMost(Duration.ofSeconds(60)).until(() -> caravanSamples().size() >= sampled);
        List<JsonNode> samples = caravanSamples();
        assertThat(samples).hasSize((int) sampled);
        assertThat(samples).allSatisfy(r -> {
            assertThat(r.get("type").asText()).isEqualTo("SFLOW_5");
            assertThat(r.get("sampling_rate").asLong()).isEqualTo(1);
            assertThat(r.get("sampler_address").asText()).isEqualTo("192.0.2.200");
            assertThat(r.get("packets").asLong()).isEqualTo(1);
        });

        Map<String, FlowKey> caravanFlows = aggregate(samples);
        assertThat(caravanFlows.keySet()).as("5-tuples, Caravan vs sfacctd").isEqualTo(sfacct.keySet());
        for (String key : sfacct.keySet()) {
            long n = sfacct.get(key).packets();
            assertThat(caravanFlows.get(key).packets()).as("packets of " + key).isEqualTo(n);
            // sfacctd counts frame_length (the frame on the wire, FCS included); Caravan counts
            // frame_length - stripped, and pmacctd's sfprobe reports the 4-byte FCS as stripped.
            assertThat(caravanFlows.get(key).bytes()).as("bytes of " + key).isEqualTo(sfacct.get(key).bytes() - FCS * n);
        }

        // 4. tshark: every sample and its frame length.
        Path captured = dir.resolve("datagrams.pcap");
        InteropTraffic.datagramsToPcap(datagrams, port, captured);
        Peers.Run ts = Peers.run(dir, 60, tshark, "-r", captured.toString(), "-d", "udp.port==" + port + ",sflow",
                "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,", "-e", "sflow_245.header.frame_length",
                "-e", "sflow.flow_sample.sampling_rate");
        assertThat(ts.exitCode()).as(ts.output()).isZero();
        List<Long> frameLengths = new ArrayList<>();
        for (String line : ts.output().split("\n")) {
            // Limit -1 keeps empty fields: a counters-only datagram prints just a tab.
            String[] fields = line.split("\t", -1);
            if (fields.length > 1 && !fields[0].isBlank()) {
                for (String v : fields[0].split(",")) {
                    frameLengths.add(Long.parseLong(v.trim()));
                }
            }
        }
        assertThat(frameLengths).as("samples tshark decoded").hasSize(samples.size());
        assertThat(sorted(frameLengths)).as("frame lengths, tshark vs Caravan (+ FCS)")
                .isEqualTo(sorted(samples.stream().map(r -> r.get("bytes").asLong() + FCS).toList()));
    }

    private static List<Long> sorted(List<Long> values) {
        return values.stream().sorted().toList();
    }

    private Map<String, FlowKey> sfacctd(String binary, List<byte[]> datagrams) throws Exception {
        try (Sfacctd sfacctd = Sfacctd.start(binary, dir, "sfacctd")) {
            sfacctd.probeUntilPrinted(Sfacctd.FIRST_PROBE, sfacctd.address());
            DatagramRecorder.replay(datagrams, sfacctd.address(), Duration.ofMillis(1));
            sfacctd.probeUntilPrinted(Sfacctd.LAST_PROBE, sfacctd.address());
            return sfacctd.stop();
        }
    }

    private static Map<String, FlowKey> aggregate(List<JsonNode> samples) {
        Map<String, FlowKey> out = new TreeMap<>();
        for (JsonNode r : samples) {
            FlowKey k = new FlowKey(r.path("src_addr").asText(), r.get("src_port").asInt(), r.path("dst_addr").asText(),
                    r.get("dst_port").asInt(), r.get("proto").asInt(), r.get("packets").asLong(), r.get("bytes").asLong());
            out.merge(Sfacctd.key(k), k, Sfacctd::sum);
        }
        return out;
    }

    private List<JsonNode> caravanSamples() throws IOException {
        Path flows = caravan.data().resolve("flows/sflow");
        List<JsonNode> out = new ArrayList<>();
        if (!Files.isDirectory(flows)) {
            return out;
        }
        try (Stream<Path> files = Files.list(flows)) {
            for (Path f : files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    JsonNode r = JSON.readTree(line);
                    String src = r.path("src_addr").asText();
                    if (src.startsWith("10." + NET + ".") || src.startsWith("2001:db8:" + NET + "::")) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }
}
