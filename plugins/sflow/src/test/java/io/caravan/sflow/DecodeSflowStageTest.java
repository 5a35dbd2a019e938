package io.caravan.sflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.DatagramBatch;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.api.flow.Origin;
import io.caravan.api.sequence.MissingRanges;
import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageException;
import io.caravan.sflow.header.HeaderParser;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import io.caravan.traffic.datagram.SflowBuilder;
import io.caravan.traffic.datagram.SyntheticFlow;
import io.caravan.traffic.packet.PacketBuilder;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class DecodeSflowStageTest {
    private static final InetSocketAddress SENDER = new InetSocketAddress("198.51.100.7", 40000);
    private static final long RECEIVED_MS = 1_700_000_000_456L;
    private static final String AGENT = "192.0.2.1";
    private static final byte[] AGENT_BYTES = {(byte) 192, 0, 2, 1};
    private static final byte[] SRC = {10, 0, 0, 1};
    private static final byte[] DST = {(byte) 192, 0, 2, 9};

    private final SettableClock clock = new SettableClock(RECEIVED_MS + 1);
    private final RecordingStageContext context = RecordingStageContext.of("decode-sflow", clock);

    private Stage<DatagramBatch, FlowBatch> stage(Map<String, ?> options) throws OptionException {
        return context.create(new DecodeSflowStageProvider(), options);
    }

    private Stage<DatagramBatch, FlowBatch> stage() throws OptionException {
        return stage(Map.of());
    }

    private static Datagram datagram(byte[] payload) {
        return new Datagram(payload, SENDER, RECEIVED_MS);
    }

    /** Decodes one datagram, a batch of one, as the runtime hands a single datagram on. */
    private static FlowBatch apply(Stage<DatagramBatch, FlowBatch> s, byte[] payload) throws StageException {
        return s.apply(DatagramBatch.of(datagram(payload)));
    }

    private static SflowBuilder agent() {
        return SflowBuilder.datagram().agent(AGENT).subAgentId(2).sequence(10).uptimeMs(60_000);
    }

    /** The value of the series with exactly these tags; fails when the stage never created it. */
    private long metric(String name, String... tags) {
        Map<String, String> t = tags(tags);
        return context.counter(name, t).orElseThrow(() -> new AssertionError("no series " + name + t + " in "
                + context.counters().keySet()));
    }

    private static Map<String, String> tags(String... kv) {
        Map<String, String> t = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            t.put(kv[i], kv[i + 1]);
        }
        return t;
    }

    private long decoder(String name, String exporter) {
        return metric(name, "protocol", "sflow", "exporter", exporter);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private Map<String, Object> agentStatus(Stage<DatagramBatch, FlowBatch> s, String agent) {
        return map(map(s.status().get("agents")).get(agent));
    }

    @Test
    void aCompactFlowSampleBecomesOneRecordWithEveryField() throws Exception {
        byte[] frame = PacketBuilder.ethernet().srcMac("aa:bb:cc:dd:ee:01").dstMac("aa:bb:cc:dd:ee:02").vlan(100)
                .ipv4(SRC, DST).tos(0x28).ttl(61).ipId(0x4242).dontFragment(true).tcp(51000, 443)
                .tcpFlags(PacketBuilder.TCP_SYN).payloadSize(1400).build();
        byte[] d = agent().flowSample(s -> s.sequence(77).sourceId(0, 3).samplingRate(1000).samplePool(77_000).drops(0)
                        .input(3).output(4).rawHeader(frame, 128)
                        .extendedSwitch(x -> x.srcVlan(100).srcPriority(1).dstVlan(200).dstPriority(2))
                        .extendedRouter(r -> r.nextHop("192.0.2.254").srcMaskLen(24).dstMaskLen(16))
                        .extendedGateway(g -> g.nextHop("192.0.2.253").as(65000).srcAs(65001).srcPeerAs(65002)
                                .asSequence(65003, 65004).asSet(65010).communities(0xFDE80001L, 2).localPref(100)))
                .build();

        FlowBatch batch = apply(stage(), d);

        assertThat(batch.origin().exporter()).isEqualTo(SENDER);
        assertThat(batch.origin().observationDomain()).isEqualTo(2);
        assertThat(batch.origin().receivedMs()).isEqualTo(RECEIVED_MS);
        FlowRecord r = batch.records().get(0);
        assertThat(batch.records()).hasSize(1);
        assertThat(r.type()).isEqualTo(FlowType.SFLOW_5);
        assertThat(r.timeReceivedNs()).isEqualTo(RECEIVED_MS * 1_000_000L);
        assertThat(r.sequenceNum()).isEqualTo(77);                 // the sample's sequence, not the datagram's
        assertThat(r.samplingRate()).isEqualTo(1000);
        assertThat(r.samplerAddress()).containsExactly(AGENT_BYTES);
        assertThat(r.observationDomainId()).isEqualTo(2);
        assertThat(r.bytes()).isEqualTo(frame.length);             // frame_length (frame + FCS) − stripped (FCS)
        assertThat(r.packets()).isEqualTo(1);                      // not multiplied by the rate
        assertThat(r.inIf()).isEqualTo(3);
        assertThat(r.outIf()).isEqualTo(4);
        assertThat(r.srcMac()).isEqualTo(0xaabbccddee01L);
        assertThat(r.dstMac()).isEqualTo(0xaabbccddee02L);
        assertThat(r.vlanId()).isEqualTo(100);
        assertThat(r.etype()).isEqualTo(0x0800);
        assertThat(r.srcAddr()).containsExactly(SRC);
        assertThat(r.dstAddr()).containsExactly(DST);
        assertThat(r.proto()).isEqualTo(6);
        assertThat(r.srcPort()).isEqualTo(51000);
        assertThat(r.dstPort()).isEqualTo(443);
        assertThat(r.tcpFlags()).isEqualTo(2);
        assertThat(r.ipTos()).isEqualTo(0x28);
        assertThat(r.ipTtl()).isEqualTo(61);
        assertThat(r.ipFlags()).isEqualTo(2);
        assertThat(r.fragmentId()).isEqualTo(0x4242);
        assertThat(r.fragmentOffset()).isZero();
        assertThat(r.srcVlan()).isEqualTo(100);
        assertThat(r.dstVlan()).isEqualTo(200);
        assertThat(r.nextHop()).containsExactly(192, 0, 2, 254);
        assertThat(r.srcNet()).isEqualTo(24);
        assertThat(r.dstNet()).isEqualTo(16);
        assertThat(r.bgpNextHop()).containsExactly(192, 0, 2, 253);
        assertThat(r.srcAs()).isEqualTo(65001);
        assertThat(r.dstAs()).isEqualTo(65010);                    // last ASN of the path
        assertThat(r.nextHopAs()).isEqualTo(65003);                // first ASN of the path
        assertThat(r.attributes()).containsOnly(Map.entry("as_path", List.of(65003L, 65004L, 65010L)),
                Map.entry("communities", List.of(0xFDE80001L, 2L)));
        assertThat(r.timeFlowStartNs()).isZero();
        assertThat(r.icmpType()).isZero();
    }

    @Test
    void gatewayWithoutPathOrSourceAsFallsBackToTheRoutersAs() throws Exception {
        byte[] d = agent().flowSample(s -> s.extendedGateway(g -> g.nextHop("2001:db8::1").as(64512))).build();

        FlowRecord r = apply(stage(), d).records().get(0);

        assertThat(r.srcAs()).isEqualTo(64512);
        assertThat(r.dstAs()).isEqualTo(64512);
        assertThat(r.nextHopAs()).isZero();
        assertThat(r.bgpNextHop()).hasSize(16);
        assertThat(r.attributes()).isEmpty();
    }

    @Test
    void anExpandedSampleWithSampledIpv4OrIpv6Records() throws Exception {
        byte[] d = agent()
                .expandedFlowSample(s -> s.sequence(5).sourceId(0, 70_000).samplingRate(256).input(70_000).output(9)
                        .sampledIpv4(ip -> ip.length(1500).protocol(17).src("10.1.1.1").dst("10.2.2.2").srcPort(53)
                                .dstPort(5353).tcpFlags(0).tos(0x10)))
                .expandedFlowSample(s -> s.sequence(6).sampledIpv6(ip -> ip.length(80).protocol(6).src("2001:db8::1")
                        .dst("2001:db8::2").srcPort(443).dstPort(50000).tcpFlags(0x18).priority(0x2e)))
                .build();

        List<FlowRecord> records = apply(stage(), d).records();

        FlowRecord v4 = records.get(0);
        assertThat(v4.sequenceNum()).isEqualTo(5);
        assertThat(v4.samplingRate()).isEqualTo(256);
        assertThat(v4.inIf()).isEqualTo(70_000);
        assertThat(v4.outIf()).isEqualTo(9);
        assertThat(v4.bytes()).isEqualTo(1500);                    // the IP packet length
        assertThat(v4.etype()).isEqualTo(0x0800);
        assertThat(v4.srcAddr()).containsExactly(10, 1, 1, 1);
        assertThat(v4.dstAddr()).containsExactly(10, 2, 2, 2);
        assertThat(v4.proto()).isEqualTo(17);
        assertThat(v4.srcPort()).isEqualTo(53);
        assertThat(v4.dstPort()).isEqualTo(5353);
        assertThat(v4.ipTos()).isEqualTo(0x10);
        FlowRecord v6 = records.get(1);
        assertThat(v6.bytes()).isEqualTo(80);
        assertThat(v6.etype()).isEqualTo(0x86DD);
        assertThat(v6.srcAddr()).hasSize(16);
        assertThat(v6.proto()).isEqualTo(6);
        assertThat(v6.srcPort()).isEqualTo(443);
        assertThat(v6.tcpFlags()).isEqualTo(0x18);
        assertThat(v6.ipTos()).isEqualTo(0x2e);
    }

    @Test
    void theRawHeaderWinsOverSampledIpRecords() throws Exception {
        byte[] frame = PacketBuilder.ethernet().ipv4(SRC, DST).udp(1, 2).payloadSize(50).build();
        byte[] d = agent().flowSample(s -> s.sampledIpv4(ip -> ip.length(9999).protocol(6).src("10.9.9.9")
                .dst("10.8.8.8")).rawHeader(frame, 128)).build();

        FlowRecord r = apply(stage(), d).records().get(0);

        assertThat(r.srcAddr()).containsExactly(SRC);
        assertThat(r.proto()).isEqualTo(17);
        assertThat(r.bytes()).isEqualTo(frame.length);
    }

    @Test
    void framesAreKeptOnlyWhenAsked() throws Exception {
        byte[] frame = PacketBuilder.ethernet().ipv4(SRC, DST).udp(1, 2).payloadSize(200).build();
        byte[] d = agent().flowSample(s -> s.rawHeader(frame, 128)).build();

        FlowRecord off = apply(stage(), d).records().get(0);
        FlowRecord on = apply(stage(Map.of("frames", "true")), d).records().get(0);

        assertThat(off.attributes()).doesNotContainKeys("frame", "frame_length", "frame_protocol");
        byte[] kept = (byte[]) on.attribute("frame");
        assertThat(kept).hasSize(128).containsExactly(java.util.Arrays.copyOf(frame, 128)); // truncated as sampled
        assertThat(on.attribute("frame_length")).isEqualTo((long) frame.length);            // FCS stripped
        assertThat(on.attribute("frame_protocol")).isEqualTo(1L);                          // Ethernet
        assertThat(on.srcAddr()).containsExactly(SRC);                                      // fields as without frames
        assertThat(on.bytes()).isEqualTo(off.bytes());
    }

    @Test
    void aKeptFrameIsACopyNotAViewOfTheDatagram() throws Exception {
        byte[] frame = PacketBuilder.ethernet().ipv4(SRC, DST).udp(1, 2).payloadSize(10).build();
        byte[] d = agent().flowSample(s -> s.rawHeader(frame, 128)).build();

        FlowRecord r = apply(stage(Map.of("frames", "true")), d).records().get(0);
        java.util.Arrays.fill(d, (byte) 0);

        assertThat((byte[]) r.attribute("frame")).containsExactly(frame);
    }

    @Test
    void sampledIpFillsInWhenTheHeaderIsNotIp() throws Exception {
        byte[] arp = PacketBuilder.ethernet().etherType(PacketBuilder.ETHERTYPE_ARP).payloadSize(28).build();
        byte[] d = agent().flowSample(s -> s.rawHeader(arp, 128).sampledIpv4(ip -> ip.length(60).protocol(1)
                .src("10.9.9.9").dst("10.8.8.8"))).build();

        FlowRecord r = apply(stage(), d).records().get(0);

        assertThat(r.srcAddr()).containsExactly(10, 9, 9, 9);
        assertThat(r.bytes()).isEqualTo(arp.length);              // still the raw header's frame length
    }

    @Test
    void sampledEthernetAloneGivesMacsAndItsLength() throws Exception {
        byte[] d = agent().flowSample(s -> s.sampledEthernet(e -> e.length(1518).srcMac(0x1L).dstMac(0x2L)
                .type(0x86DD))).build();

        FlowRecord r = apply(stage(), d).records().get(0);

        assertThat(r.bytes()).isEqualTo(1518);
        assertThat(r.srcMac()).isEqualTo(1);
        assertThat(r.dstMac()).isEqualTo(2);
        assertThat(r.etype()).isEqualTo(0x86DD);
    }

    @Test
    void rawHeaderVariantsReachTheRecord() throws Exception {
        byte[] qinqMpls = PacketBuilder.ethernet().qinq(300, 42).mpls(16).mpls(17).ipv6("2001:db8::1", "2001:db8::2")
                .flowLabel(0x12345).hopByHop().udp(4789, 4789).payloadSize(64).build();
        byte[] fragment = PacketBuilder.ethernet().ipv4(SRC, DST).ipId(9).fragmentOffset(100).tcp(1, 2)
                .payloadSize(40).build();
        byte[] icmp = PacketBuilder.rawIp().ipv4(SRC, DST).icmp(11, 0).build();
        byte[] truncated = PacketBuilder.ethernet().ipv4(SRC, DST).tcp(1234, 80).payloadSize(1000).build();
        byte[] d = agent()
                .flowSample(s -> s.rawHeader(qinqMpls, 128))
                .flowSample(s -> s.rawHeader(fragment, 128))
                .flowSample(s -> s.rawHeader(h -> h.headerProtocol(11).frameLength(icmp.length).stripped(0)
                        .header(icmp)))
                .flowSample(s -> s.rawHeader(truncated, 14 + 20 + 2))
                .build();

        List<FlowRecord> r = apply(stage(), d).records();

        assertThat(r.get(0).vlanId()).isEqualTo(300);
        assertThat(r.get(0).attributes()).containsEntry(HeaderParser.ATTR_INNER_VLAN, 42)
                .containsEntry(HeaderParser.ATTR_MPLS_LABELS, List.of(16L, 17L));
        assertThat(r.get(0).ipv6FlowLabel()).isEqualTo(0x12345);
        assertThat(r.get(0).dstPort()).isEqualTo(4789);
        assertThat(r.get(1).fragmentOffset()).isEqualTo(100);
        assertThat(r.get(1).srcPort()).isZero();
        assertThat(r.get(2).bytes()).isEqualTo(icmp.length);
        assertThat(r.get(2).icmpType()).isEqualTo(11);
        assertThat(r.get(3).srcAddr()).containsExactly(SRC);
        assertThat(r.get(3).srcPort()).isZero();
        assertThat(r.get(3).bytes()).isEqualTo(truncated.length);
    }

    @Test
    void interfaceFormatBitsAreMasked() throws Exception {
        byte[] d = agent()
                .flowSample(s -> s.input(SflowBuilder.IF_INTERNAL).outputDiscarded(258))
                .flowSample(s -> s.input(5).outputMultiple(3))
                .flowSample(s -> s.input(5).output(SflowBuilder.IF_INTERNAL))
                .expandedFlowSample(s -> s.input(0, 0x80000001L).output(1, 259))
                .build();

        List<FlowRecord> r = apply(stage(), d).records();

        assertThat(r.get(0).inIf()).isEqualTo(0x3FFFFFFFL);       // internal, kept as is
        assertThat(r.get(0).outIf()).isZero();
        assertThat(r.get(0).attribute("discard_reason")).isEqualTo(258L);
        assertThat(r.get(1).outIf()).isZero();
        assertThat(r.get(1).attribute("output_interfaces")).isEqualTo(3L);
        assertThat(r.get(2).outIf()).isEqualTo(0x3FFFFFFFL);
        assertThat(r.get(3).inIf()).isEqualTo(0x80000001L);       // expanded: full 32 bits
        assertThat(r.get(3).attribute("discard_reason")).isEqualTo(259L);
    }

    @Test
    void discardedPacketSamplesBecomeRecordsMarkedAsDiscards() throws Exception {
        byte[] frame = PacketBuilder.ethernet().ipv4(SRC, DST).udp(1, 2).build();
        byte[] d = agent().discardedPacket(p -> p.sequence(8).sourceId(0, 3).drops(0).input(3).output(0).reason(260)
                .rawHeader(frame, 64)).build();

        FlowRecord r = apply(stage(), d).records().get(0);

        assertThat(r.sequenceNum()).isEqualTo(8);
        assertThat(r.inIf()).isEqualTo(3);
        assertThat(r.packets()).isEqualTo(1);
        assertThat(r.samplingRate()).isZero();
        assertThat(r.srcAddr()).containsExactly(SRC);
        assertThat(r.attributes()).containsEntry("sample_type", "discard").containsEntry("discard_reason", 260L);
        assertThat(metric("caravan.sflow.samples", "exporter", AGENT, "kind", "discard")).isEqualTo(1);
    }

    @Test
    void counterSamplesAreKeptInStatusNotEmitted() throws Exception {
        Stage<DatagramBatch, FlowBatch> s = stage();
        byte[] d = agent().counterSample(c -> c.sequence(4).sourceId(0, 3).genericInterface(i -> i.ifIndex(3).ifType(6)
                .ifSpeed(10_000_000_000L).ifStatus(3).ifInOctets(5000).ifOutOctets(6000))
                .ethernet(e -> e.dot3StatsFCSErrors(2))).build();

        FlowBatch batch = apply(s, d);

        assertThat(batch.records()).isEmpty();
        Map<String, Object> sub = map(map(agentStatus(s, AGENT).get("subAgents")).get("2"));
        Map<String, Object> counters = map(map(sub.get("counters")).get("0:3"));
        assertThat(counters).containsEntry("sequence", 4L).containsEntry("receivedMs", RECEIVED_MS);
        assertThat(map(counters.get("generic"))).containsEntry("ifSpeed", 10_000_000_000L)
                .containsEntry("ifInOctets", 5000L).containsEntry("ifStatus", 3L);
        assertThat(map(counters.get("ethernet"))).containsEntry("dot3StatsFcsErrors", 2L);
        assertThat(metric("caravan.sflow.samples", "exporter", AGENT, "kind", "counters")).isEqualTo(1);
        assertThat(decoder("caravan.decoder.records", AGENT)).isZero();
    }

    @Test
    void counterSamplesAreEmittedAsRecordsWhenAsked() throws Exception {
        byte[] d = agent().flowSample(f -> f.sequence(1)).expandedCounterSample(c -> c.sequence(4).sourceId(0, 7)
                .genericInterface(i -> i.ifIndex(7).ifInOctets(-1L)).ethernet(e -> e.dot3StatsSymbolErrors(9))).build();

        List<FlowRecord> records = apply(stage(Map.of("counters", "emit")), d).records();

        assertThat(records).hasSize(2);
        FlowRecord c = records.get(1);
        assertThat(c.type()).isEqualTo(FlowType.SFLOW_5);
        assertThat(c.sequenceNum()).isEqualTo(4);
        assertThat(c.inIf()).isEqualTo(7);
        assertThat(c.bytes()).isZero();
        assertThat(c.packets()).isZero();
        assertThat(c.samplerAddress()).containsExactly(AGENT_BYTES);
        assertThat(c.observationDomainId()).isEqualTo(2);
        assertThat(c.attributes()).containsEntry("sample_type", "counters").containsEntry("source_id_type", 0L)
                .containsEntry("source_id_index", 7L).containsEntry("if_index", 7L)
                .containsEntry("if_in_octets", new java.math.BigInteger("18446744073709551615"))
                .containsEntry("dot3_stats_symbol_errors", 9L).hasSize(3 + 19 + 13);
        assertThat(decoder("caravan.decoder.records", AGENT)).isEqualTo(2);
    }

    @Test
    void unknownFormatsAreSkippedAndCountedNotErrors() throws Exception {
        Stage<DatagramBatch, FlowBatch> s = stage();
        byte[] d = agent().unknownSample(4413, 1, new byte[8])
                .flowSample(f -> f.unknownRecord(0, 1036, new byte[4]).sampledIpv4(ip -> ip.protocol(6))).build();

        FlowBatch batch = apply(s, d);

        assertThat(batch.records()).hasSize(1);
        assertThat(metric("caravan.sflow.unknown_formats", "exporter", AGENT, "kind", "samples")).isEqualTo(1);
        assertThat(metric("caravan.sflow.unknown_formats", "exporter", AGENT, "kind", "records")).isEqualTo(1);
        assertThat(agentStatus(s, AGENT)).containsEntry("unknownFormat", Map.of("samples", 1L, "records", 1L))
                .containsEntry("errors", Map.of());
        for (String reason : List.of("TRUNCATED", "BAD_VERSION", "BAD_LENGTH", "BAD_ADDRESS_TYPE", "COUNT_TOO_LARGE",
                "INTERNAL")) {
            assertThat(metric("caravan.decoder.errors", "protocol", "sflow", "exporter", AGENT, "reason", reason)).isZero();
        }
    }

    @Test
    void accountingPerAgent() throws Exception {
        Stage<DatagramBatch, FlowBatch> s = stage();
        byte[] one = agent().sequence(1).flowSample(f -> f.sequence(1)).flowSample(f -> f.sequence(2)).build();
        byte[] two = agent().sequence(2).flowSample(f -> f.sequence(3)).build();

        apply(s, one);
        apply(s, two);

        assertThat(decoder("caravan.decoder.datagrams", AGENT)).isEqualTo(2);
        assertThat(decoder("caravan.decoder.records", AGENT)).isEqualTo(3);
        assertThat(decoder("caravan.decoder.bytes", AGENT)).isEqualTo(one.length + two.length);
        assertThat(metric("caravan.sflow.samples", "exporter", AGENT, "kind", "flow")).isEqualTo(3);
        Map<String, Object> a = agentStatus(s, AGENT);
        assertThat(a).containsEntry("datagrams", 2L).containsEntry("records", 3L)
                .containsEntry("bytes", (long) one.length + two.length).containsEntry("lastReceivedMs", RECEIVED_MS);
        assertThat(s.status()).containsEntry("agentsTracked", 1).containsEntry("untrackedDatagrams", 0L);
        assertThat(context.gauge("caravan.sflow.agents", Map.of())).contains(1.0);
    }

    @Test
    void sequenceGapsRestartsAndDropsAreCountedSeparately() throws Exception {
        Stage<DatagramBatch, FlowBatch> s = stage();
        apply(s, agent().sequence(1).uptimeMs(1000).flowSample(f -> f.sequence(1).sourceId(0, 3).drops(10))
                .build());
        apply(s, agent().sequence(4).uptimeMs(4000).flowSample(f -> f.sequence(5).sourceId(0, 3).drops(12))
                .build());
        // Missing, not yet lost: they may still arrive late.
        assertThat(agentStatus(s, AGENT)).containsEntry("sequenceMissing", Map.of("datagrams", 2L, "samples", 3L))
                .containsEntry("sequenceGaps", Map.of("datagrams", 0L, "samples", 0L));
        // Agent rebooted: not a gap itself, but datagrams 2, 3 and samples 2..4, still missing, are counted lost.
        apply(s, agent().sequence(1).uptimeMs(10).flowSample(f -> f.sequence(1).sourceId(0, 3).drops(0))
                .build());
        apply(s, agent().sequence(2).uptimeMs(1010).flowSample(f -> f.sequence(2).sourceId(0, 3).drops(1))
                .build());

        assertThat(metric("caravan.decoder.sequence_gaps", "protocol", "sflow", "exporter", AGENT, "unit", "datagrams"))
                .isEqualTo(2);
        assertThat(metric("caravan.decoder.sequence_gaps", "protocol", "sflow", "exporter", AGENT, "unit", "samples"))
                .isEqualTo(3);
        assertThat(metric("caravan.sflow.agent_drops", "exporter", AGENT)).isEqualTo(3);
        assertThat(agentStatus(s, AGENT)).containsEntry("restarts", 1L).containsEntry("agentDrops", 3L)
                .containsEntry("sequenceGaps", Map.of("datagrams", 2L, "samples", 3L))
                .containsEntry("sequenceMissing", Map.of("datagrams", 0L, "samples", 0L));
    }

    @Test
    void aLossJustBeforeAnAgentGoesQuietIsCountedOnceItCanNoLongerArriveWhileOthersSend() throws Exception {
        Stage<DatagramBatch, FlowBatch> s = stage();
        apply(s, agent().sequence(1).uptimeMs(1000).build());
        apply(s, agent().sequence(4).uptimeMs(4000).build()); // 2 and 3 missing; then it goes quiet
        assertThat(agentStatus(s, AGENT)).containsEntry("sequenceMissing", Map.of("datagrams", 2L, "samples", 0L));

        clock.advance(MissingRanges.MAX_WAIT_MS + 1_000);            // past the wait and the next housekeeping
        long later = RECEIVED_MS + MissingRanges.MAX_WAIT_MS + 1_000;
        s.apply(DatagramBatch.of(new Datagram(SflowBuilder.datagram().agent("192.0.2.9").sequence(1).build(), SENDER,
                later)));

        assertThat(metric("caravan.decoder.sequence_gaps", "protocol", "sflow", "exporter", AGENT, "unit", "datagrams"))
                .isEqualTo(2);
        assertThat(agentStatus(s, AGENT)).containsEntry("sequenceGaps", Map.of("datagrams", 2L, "samples", 0L))
                .containsEntry("sequenceMissing", Map.of("datagrams", 0L, "samples", 0L));
    }

    @Test
    void malformedDatagramsAreCountedByReasonAndDropped() throws Exception {
        Stage<DatagramBatch, FlowBatch> s = stage();

        assertThat(apply(s, new byte[0])).isNull();
        assertThat(apply(s, SflowBuilder.datagram().version(4).build())).isNull();
        assertThat(apply(s, agent().flowSample(f -> f.recordCount(1_000_000)).build())).isNull();
        assertThat(apply(s, agent().counterSample(c -> c.declaredLength(500)).build())).isNull();

        String sender = "198.51.100.7";                             // no agent address could be read
        assertThat(decoder("caravan.decoder.datagrams", sender)).isEqualTo(2);
        assertThat(metric("caravan.decoder.errors", "protocol", "sflow", "exporter", sender, "reason", "TRUNCATED"))
                .isEqualTo(1);
        assertThat(metric("caravan.decoder.errors", "protocol", "sflow", "exporter", sender, "reason", "BAD_VERSION"))
                .isEqualTo(1);
        assertThat(metric("caravan.decoder.errors", "protocol", "sflow", "exporter", AGENT, "reason", "COUNT_TOO_LARGE"))
                .isEqualTo(1);
        assertThat(metric("caravan.decoder.errors", "protocol", "sflow", "exporter", AGENT, "reason", "TRUNCATED"))
                .isEqualTo(1);
        assertThat(decoder("caravan.decoder.datagrams", AGENT)).isEqualTo(2);
        assertThat(agentStatus(s, sender)).containsEntry("errors", Map.of("TRUNCATED", 1L, "BAD_VERSION", 1L));
        assertThat(agentStatus(s, AGENT)).containsEntry("errors", Map.of("TRUNCATED", 1L, "COUNT_TOO_LARGE", 1L));
    }

    @Test
    void onErrorFailThrowsAStageExceptionNamingTheExporterAndReason() throws Exception {
        Stage<DatagramBatch, FlowBatch> s = stage(Map.of("onError", "fail"));
        byte[] bad = agent().counterSample(c -> c.declaredLength(500)).build();

        assertThatThrownBy(() -> apply(s, bad)).isInstanceOf(StageException.class)
                .hasMessageStartingWith("sFlow datagram from 192.0.2.1: TRUNCATED at offset 36: sample needs 500 bytes");
        assertThat(metric("caravan.decoder.errors", "protocol", "sflow", "exporter", AGENT, "reason", "TRUNCATED"))
                .isEqualTo(1);
    }

    @Test
    void exporterLabelsAreCappedAndLaterAgentsShareOther() throws Exception {
        Stage<DatagramBatch, FlowBatch> s = stage(Map.of("maxExporterLabels", "1"));
        for (int i = 1; i <= 3; i++) {
            String agent = "192.0.2." + i;
            for (int n = 0; n < 5; n++) {
                apply(s, SflowBuilder.datagram().agent(agent).sequence(n + 1).flowSample(f -> f.sequence(1))
                        .build());
            }
        }

        assertThat(decoder("caravan.decoder.datagrams", "192.0.2.1")).isEqualTo(5);
        assertThat(decoder("caravan.decoder.datagrams", "other")).isEqualTo(10);
        assertThat(context.counter("caravan.decoder.datagrams", tags("protocol", "sflow", "exporter", "192.0.2.2")))
                .isEmpty();
        assertThat(context.counters().keySet()).filteredOn(k -> k.startsWith("caravan.decoder.datagrams"))
                .containsExactly("caravan.decoder.datagrams{exporter=192.0.2.1,protocol=sflow}",
                        "caravan.decoder.datagrams{exporter=other,protocol=sflow}");
        assertThat(map(s.status().get("agents"))).containsOnlyKeys("192.0.2.1", "192.0.2.2", "192.0.2.3");
    }

    @Test
    void agentsBeyondTheCapAreDecodedButNotTracked() throws Exception {
        Stage<DatagramBatch, FlowBatch> s = stage(Map.of("maxAgents", "1"));

        apply(s, SflowBuilder.datagram().agent("192.0.2.1").flowSample(f -> f.sequence(1)).build());
        FlowBatch b = apply(s, SflowBuilder.datagram().agent("192.0.2.2").flowSample(f -> f.sequence(1))
                .build());

        assertThat(b.records()).hasSize(1);
        assertThat(map(s.status().get("agents"))).containsOnlyKeys("192.0.2.1");
        assertThat(s.status()).containsEntry("untrackedDatagrams", 1L);
        assertThat(decoder("caravan.decoder.datagrams", "192.0.2.2")).isEqualTo(1);
    }

    @Test
    void ipv6AgentsAndUnknownAgentAddresses() throws Exception {
        Stage<DatagramBatch, FlowBatch> s = stage();

        FlowRecord v6 = apply(s, SflowBuilder.datagram().agent("2001:db8:0:0:0:0:0:7")
                .flowSample(f -> f.sequence(1)).build()).records().get(0);
        FlowRecord none = apply(s, SflowBuilder.datagram().agentAddressType(0).flowSample(f -> f.sequence(1))
                .build()).records().get(0);

        assertThat(v6.samplerAddress()).hasSize(16);
        assertThat(none.samplerAddress()).containsExactly(198, 51, 100, 7); // the UDP sender
        assertThat(map(s.status().get("agents"))).containsOnlyKeys("2001:db8::7", "198.51.100.7");
    }

    @Test
    void syntheticFlowsRoundTripThroughTheBuilder() throws Exception {
        SyntheticFlow tcp = new SyntheticFlow(SRC, DST, 40000, 443, 6, 10, 10 * 900, 0, 0, 0x1b, 0x20, 3, 4, 65001, 65002,
                new byte[] {10, 0, 0, (byte) 254}, 24, 16);
        SyntheticFlow udp6 = SyntheticFlow.of(new byte[16], new byte[16], 53, 5353, 17, 1, 120, 0, 0);

        List<FlowRecord> r = apply(stage(), agent().flowSampleSequence(100).addFlowSample(tcp, 512, 128)
                .addFlowSample(udp6, 512, 128).build()).records();

        assertThat(r.get(0).bytes()).isEqualTo(900);
        assertThat(r.get(0).packets()).isEqualTo(1);
        assertThat(r.get(0).samplingRate()).isEqualTo(512);
        assertThat(r.get(0).sequenceNum()).isEqualTo(100);
        assertThat(r.get(0).srcPort()).isEqualTo(40000);
        assertThat(r.get(0).tcpFlags()).isEqualTo(0x1b);
        assertThat(r.get(0).ipTos()).isEqualTo(0x20);
        assertThat(r.get(0).inIf()).isEqualTo(3);
        assertThat(r.get(0).outIf()).isEqualTo(4);
        assertThat(r.get(0).srcAs()).isEqualTo(65001);
        assertThat(r.get(0).dstAs()).isEqualTo(65002);
        assertThat(r.get(0).srcNet()).isEqualTo(24);
        assertThat(r.get(1).bytes()).isEqualTo(120);
        assertThat(r.get(1).etype()).isEqualTo(0x86DD);
        assertThat(r.get(1).dstPort()).isEqualTo(5353);
        assertThat(r.get(1).sequenceNum()).isEqualTo(101);
    }

    @Test
    void corruptedDatagramsNeverEscapeAsAnythingButCountedErrors() throws Exception {
        Stage<DatagramBatch, FlowBatch> s = stage();
        byte[] frame = PacketBuilder.ethernet().qinq(1, 2).mpls(3).ipv6("2001:db8::1", "2001:db8::2").hopByHop()
                .ipv6Fragment(0, true, 1).tcp(1, 2).payloadSize(80).build();
        byte[] valid = agent().flowSample(f -> f.rawHeader(frame, 128).extendedGateway(g -> g.asSequence(1, 2)
                .communities(3))).counterSample(c -> c.genericInterface(i -> i.ifIndex(1))).build();
        SplittableRandom random = new SplittableRandom(7);
        Map<String, Integer> outcomes = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            byte[] d = valid.clone();
            for (int f = 1 + random.nextInt(3); f > 0; f--) {
                d[random.nextInt(d.length)] = (byte) random.nextInt(256);
            }
            FlowBatch b = apply(s, d);
            outcomes.merge(b == null ? "dropped" : "decoded", 1, Integer::sum);
        }

        long errors = context.sum("caravan.decoder.errors");
        assertThat(errors).isEqualTo((long) outcomes.getOrDefault("dropped", 0));
        assertThat(outcomes.get("decoded")).isPositive();
    }

    @Test
    void optionsAreCheckedBeforeTheStageExists() {
        assertThatThrownBy(() -> stage(Map.of("maxExporterLabels", "-1"))).isInstanceOf(OptionException.class)
                .hasMessage("stage 'decode-sflow': option 'maxExporterLabels' must be 0 to 100000; got '-1'");
        assertThatThrownBy(() -> stage(Map.of("maxAgents", "-5"))).isInstanceOf(OptionException.class)
                .hasMessageContaining("'maxAgents' must be 0 to 1000000");
        assertThatThrownBy(() -> stage(Map.of("counters", "drop"))).isInstanceOf(OptionException.class)
                .hasMessageContaining("must be one of keep, emit");
        assertThatThrownBy(() -> stage(Map.of("onError", "skip"))).isInstanceOf(OptionException.class)
                .hasMessageContaining("must be one of drop, fail");
        assertThatThrownBy(() -> stage(Map.of("maxStateBytes", "1KiB"))).isInstanceOf(OptionException.class)
                .hasMessageContaining("'maxStateBytes' must be 64KiB to 16GiB");
        assertThatThrownBy(() -> stage(Map.of("maxAgentStateBytes", "lots"))).isInstanceOf(OptionException.class)
                .hasMessageContaining("'maxAgentStateBytes' expects size in bytes");
        assertThatThrownBy(() -> stage(Map.of("stateIdleAfter", "10ms"))).isInstanceOf(OptionException.class)
                .hasMessageContaining("'stateIdleAfter' must be 1s to 1h");
        assertThatThrownBy(() -> stage(Map.of("maxStateBytes", "1MiB", "maxAgentStateBytes", "2MiB")))
                .isInstanceOf(OptionException.class)
                .hasMessage("stage 'decode-sflow': option 'maxAgentStateBytes' (2097152 bytes) must not exceed "
                        + "'maxStateBytes' (1048576 bytes)");
    }

    @Test
    void theBoundsAreInTheStatus() throws Exception {
        Stage<DatagramBatch, FlowBatch> s = stage(Map.of("maxStateBytes", "8MiB", "maxAgentStateBytes", "1MiB",
                "stateIdleAfter", "30s", "maxAgents", "7"));

        assertThat(s.status()).containsEntry("maxAgents", 7).containsEntry("maxStateBytes", 8L << 20)
                .containsEntry("maxAgentStateBytes", 1L << 20).containsEntry("stateIdleAfterMs", 30_000L)
                .containsEntry("stateBytes", 0L).containsEntry("degraded", "");
        assertThat(stage().status()).containsEntry("maxStateBytes", 64L << 20).containsEntry("maxAgentStateBytes", 4L << 20)
                .containsEntry("stateIdleAfterMs", 120_000L).containsEntry("maxAgents", 1000);
    }

    @Test
    void aBatchGivesOneFlowBatchAndLeavesOutOnlyTheUndecodableDatagrams() throws Exception {
        Stage<DatagramBatch, FlowBatch> s = stage();
        byte[] one = agent().sequence(1).flowSample(f -> f.sequence(1)).flowSample(f -> f.sequence(2)).build();
        byte[] bad = agent().sequence(2).counterSample(c -> c.declaredLength(500)).build();
        byte[] two = agent().sequence(3).flowSample(f -> f.sequence(3)).build();
        List<Datagram> datagrams = List.of(new Datagram(one, SENDER, RECEIVED_MS + 5), new Datagram(bad, SENDER,
                RECEIVED_MS + 6), new Datagram(two, SENDER, RECEIVED_MS));

        FlowBatch b = s.apply(new DatagramBatch(datagrams));

        assertThat(b.records()).extracting(FlowRecord::sequenceNum).containsExactly(1L, 2L, 3L);
        assertThat(b.origin()).isEqualTo(new Origin(SENDER, 2, RECEIVED_MS)); // one source: its earliest receive time
        assertThat(decoder("caravan.decoder.datagrams", AGENT)).isEqualTo(3);
        assertThat(decoder("caravan.decoder.records", AGENT)).isEqualTo(3);
        assertThat(metric("caravan.decoder.errors", "protocol", "sflow", "exporter", AGENT, "reason", "TRUNCATED"))
                .isEqualTo(1);
        assertThat(agentStatus(s, AGENT)).containsEntry("datagrams", 3L)
                .containsEntry("sequenceMissing", Map.of("datagrams", 0L, "samples", 0L));
    }

    @Test
    void recordsOfSeveralSourcesInOneBatchHaveNoSingleOrigin() throws Exception {
        Stage<DatagramBatch, FlowBatch> s = stage();
        byte[] sub2 = agent().flowSample(f -> f.sequence(1)).build();
        byte[] sub3 = agent().subAgentId(3).flowSample(f -> f.sequence(1)).build();

        FlowBatch b = s.apply(new DatagramBatch(List.of(datagram(sub2), datagram(sub3))));

        assertThat(b.records()).hasSize(2).allSatisfy(r -> assertThat(r.samplerAddress()).containsExactly(AGENT_BYTES));
        assertThat(b.origin()).isEqualTo(Origin.UNKNOWN);
    }

    @Test
    void aBatchOfOnlyUndecodableDatagramsOrNoneGivesNothing() throws Exception {
        Stage<DatagramBatch, FlowBatch> s = stage();

        assertThat(s.apply(new DatagramBatch(List.of(datagram(new byte[3]), datagram(new byte[40]))))).isNull();
        assertThat(s.apply(new DatagramBatch(List.of()))).isNull();
        assertThat(context.sum("caravan.decoder.errors")).isEqualTo(2);
    }

    @Test
    void onErrorFailAccountsTheWholeBatchThenFailsItNamingTheFirstError() throws Exception {
        Stage<DatagramBatch, FlowBatch> s = stage(Map.of("onError", "fail"));
        byte[] good = agent().sequence(1).flowSample(f -> f.sequence(1)).build();
        byte[] bad = agent().sequence(2).counterSample(c -> c.declaredLength(500)).build();

        assertThatThrownBy(() -> s.apply(new DatagramBatch(List.of(datagram(bad), datagram(good), datagram(new byte[3])))))
                .isInstanceOf(StageException.class)
                .hasMessageStartingWith("sFlow datagram from 192.0.2.1: TRUNCATED at offset 36")
                .hasMessageEndingWith("(and 1 more undecodable datagrams in the batch)");
        assertThat(decoder("caravan.decoder.records", AGENT)).isEqualTo(1);
        assertThat(context.sum("caravan.decoder.errors")).isEqualTo(2);
    }

    @Test
    void everySharedDecoderSeriesHasTheSameLabelsAsEveryOtherDecodersOnes() throws Exception {
        // What netflow registers first, as in a server running both: one name, one tag set (issue 12 item 1).
        context.counter("caravan.decoder.sequence_gaps", "protocol", "netflow", "exporter", "192.0.2.99", "unit",
                "datagrams");
        Stage<DatagramBatch, FlowBatch> s = stage();

        apply(s, agent().flowSample(f -> f.sequence(1)).build());

        for (String unit : List.of("datagrams", "samples")) {
            assertThat(context.counter("caravan.decoder.sequence_gaps",
                    Map.of("protocol", "sflow", "exporter", AGENT, "unit", unit))).as(unit).contains(0L);
        }
        for (String name : List.of("caravan.decoder.datagrams", "caravan.decoder.records", "caravan.decoder.bytes")) {
            assertThat(context.counter(name, Map.of("protocol", "sflow", "exporter", AGENT))).as(name).isPresent();
        }
        assertThat(context.counter("caravan.decoder.errors",
                Map.of("protocol", "sflow", "exporter", AGENT, "reason", "BAD_LENGTH"))).contains(0L);
        assertThat(context.counter("caravan.decoder.overflow_datagrams", Map.of("protocol", "sflow"))).contains(0L);
        for (String kind : List.of("agents", "sub_agents", "data_sources")) {
            assertThat(context.counter("caravan.decoder.state_evictions", Map.of("protocol", "sflow", "kind", kind)))
                    .as(kind).contains(0L);
        }
        for (String kind : List.of("agents", "sub_agents", "data_sources", "missing_ranges")) {
            assertThat(context.counter("caravan.sflow.state_refusals", Map.of("kind", kind))).as(kind).contains(0L);
        }
        assertThat(context.gauge("caravan.decoder.state_bytes", Map.of("protocol", "sflow"))).hasValueSatisfying(
                b -> assertThat(b).isPositive());
        assertThat(context.counter("caravan.sflow.agent_drops", Map.of("exporter", AGENT))).contains(0L);
        assertThat(context.counter("caravan.sflow.samples", Map.of("exporter", AGENT, "kind", "flow"))).contains(1L);
        assertThat(context.counters().keySet()).noneMatch(k -> k.startsWith("caravan.decoder.sequence_gaps")
                && k.contains("kind="));
    }

    @Test
    void theSampledByteCountIsNeverScaledByTheRate() throws Exception {
        UnaryOperator<SflowBuilder> sample = b -> b.flowSample(f -> f.samplingRate(4096)
                .rawHeader(h -> h.frameLength(1518).stripped(4).header(new byte[14])));

        FlowRecord r = apply(stage(), sample.apply(agent()).build()).records().get(0);

        assertThat(r.bytes()).isEqualTo(1514);
        assertThat(r.packets()).isEqualTo(1);
        assertThat(r.samplingRate()).isEqualTo(4096);
    }
}
