package io.caravan.traffic.datagram;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.traffic.packet.PacketBuilder;
import io.caravan.traffic.packet.PcapWriter;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SflowBuilderTest {
    @TempDir
    Path dir;

    private static final byte[] FRAME = PacketBuilder.ethernet().vlan(100).ipv4("10.0.0.1", "192.0.2.9").ttl(63)
            .tcp(51000, 8443).tcpFlags(PacketBuilder.TCP_SYN).payloadSize(1000).build();

    @Test
    void headerAndCompactFlowSampleLayout() {
        byte[] d = SflowBuilder.datagram().agent("192.0.2.1").subAgentId(3).sequence(7).uptimeMs(60_000)
                .flowSample(s -> s.sequence(11).sourceId(1, 3).samplingRate(1000).samplePool(5000).drops(2).input(3)
                        .outputDiscarded(258).rawHeader(FRAME, 5))
                .build();
        ByteBuffer b = ByteBuffer.wrap(d);

        assertThat(b.getInt(0)).isEqualTo(5);                  // version
        assertThat(b.getInt(4)).isEqualTo(1);                  // agent address type IPv4
        assertThat(b.getInt(8)).isEqualTo(0xC0000201);         // 192.0.2.1
        assertThat(b.getInt(12)).isEqualTo(3);                 // sub-agent id
        assertThat(b.getInt(16)).isEqualTo(7);                 // sequence
        assertThat(b.getInt(20)).isEqualTo(60_000);            // uptime
        assertThat(b.getInt(24)).isEqualTo(1);                 // samples
        assertThat(b.getInt(28)).isEqualTo(1);                 // data format 0:1 flow sample
        assertThat(b.getInt(32)).isEqualTo(d.length - 36);     // sample length
        assertThat(b.getInt(36)).isEqualTo(11);                // sample sequence
        assertThat(b.getInt(40)).isEqualTo(0x01000003);        // source id: type 1 << 24 | 3
        assertThat(b.getInt(44)).isEqualTo(1000);              // sampling rate
        assertThat(b.getInt(48)).isEqualTo(5000);              // sample pool
        assertThat(b.getInt(52)).isEqualTo(2);                 // drops
        assertThat(b.getInt(56)).isEqualTo(3);                 // input
        assertThat(b.getInt(60)).isEqualTo(0x40000000 | 258);  // output: format 1 (discarded), reason 258
        assertThat(b.getInt(64)).isEqualTo(1);                 // records
        assertThat(b.getInt(68)).isEqualTo(1);                 // record format 0:1 raw header
        assertThat(b.getInt(72)).isEqualTo(16 + 8);            // record length: 4 words + 5 bytes padded to 8
        assertThat(b.getInt(76)).isEqualTo(1);                 // header protocol Ethernet
        assertThat(b.getInt(80)).isEqualTo(FRAME.length + 4);  // frame length with FCS
        assertThat(b.getInt(84)).isEqualTo(4);                 // stripped
        assertThat(b.getInt(88)).isEqualTo(5);                 // header length
        assertThat(d).hasSize(92 + 8);
        assertThat(d[97]).isZero();                            // padding
    }

    @Test
    void ipv6AgentExpandedSamplesAndCounterLengths() {
        byte[] d = SflowBuilder.datagram().agent("2001:db8::1")
                .expandedFlowSample(s -> s.sequence(1).sourceId(0, 70_000).input(70_000).outputMultiple(3))
                .expandedCounterSample(c -> c.sequence(2).sourceId(0, 70_000).genericInterface(i -> i.ifIndex(70_000))
                        .ethernet(e -> e.dot3StatsSymbolErrors(9)))
                .build();
        ByteBuffer b = ByteBuffer.wrap(d);

        assertThat(b.getInt(4)).isEqualTo(2);                  // IPv6
        int flow = 8 + 16 + 16;
        assertThat(b.getInt(flow)).isEqualTo(3);               // expanded flow sample
        assertThat(b.getInt(flow + 4)).isEqualTo(44);          // 11 words, no records
        assertThat(b.getInt(flow + 12)).isZero();              // source id type
        assertThat(b.getInt(flow + 16)).isEqualTo(70_000);     // source id index, full 32 bits
        assertThat(b.getInt(flow + 32)).isZero();              // input format
        assertThat(b.getInt(flow + 36)).isEqualTo(70_000);
        assertThat(b.getInt(flow + 40)).isEqualTo(2);          // output format multiple
        assertThat(b.getInt(flow + 44)).isEqualTo(3);
        int counters = flow + 8 + 44;
        assertThat(b.getInt(counters)).isEqualTo(4);           // expanded counter sample
        assertThat(b.getInt(counters + 24)).isEqualTo(1);      // generic interface
        assertThat(b.getInt(counters + 28)).isEqualTo(88);
        assertThat(b.getInt(counters + 32)).isEqualTo(70_000);
        assertThat(b.getInt(counters + 32 + 88)).isEqualTo(2); // ethernet
        assertThat(b.getInt(counters + 36 + 88)).isEqualTo(52);
        assertThat(b.getInt(counters + 40 + 88 + 48)).isEqualTo(9);
        assertThat(d).hasSize(counters + 40 + 88 + 52);
    }

    @Test
    void overridesWriteMalformedValues() {
        byte[] d = SflowBuilder.datagram().version(4).agentAddressType(0).sampleCount(1_000_000)
                .flowSample(s -> s.declaredLength(9999).recordCount(77)).build();
        ByteBuffer b = ByteBuffer.wrap(d);

        assertThat(b.getInt(0)).isEqualTo(4);
        assertThat(b.getInt(4)).isZero();                      // unknown type: no address bytes
        assertThat(b.getInt(20)).isEqualTo(1_000_000);
        assertThat(b.getInt(28)).isEqualTo(9999);
        assertThat(b.getInt(60)).isEqualTo(77);
    }

    @Test
    void addFlowSampleSamplesOneAverageSizedPacketOfTheFlow() {
        SyntheticFlow tcp = new SyntheticFlow(new byte[] {10, 0, 0, 1}, new byte[] {10, 0, 0, 2}, 1234, 443, 6, 10,
                10 * 800, 0, 0, 0x1b, 0x20, 3, 4, 65001, 65002, new byte[] {10, 0, 0, (byte) 254}, 24, 16);
        SyntheticFlow tiny = SyntheticFlow.of(new byte[16], new byte[16], 1, 2, 17, 5, 50, 0, 0);

        byte[] frame = SflowBuilder.packetOf(tcp);
        assertThat(frame).hasSize(800);
        assertThat(SflowBuilder.packetOf(tiny)).hasSize(14 + 40 + 8); // never less than its headers

        byte[] d = SflowBuilder.datagram().flowSampleSequence(41).addFlowSample(tcp, 100, 128)
                .addFlowSample(tiny, 100, 128).build();
        ByteBuffer b = ByteBuffer.wrap(d);
        assertThat(b.getInt(24)).isEqualTo(2);
        assertThat(b.getInt(36)).isEqualTo(41);                // sample sequence
        assertThat(b.getInt(40)).isEqualTo(3);                 // source id = input ifIndex
        assertThat(b.getInt(44)).isEqualTo(100);
        assertThat(b.getInt(48)).isEqualTo(4100);              // pool = sequence × rate
        assertThat(b.getInt(64)).isEqualTo(3);                 // raw header, router, gateway
        assertThat(b.getInt(80)).isEqualTo(804);               // frame length incl. FCS
        assertThat(b.getInt(88)).isEqualTo(128);
    }

    @Test
    void tsharkDecodesTheDatagramAsBuilt() throws Exception {
        Assumptions.assumeTrue(onPath("tshark"), "tshark is not on PATH");
        byte[] d = SflowBuilder.datagram().agent("192.0.2.1").subAgentId(3).sequence(7).uptimeMs(60_000)
                .flowSample(s -> s.sequence(11).sourceId(0, 3).samplingRate(1000).samplePool(5000).drops(2).input(3)
                        .output(4).rawHeader(FRAME, 128)
                        .extendedSwitch(x -> x.srcVlan(10).dstVlan(20))
                        .extendedRouter(r -> r.nextHop("192.0.2.254").srcMaskLen(24).dstMaskLen(16))
                        .extendedGateway(g -> g.nextHop("192.0.2.253").as(65000).srcAs(65001).srcPeerAs(65002)
                                .asSequence(65003, 65004).asSet(65010).communities(0xFDE80001L, 2).localPref(100)))
                .expandedFlowSample(s -> s.sequence(12).sourceId(0, 5).samplingRate(512).input(5).outputDiscarded(258)
                        .sampledIpv4(ip -> ip.length(1500).protocol(6).src("10.1.1.1").dst("10.2.2.2").srcPort(1)
                                .dstPort(2))
                        .sampledIpv6(ip -> ip.length(60).protocol(17).src("2001:db8::1").dst("2001:db8::2").srcPort(3)
                                .dstPort(4)))
                .counterSample(c -> c.sequence(5).sourceId(0, 3).genericInterface(i -> i.ifIndex(3).ifType(6)
                                .ifSpeed(10_000_000_000L).ifDirection(1).ifStatus(3).ifInOctets(123_456_789_012L))
                        .ethernet(e -> e.dot3StatsFCSErrors(7)))
                .unknownSample(4413, 1, new byte[] {1, 2, 3, 4})
                .build();
        Path file = dir.resolve("sflow.pcap");
        try (PcapWriter w = PcapWriter.create(file)) {
            w.write(1_700_000_000_000_000L, PacketBuilder.ethernet().ipv4("192.0.2.1", "192.0.2.100").udp(50000, 6343)
                    .payload(d).build());
        }

        Map<String, String> v = tshark(file, "sflow_245.agent", "sflow_245.sub_agent_id", "sflow_245.sequence_number",
                "sflow_245.sysuptime", "sflow_245.numsamples", "sflow.flow_sample.sequence_number",
                "sflow.flow_sample.sampling_rate", "sflow.flow_sample.sample_pool", "sflow.flow_sample.dropped_packets",
                "sflow.flow_sample.input_interface", "sflow.flow_sample.output_interface_value",
                "sflow.flow_sample.source_id_index", "sflow.flow_sample.input_interface_value",
                "sflow_245.header.frame_length", "sflow_245.header.payload_stripped",
                "sflow_245.header.sampled_header_length", "vlan.id", "ip.src", "tcp.srcport", "tcp.dstport",
                "sflow_245.vlan.in", "sflow_245.vlan.out", "sflow_245.nexthop", "sflow_245.nexthop.src_mask",
                "sflow_245.nexthop.dst_mask", "sflow_245.as", "sflow_245.srcAS", "sflow_245.peerAS", "sflow_245.dstAS",
                "sflow_245.localpref", "sflow_245.ipv4_src", "sflow_245.ipv6_src", "sflow.counters_sample.sequence_number",
                "sflow_245.ifindex", "sflow_245.ifspeed", "sflow_245.ifinoct", "sflow_245.dot3StatsFCSErrors",
                "_ws.malformed");

        assertThat(v).containsEntry("sflow_245.agent", "192.0.2.1").containsEntry("sflow_245.sub_agent_id", "3")
                .containsEntry("sflow_245.sequence_number", "7").containsEntry("sflow_245.sysuptime", "60000")
                .containsEntry("sflow_245.numsamples", "4")
                .containsEntry("sflow.flow_sample.sequence_number", "11,12")
                .containsEntry("sflow.flow_sample.sampling_rate", "1000,512")
                .containsEntry("sflow.flow_sample.sample_pool", "5000,0")
                .containsEntry("sflow.flow_sample.dropped_packets", "2,0")
                .containsEntry("sflow.flow_sample.input_interface", "3")
                .containsEntry("sflow.flow_sample.output_interface_value", "4,258")
                .containsEntry("sflow.flow_sample.source_id_index", "5")
                .containsEntry("sflow.flow_sample.input_interface_value", "5")
                .containsEntry("sflow_245.header.frame_length", String.valueOf(FRAME.length + 4))
                .containsEntry("sflow_245.header.payload_stripped", "4")
                .containsEntry("sflow_245.header.sampled_header_length", "128")
                .containsEntry("vlan.id", "100").containsEntry("ip.src", "192.0.2.1,10.0.0.1")
                .containsEntry("tcp.srcport", "51000").containsEntry("tcp.dstport", "8443")
                .containsEntry("sflow_245.vlan.in", "10").containsEntry("sflow_245.vlan.out", "20")
                .containsEntry("sflow_245.nexthop", "192.0.2.254,192.0.2.253")
                .containsEntry("sflow_245.nexthop.src_mask", "24").containsEntry("sflow_245.nexthop.dst_mask", "16")
                .containsEntry("sflow_245.as", "65000").containsEntry("sflow_245.srcAS", "65001")
                .containsEntry("sflow_245.peerAS", "65002")
                .containsEntry("sflow_245.dstAS", "65003,65004,65010,4259840001,2") // tshark lists communities here too
                .containsEntry("sflow_245.localpref", "100").containsEntry("sflow_245.ipv4_src", "10.1.1.1")
                .containsEntry("sflow_245.ipv6_src", "2001:db8::1")
                .containsEntry("sflow.counters_sample.sequence_number", "5").containsEntry("sflow_245.ifindex", "3")
                .containsEntry("sflow_245.ifspeed", "10000000000").containsEntry("sflow_245.ifinoct", "123456789012")
                .containsEntry("sflow_245.dot3StatsFCSErrors", "7").containsEntry("_ws.malformed", "");
    }

    private static Map<String, String> tshark(Path file, String... fields) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-r", file.toString(), "-n", "-d", "udp.port==6343,sflow",
                "-T", "fields", "-E", "separator=|"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String[] values = out.split("\\|", -1);
        assertThat(values).hasSize(fields.length);
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i++) {
            m.put(fields[i], values[i]);
        }
        return m;
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
