package io.caravan.netflow.captures;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.testkit.peers.DatagramRecorder;
import io.caravan.testkit.peers.Peers;
import io.caravan.traffic.capture.DatagramCapture;
import io.caravan.traffic.packet.PacketBuilder;
import io.caravan.traffic.packet.PcapWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Regenerates the captured-datagram fixtures of the netflow and sflow plugins from the exporters
 * Debian packages: builds one input pcap, has each exporter export it to a {@link DatagramRecorder},
 * keeps the datagrams ({@link DatagramCapture} format) and tshark's decode of them, reduced to the
 * fields Caravan maps ({@link TsharkExpected}). Run by hand through {@code regenerate.sh} (it needs
 * root for fprobe's live capture and runs everything in a network namespace of its own); not a test.
 *
 * <pre>RegenerateCaptures NETFLOW_CAPTURES_DIR SFLOW_CAPTURES_DIR</pre>
 */
public final class RegenerateCaptures {
    /** The input's first packet: 2025-11-24T16:00:00Z; packets 10 ms apart. */
    static final long START_MICROS = 1_764_000_000_000_000L;
    private static final Duration QUIET = Duration.ofSeconds(2);

    private final Path netflowDir;
    private final Path sflowDir;
    private final Path work;
    private final Path pcap;
    private final List<String> log = new ArrayList<>();

    private RegenerateCaptures(Path netflowDir, Path sflowDir) throws IOException {
        this.netflowDir = netflowDir;
        this.sflowDir = sflowDir;
        this.work = Files.createTempDirectory("caravan-captures");
        this.pcap = work.resolve("input.pcap");
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: RegenerateCaptures NETFLOW_CAPTURES_DIR SFLOW_CAPTURES_DIR");
            System.exit(2);
        }
        RegenerateCaptures r = new RegenerateCaptures(Path.of(args[0]), Path.of(args[1]));
        r.run();
    }

    private void run() throws Exception {
        Files.createDirectories(netflowDir);
        Files.createDirectories(sflowDir);
        int packets = InputTraffic.write(pcap, START_MICROS);
        Files.copy(pcap, netflowDir.resolve("input.pcap"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pcap, sflowDir.resolve("input.pcap"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        note("input.pcap: " + packets + " packets, built by InputTraffic (PacketBuilder + PcapWriter)");

        for (int version : new int[] {5, 9, 10}) {
            String what = version == 10 ? "ipfix" : "v" + version;
            capture(netflowDir, "softflowd-" + what, "cflow", 2055, port -> run(Peers.require("softflowd", "softflowd"),
                    "-r", pcap.toString(), "-n", "127.0.0.1:" + port, "-v", Integer.toString(version), "-T", "full", "-d"));
        }
        for (int version : new int[] {5, 7}) {
            capture(netflowDir, "fprobe-v" + version, "cflow", 2055, port -> fprobe(port, version));
        }
        for (int version : new int[] {9, 10}) {
            String what = version == 10 ? "ipfix" : "v" + version;
            capture(netflowDir, "pmacctd-nfprobe-" + what, "cflow", 2055, port -> pmacctd(port, List.of(
                    "plugins: nfprobe", "nfprobe_receiver: 127.0.0.1:" + port, "nfprobe_version: " + version,
                    "nfprobe_engine: 7", "nfprobe_timeouts: tcp=1:tcp.rst=1:tcp.fin=1:udp=1:icmp=1:general=1:maxlife=5:expint=1",
                    "aggregate: " + NFPROBE_PRIMITIVES)));
        }
        capture(sflowDir, "pmacctd-sfprobe", "sflow", 6343, port -> pmacctd(port, List.of(
                "plugins: sfprobe", "sfprobe_receiver: 127.0.0.1:" + port, "sfprobe_agentip: 192.0.2.200",
                "sfprobe_agentsubid: 3", "sampling_rate: 1")));
        Files.write(work.resolve("commands.txt"), log, StandardCharsets.UTF_8);
        System.out.println("work directory: " + work);
    }

    /** The nfprobe aggregate: what makes its templates richer than softflowd's. */
    static final String NFPROBE_PRIMITIVES =
            "src_host, dst_host, src_port, dst_port, proto, tos, src_mac, dst_mac, vlan, tcpflags, src_mask, dst_mask";

    private interface Exporter {
        void export(int port) throws Exception;
    }

    private void capture(Path dir, String name, String dissector, int pcapPort, Exporter exporter) throws Exception {
        List<byte[]> datagrams;
        try (DatagramRecorder recorder = new DatagramRecorder()) {
            exporter.export(recorder.port());
            await(name + " exports").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !recorder.datagrams().isEmpty() && recorder.settled(QUIET));
            datagrams = recorder.datagrams();
        }
        DatagramCapture.write(dir.resolve(name + ".bin"), datagrams);
        Path wrapped = work.resolve(name + ".pcap");
        DatagramCapture.toPcap(datagrams.stream().map(RegenerateCaptures::forTshark).toList(), pcapPort, START_MICROS, 1000,
                wrapped);
        Path decoded = work.resolve(name + ".tshark.json");
        // stdout alone: as root, tshark warns on stderr.
        Process ts = new ProcessBuilder(Peers.require("tshark", "tshark"), "-r", wrapped.toString(),
                "-d", "udp.port==" + pcapPort + "," + dissector, "-T", "json", "--no-duplicate-keys")
                .redirectOutput(decoded.toFile()).redirectError(work.resolve(name + ".tshark.err").toFile()).start();
        if (!ts.waitFor(60, TimeUnit.SECONDS) || ts.exitValue() != 0) {
            throw new IllegalStateException("tshark failed on " + name + ": see " + work.resolve(name + ".tshark.err"));
        }
        ObjectNode expected = TsharkExpected.reduce(JSON.readTree(decoded.toFile()), dissector);
        for (int i = 0; i < datagrams.size(); i++) {
            byte[] d = datagrams.get(i);
            if (d[0] == 0 && d[1] == 9) {
                ((ObjectNode) expected.path("datagrams").get(i).path("header")).put("count", ((d[2] & 0xFF) << 8) | (d[3] & 0xFF));
            }
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(name + ".expected.json").toFile(), expected);
        note(name + ": " + datagrams.size() + " datagrams, " + expected.path("records").asInt() + " records");
    }

    /**
     * The copy of a datagram tshark decodes: a NetFlow v9 header's count set to 0xFFFF, because
     * tshark stops at count records and softflowd 1.1.0 writes fewer than it sends (7 for 13: its
     * data records are not all counted). The fixture keeps the bytes as sent; the expected count
     * is read from them.
     */
    static byte[] forTshark(byte[] datagram) {
        byte[] d = datagram.clone();
        if (d.length >= 20 && d[0] == 0 && d[1] == 9) {
            d[2] = (byte) 0xFF;
            d[3] = (byte) 0xFF;
        }
        return d;
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private void run(String... command) throws Exception {
        note("$ " + String.join(" ", command));
        Peers.Run r = Peers.run(work, 60, command);
        // pmacctd's banner lists its configure flags: noise here.
        note(r.output().strip().replaceAll("(?m)^.*'--build=.*$\\R?", ""));
    }

    /**
     * pmacctd reads the pcap with the given plugin lines. Its exit status races between the core and
     * the plugin at the end of the pcap (0 or 1 for the same run); what counts is that it exported.
     */
    private void pmacctd(int port, List<String> pluginLines) throws Exception {
        List<String> conf = new ArrayList<>(List.of("daemonize: false", "pcap_savefile: " + pcap, "pcap_savefile_wait: false"));
        conf.addAll(pluginLines);
        Path file = Files.write(work.resolve("pmacctd-" + port + ".conf"), conf, StandardCharsets.UTF_8);
        note("pmacctd.conf:\n  " + String.join("\n  ", conf));
        run(Peers.require("pmacctd", "pmacct"), "-f", file.toString());
    }

    /**
     * fprobe reads no pcap: it captures on {@code lo} while the input's frames are written to
     * {@code lo} through a packet socket (inside this network namespace nothing leaves it; its own
     * exports, on 127.0.0.1, are filtered out), then
     * exports its cache on SIGTERM.
     */
    private void fprobe(int port, int version) throws Exception {
        String[] command = {Peers.require("fprobe", "fprobe"), "-l", "2", "-i", "lo", "-n", Integer.toString(version),
                "-e", "60", "-d", "60", "-s", "1", "-f", "not net 127.0.0.0/8", "127.0.0.1:" + port};
        note("$ " + String.join(" ", command));
        try (Peers.Daemon d = Peers.Daemon.start(work, command)) {
            await("fprobe capturing").atMost(Duration.ofSeconds(10)).until(() -> d.log().contains("collector #1"));
            run("python3", "-c", INJECT, pcap.toString());
            // fprobe tells nothing of what it has read; on SIGTERM it exports its cache and drops
            // what its capture thread has not read yet, so let that thread catch up first.
            Thread.sleep(2000);
            d.stop();
            note(d.log().strip());
        }
    }

    /** Writes every frame of a classic pcap to lo through an AF_PACKET socket, in order. */
    private static final String INJECT = String.join("\n",
            "import socket, struct, sys",
            "data = open(sys.argv[1], 'rb').read()",
            "s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)",
            "s.bind(('lo', 0))",
            "at, n = 24, 0",
            "while at < len(data):",
            "    incl = struct.unpack_from('<I', data, at + 8)[0]",
            "    s.send(data[at + 16:at + 16 + incl])",
            "    at += 16 + incl",
            "    n += 1",
            "print('injected', n, 'frames on lo')");

    private void note(String line) {
        log.add(line);
        System.out.println(line);
    }

    /** The packets every exporter is given. */
    static final class InputTraffic {
        private InputTraffic() {
        }

        /** Writes the input pcap; returns its packet count. */
        static int write(Path file, long startMicros) throws IOException {
            List<List<byte[]>> flows = List.of(
                    tcp("10.1.0.1", "192.0.2.10", 40001, 443, 0, new int[] {0, 0, 300, 0},
                            PacketBuilder.TCP_SYN, PacketBuilder.TCP_ACK, PacketBuilder.TCP_PSH | PacketBuilder.TCP_ACK,
                            PacketBuilder.TCP_FIN | PacketBuilder.TCP_ACK),
                    tcp("192.0.2.10", "10.1.0.1", 443, 40001, 0, new int[] {0, 1000, 1000},
                            PacketBuilder.TCP_SYN | PacketBuilder.TCP_ACK, PacketBuilder.TCP_ACK,
                            PacketBuilder.TCP_PSH | PacketBuilder.TCP_ACK),
                    udp("10.1.0.2", "192.0.2.53", 40002, 53, 0, 40, 120),
                    icmpEcho("10.1.0.3", "192.0.2.20", 3),
                    udp("10.1.0.7", "192.0.2.70", 5004, 5004, 0xB8, 160, 160, 160, 160, 160),
                    tcp("2001:db8:1::1", "2001:db8:ffff::5", 40005, 80, 0, new int[] {0, 200, 0},
                            PacketBuilder.TCP_SYN, PacketBuilder.TCP_PSH | PacketBuilder.TCP_ACK, PacketBuilder.TCP_FIN | PacketBuilder.TCP_ACK),
                    udp("2001:db8:1::2", "2001:db8:ffff::6", 40006, 123, 0, 48, 48));
            long t = startMicros;
            try (PcapWriter out = PcapWriter.create(file)) {
                for (int i = 0; ; i++) {
                    boolean any = false;
                    for (List<byte[]> flow : flows) {
                        if (i < flow.size()) {
                            out.write(t, flow.get(i));
                            t += 10_000;
                            any = true;
                        }
                    }
                    if (!any) {
                        return out.packets();
                    }
                }
            }
        }

        private static PacketBuilder frame(String src, String dst, int tos) {
            PacketBuilder b = PacketBuilder.ethernet().srcMac("02:00:00:00:00:01").dstMac("02:00:00:00:00:02");
            return (src.contains(":") ? b.ipv6(src, dst) : b.ipv4(src, dst)).tos(tos).ttl(64);
        }

        private static List<byte[]> tcp(String src, String dst, int sport, int dport, int tos, int[] payloads, int... flags) {
            List<byte[]> out = new ArrayList<>();
            for (int i = 0; i < payloads.length; i++) {
                out.add(frame(src, dst, tos).tcp(sport, dport).tcpFlags(flags[i]).seq(1000 + i).payloadSize(payloads[i]).build());
            }
            return out;
        }

        private static List<byte[]> udp(String src, String dst, int sport, int dport, int tos, int... payloads) {
            List<byte[]> out = new ArrayList<>();
            for (int p : payloads) {
                out.add(frame(src, dst, tos).udp(sport, dport).payloadSize(p).build());
            }
            return out;
        }

        private static List<byte[]> icmpEcho(String src, String dst, int count) {
            List<byte[]> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                out.add(frame(src, dst, 0).icmp(8, 0).icmpRest(0x1234_0000L | i).payloadSize(56).build());
            }
            return out;
        }
    }
}
