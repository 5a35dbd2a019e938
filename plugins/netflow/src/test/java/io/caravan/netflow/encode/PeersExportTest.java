package io.caravan.netflow.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.api.flow.Origin;
import io.caravan.api.stage.Stage;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import io.caravan.testkit.peers.DatagramRecorder;
import io.caravan.testkit.peers.FlowKey;
import io.caravan.testkit.peers.Peers;
import io.caravan.traffic.packet.PacketBuilder;
import io.caravan.traffic.packet.PcapWriter;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@code encode-netflow} sends, read by collectors no one on this team wrote: nfcapd stores it and nfdump
 * lists every flow with the packets and bytes that went out (and nfcapd counts no sequence error and no bad
 * packet), and tshark decodes every exported field of every record to the value the record had.
 */
class PeersExportTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"5", "9", "10"})
    void nfdumpStoresEveryFlowWithItsPacketsAndBytesAndTsharkDecodesEveryField(String version) throws Exception {
        Peers.require("nfcapd", "nfdump");
        Peers.require("tshark", "tshark");
        boolean v5 = version.equals("5");
        long boot = System.currentTimeMillis() / 1000 * 1000 - 60_000;
        SettableClock clock = new SettableClock(boot);
        RecordingStageContext context = RecordingStageContext.of("encode-netflow", clock);
        Stage<FlowBatch, List<byte[]>> stage = context.create(new EncodeNetflowStageProvider(),
                Map.of("version", version, "templatePackets", "5", "observationDomain", "3"));
        clock.advance(60_000);

        // Batches of IPv4 and IPv6 flows of several protocols, one of them Skydive-shaped.
        List<FlowRecord> sent = new ArrayList<>();
        List<byte[]> datagrams = new ArrayList<>();
        for (int batch = 0; batch < 12; batch++) {
            boolean ipv6 = !v5 && batch % 3 == 2;
            List<FlowRecord> records = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                int n = batch * 25 + i;
                FlowRecord r = ipv6 ? ExportUnderTest.v6(n) : ExportUnderTest.v4(n);
                int proto = n % 3 == 0 ? 6 : n % 3 == 1 ? 17 : ipv6 ? 58 : 1;
                r.proto(proto).tcpFlags(proto == 6 ? 0x1B : 0)
                        .timeFlowStartNs((boot + 1_000 + n) * 1_000_000).timeFlowEndNs((boot + 30_000 + n) * 1_000_000);
                if (proto == 1 || proto == 58) {
                    // An echo request: type 8 code 0, also in dstPort as collectors show ICMP.
                    r.srcPort(0).dstPort(8 << 8).icmpType(8).icmpCode(0);
                }
                if (n == 7) {
                    r.type(FlowType.SKYDIVE).proto(6).tcpFlags(0);
                }
                records.add(r);
            }
            sent.addAll(records);
            datagrams.addAll(stage.apply(new FlowBatch(Origin.UNKNOWN, new ArrayList<>(records))));
        }

        List<FlowKey> nfdump = nfdump(datagrams);
        assertThat(nfdump).as("nfdump's flows").containsExactlyInAnyOrderElementsOf(sent.stream().map(PeersExportTest::key).toList());
        assertThat(nfdump.stream().mapToLong(FlowKey::packets).sum())
                .isEqualTo(sent.stream().mapToLong(FlowRecord::packets).sum());
        assertThat(nfdump.stream().mapToLong(FlowKey::bytes).sum())
                .isEqualTo(sent.stream().mapToLong(FlowRecord::bytes).sum());

        tshark(version, datagrams, sent, boot);
    }

    private static FlowKey key(FlowRecord r) {
        try {
            return new FlowKey(InetAddress.getByAddress(r.srcAddr()).getHostAddress(), r.srcPort(),
                    InetAddress.getByAddress(r.dstAddr()).getHostAddress(), r.dstPort(), r.proto(), r.packets(), r.bytes());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<FlowKey> nfdump(List<byte[]> datagrams) throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, LOOPBACK)) {
            port = s.getLocalPort();
        }
        Path store = Files.createDirectories(work.resolve("nfcapd"));
        String log;
        try (Peers.Daemon nfcapd = Peers.Daemon.start(work, Peers.require("nfcapd", "nfdump"), "-w", store.toString(),
                "-b", "127.0.0.1", "-p", Integer.toString(port), "-t", "3600")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> Peers.udpReceiveQueue(port) >= 0);
            DatagramRecorder.replay(datagrams, new InetSocketAddress(LOOPBACK, port), Duration.ofMillis(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> Peers.udpReceiveQueue(port) == 0);
            nfcapd.stop();
            log = nfcapd.log();
        }
        assertThat(log).contains("Bad Packets: 0").contains("Sequence Errors: 0");
        Peers.Run dump = Peers.run(work, 60, Peers.require("nfdump", "nfdump"), "-R", store.toString(), "-q", "-o", "csv");
        assertThat(dump.exitCode()).as(dump.output()).isZero();
        List<FlowKey> out = new ArrayList<>();
        for (String[] row : Peers.csv(dump.output())) {
            // ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,...
            if (row.length < 13 || !row[0].matches("\\d{4}-.*")) {
                continue;
            }
            out.add(new FlowKey(literal(row[3]), Integer.parseInt(row[5].trim()), literal(row[4]),
                    Integer.parseInt(row[6].trim()), protocol(row[7].trim()), Long.parseLong(row[11].trim()),
                    Long.parseLong(row[12].trim())));
        }
        return out;
    }

    /** An address literal in Java's own spelling, so nfdump's RFC 5952 text compares with the records'. */
    private static String literal(String text) throws IOException {
        return InetAddress.getByName(text.trim()).getHostAddress();
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

    private void tshark(String version, List<byte[]> datagrams, List<FlowRecord> sent, long boot) throws Exception {
        int port = 2055;
        Path pcap = work.resolve("export.pcap");
        byte[] lo = LOOPBACK.getAddress();
        long t = System.currentTimeMillis() * 1000;
        try (PcapWriter w = PcapWriter.create(pcap)) {
            for (byte[] d : datagrams) {
                w.write(t++, PacketBuilder.ethernet().ipv4(lo, lo).udp(50_000, port).payload(d).build());
            }
        }
        Peers.Run ts = Peers.run(work, 60, Peers.require("tshark", "tshark"), "-r", pcap.toString(), "-V",
                "-d", "udp.port==" + port + ",cflow");
        assertThat(ts.exitCode()).as(ts.output()).isZero();
        List<TsharkPacket> packets = TsharkPacket.parse(ts.output());
        assertThat(packets).hasSize(datagrams.size());
        assertThat(ts.output()).doesNotContainIgnoringCase("malformed").doesNotContain("Expert Info");

        // Headers: the version, the exporter's uptime and each RFC's sequence unit.
        long flowsBefore = 0;
        for (int i = 0; i < packets.size(); i++) {
            TsharkPacket p = packets.get(i);
            assertThat(p.header().get("Version")).isEqualTo(version);
            assertThat(p.header().get("FlowSequence")).as("sequence of datagram %d", i)
                    .isEqualTo(Long.toString(version.equals("9") ? i : flowsBefore));
            if (!version.equals("10")) {
                assertThat(p.header().get("SysUptime")).isEqualTo("60.000000000 seconds");
            }
            if (version.equals("5")) {
                assertThat(p.header().get("Count")).isEqualTo(Integer.toString(p.records().size()));
            } else {
                assertThat(p.header().get(version.equals("9") ? "SourceId" : "Observation Domain Id")).isEqualTo("3");
            }
            flowsBefore += p.records().size();
        }

        // Every exported field of every record, as tshark prints it.
        List<Map<String, String>> records = packets.stream().flatMap(p -> p.records().stream()).toList();
        assertThat(records).hasSize(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            assertThat(records.get(i)).as("record %d", i).containsAllEntriesOf(expected(version, sent.get(i), boot));
        }
        assertThat(records.get(7).get("Protocol")).as("the Skydive flow").isEqualTo("TCP (6)");
    }

    /** What tshark shows for each field of a record, by its label. */
    private static Map<String, String> expected(String version, FlowRecord r, long boot) throws IOException {
        boolean v5 = version.equals("5");
        boolean ipv6 = r.srcAddr().length == 16;
        Map<String, String> e = new java.util.LinkedHashMap<>();
        e.put("SrcAddr", TsharkPacket.address(r.srcAddr()));
        e.put("DstAddr", TsharkPacket.address(r.dstAddr()));
        e.put("NextHop", TsharkPacket.address(r.nextHop()));
        e.put("InputInt", Long.toString(r.inIf()));
        e.put("OutputInt", Long.toString(v5 ? Math.min(r.outIf(), 65_535) : r.outIf()));
        e.put("Packets", Long.toString(r.packets()));
        e.put("Octets", Long.toString(r.bytes()));
        if (version.equals("10")) {
            e.put("StartTime", TsharkPacket.utc(r.timeFlowStartNs() / 1_000_000));
            e.put("EndTime", TsharkPacket.utc(r.timeFlowEndNs() / 1_000_000));
        } else {
            long startUptime = r.timeFlowStartNs() / 1_000_000 - boot;
            e.put("StartTime", String.format("%d.%03d000000 seconds", startUptime / 1000, startUptime % 1000));
            long endUptime = r.timeFlowEndNs() / 1_000_000 - boot;
            e.put("EndTime", String.format("%d.%03d000000 seconds", endUptime / 1000, endUptime % 1000));
        }
        e.put("SrcPort", Integer.toString(r.srcPort()));
        e.put("DstPort", Integer.toString(r.dstPort()));
        e.put("Protocol", TsharkPacket.protocol(r.proto()));
        e.put("TCP Flags", String.format("0x%02x", r.tcpFlags()));
        e.put("IP ToS", String.format("0x%02x", r.ipTos()));
        e.put("SrcMask", Integer.toString(r.srcNet()));
        e.put("DstMask", Integer.toString(r.dstNet()));
        e.put("SrcAS", Long.toString(v5 && r.srcAs() > 65_535 ? V5Encoder.AS_TRANS : r.srcAs()));
        e.put("DstAS", Long.toString(v5 && r.dstAs() > 65_535 ? V5Encoder.AS_TRANS : r.dstAs()));
        if (!v5) {
            e.put("Vlan Id", Integer.toString(r.srcVlan()));
            e.put("Post Vlan Id", Integer.toString(r.dstVlan()));
            e.put("Source Mac Address", TsharkPacket.mac(r.srcMac()));
            e.put("Destination Mac Address", TsharkPacket.mac(r.dstMac()));
            e.put("Direction", (r.flowDirection() == 1 ? "Egress" : "Ingress") + " (" + r.flowDirection() + ")");
            if (version.equals("10") && ipv6) {
                e.put("IPv6 ICMP Type", Integer.toString(r.icmpType()));
                e.put("IPv6 ICMP Code", Integer.toString(r.icmpCode()));
            } else {
                e.put("ICMP Type", String.format("0x%04x", r.icmpType() << 8 | r.icmpCode()));
            }
        }
        return e;
    }
}

