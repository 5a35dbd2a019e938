package io.caravan.sflow.fuzz;

import io.caravan.testkit.fuzz.DatagramSequence;
import io.caravan.testkit.fuzz.DatagramSequence.Step;
import io.caravan.traffic.datagram.SflowBuilder;
import io.caravan.traffic.packet.PacketBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed corpus of the sFlow fuzz target, built with the traffic builders: valid agent conversations that
 * each decode to records. {@link SeedCorpusTest} writes them as {@code seed-<name>} files.
 */
final class SflowSeeds {
    /** Index of a 1 s move in {@link DatagramSequence#ADVANCE_MS}. */
    private static final int ONE_SECOND = 8;
    private static final int NO_MOVE = 0;
    /** Config bit 0 of {@link SflowFuzzHarness#start}: counter samples become records too. */
    private static final int EMIT_COUNTERS = 1;

    private SflowSeeds() {
    }

    private static byte[] seed(int config, Step... steps) {
        return DatagramSequence.encode(config, List.of(steps));
    }

    private static Step step(int advance, byte[] payload) {
        return Step.of(0, advance, payload);
    }

    private static SflowBuilder agent(long sequence, long uptimeMs) {
        return SflowBuilder.datagram().agent("192.0.2.1").subAgentId(0).sequence(sequence).uptimeMs(uptimeMs);
    }

    static Map<String, byte[]> datagramSequences() {
        byte[] tcp = PacketBuilder.ethernet().srcMac("aa:bb:cc:dd:ee:01").dstMac("aa:bb:cc:dd:ee:02").vlan(100)
                .ipv4("10.0.0.1", "192.0.2.9").tos(0x28).ttl(61).tcp(51000, 443).tcpFlags(PacketBuilder.TCP_SYN)
                .payloadSize(1400).build();
        byte[] udp6 = PacketBuilder.ethernet().qinq(10, 20).ipv6("2001:db8::1", "2001:db8::2").hopByHop()
                .ipv6Fragment(0, true, 7).udp(5353, 53).payloadSize(200).build();
        byte[] mpls = PacketBuilder.ethernet().mpls(1000).mpls(2000).ipv4("10.0.0.2", "10.0.0.3")
                .icmp(8, 0).payloadSize(56).build();
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("flow-sample-extended", seed(0, step(NO_MOVE, agent(1, 60_000)
                .flowSample(s -> s.sequence(1).sourceId(0, 3).samplingRate(1000).samplePool(1000).input(3).output(4)
                        .rawHeader(tcp, 128)
                        .extendedSwitch(x -> x.srcVlan(100).srcPriority(1).dstVlan(200).dstPriority(2))
                        .extendedRouter(r -> r.nextHop("192.0.2.254").srcMaskLen(24).dstMaskLen(16))
                        .extendedGateway(g -> g.nextHop("192.0.2.253").as(65000).srcAs(65001).srcPeerAs(65002)
                                .asSequence(65003, 65004).asSet(65010).communities(0xFDE80001L, 2).localPref(100)))
                .build())));
        seeds.put("ipv6-mpls-expanded", seed(0, step(NO_MOVE, agent(1, 60_000)
                .expandedFlowSample(s -> s.sequence(1).sourceId(0, 5).samplingRate(512).samplePool(512).input(5)
                        .outputMultiple(2).rawHeader(udp6, 128))
                .flowSample(s -> s.sequence(2).sourceId(0, 3).samplingRate(1000).samplePool(2000).input(3)
                        .outputDiscarded(1).rawHeader(mpls, 128))
                .build())));
        seeds.put("sampled-records-and-unknown", seed(0, step(NO_MOVE, SflowBuilder.datagram()
                .agent("2001:db8::7").subAgentId(3).sequence(9).uptimeMs(5_000)
                .flowSample(s -> s.sequence(1).sourceId(0, 3).samplingRate(100).samplePool(100).input(3).output(4)
                        .sampledEthernet(e -> e.length(1518).srcMac(0xaabbccddee01L).dstMac(0xaabbccddee02L)
                                .type(PacketBuilder.ETHERTYPE_IPV4))
                        .sampledIpv4(ip -> ip.length(1500).protocol(6).src("10.0.0.1").dst("10.0.0.2").srcPort(1)
                                .dstPort(2).tcpFlags(0x12).tos(0))
                        .sampledIpv6(ip -> ip.length(1280).protocol(17).src("2001:db8::1").dst("2001:db8::2")
                                .srcPort(3).dstPort(4).priority(5))
                        .unknownRecord(4413, 7, new byte[] {1, 2, 3}))
                .unknownSample(4413, 9, new byte[8])
                .discardedPacket(p -> p.sequence(1).sourceId(0, 3).drops(2).input(3).output(4).reason(10)
                        .rawHeader(tcp, 64))
                .build())));
        seeds.put("counters", seed(EMIT_COUNTERS, step(NO_MOVE, agent(1, 60_000)
                .counterSample(c -> c.sequence(1).sourceId(0, 3)
                        .genericInterface(i -> i.ifIndex(3).ifType(6).ifSpeed(1_000_000_000L).ifDirection(1)
                                .ifStatus(3).ifInOctets(1000).ifInUcastPkts(10).ifOutOctets(2000))
                        .ethernet(e -> e.dot3StatsFCSErrors(1).dot3StatsLateCollisions(2)))
                .expandedCounterSample(c -> c.sequence(1).sourceId(0, 4).genericInterface(i -> i.ifIndex(4)))
                .flowSample(s -> s.sequence(1).sourceId(0, 3).samplingRate(10).samplePool(10).input(3).output(4)
                        .rawHeader(tcp, 64))
                .build())));
        seeds.put("sequence-gap-restart-agents", seed(0,
                step(NO_MOVE, agent(1, 60_000).flowSample(s -> s.sequence(1).sourceId(0, 3).samplingRate(10)
                        .samplePool(10).input(3).output(4).rawHeader(tcp, 64)).build()),
                step(ONE_SECOND, agent(2, 61_000).flowSample(s -> s.sequence(2).sourceId(0, 3).samplingRate(10)
                        .samplePool(20).drops(1).input(3).output(4).rawHeader(tcp, 64)).build()),
                step(ONE_SECOND, agent(7, 62_000).flowSample(s -> s.sequence(9).sourceId(0, 3).samplingRate(10)
                        .samplePool(90).input(3).output(4).rawHeader(tcp, 64)).build()),
                step(ONE_SECOND, agent(1, 1_000).flowSample(s -> s.sequence(1).sourceId(0, 3).samplingRate(10)
                        .samplePool(10).input(3).output(4).rawHeader(tcp, 64)).build()),
                Step.of(1, ONE_SECOND, SflowBuilder.datagram().agent("192.0.2.2").subAgentId(1).sequence(1)
                        .uptimeMs(1_000).flowSample(s -> s.sequence(1).sourceId(0, 7).samplingRate(10).samplePool(10)
                                .input(7).output(8).rawHeader(udp6, 96)).build())));
        return seeds;
    }
}
