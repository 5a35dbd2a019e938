package io.caravan.sflow.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.decode.DecodeException;
import io.caravan.traffic.datagram.SflowBuilder;
import io.caravan.traffic.packet.PacketBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class SflowDecoderTest {
    private static final byte[] FRAME = PacketBuilder.ethernet().vlan(100).ipv4("10.0.0.1", "192.0.2.9")
            .tcp(51000, 443).payloadSize(1000).build();

    private final SflowDecoder decoder = new SflowDecoder();

    @Test
    void everyHeaderField() throws Exception {
        SflowDatagram v4 = decoder.decode(SflowBuilder.datagram().agent("192.0.2.1").subAgentId(0xFFFFFFFFL)
                .sequence(0xFFFFFFFEL).uptimeMs(0x80000001L).build());
        SflowDatagram v6 = decoder.decode(SflowBuilder.datagram().agent("2001:db8::7").subAgentId(3).sequence(1)
                .uptimeMs(5).build());
        SflowDatagram unknown = decoder.decode(SflowBuilder.datagram().agentAddressType(0).sequence(9).build());

        DatagramHeader h = v4.header();
        assertThat(h.version()).isEqualTo(5);
        assertThat(h.agentAddressType()).isEqualTo(1);
        assertThat(h.agentAddress()).containsExactly(192, 0, 2, 1);
        assertThat(h.subAgentId()).isEqualTo(0xFFFFFFFFL);       // u32 widened, never negative
        assertThat(h.sequence()).isEqualTo(0xFFFFFFFEL);
        assertThat(h.uptimeMs()).isEqualTo(0x80000001L);
        assertThat(h.sampleCount()).isZero();
        assertThat(h.samplesOffset()).isEqualTo(28);
        assertThat(v4.samples()).isEmpty();
        assertThat(v6.header().agentAddressType()).isEqualTo(2);
        assertThat(v6.header().agentAddress()).hasSize(16).endsWith(0, 7);
        assertThat(v6.header().subAgentId()).isEqualTo(3);
        assertThat(v6.header().samplesOffset()).isEqualTo(40);
        assertThat(unknown.header().agentAddress()).isNull();
        assertThat(unknown.header().sequence()).isEqualTo(9);
        assertThat(unknown.header().samplesOffset()).isEqualTo(24);
    }

    @Test
    void compactFlowSampleSplitsSourceIdAndInterfaceWords() throws Exception {
        byte[] d = SflowBuilder.datagram().flowSample(s -> s.sequence(0xFFFFFFFFL).sourceId(2, 0xABCDEF)
                .samplingRate(0xFFFFFFFFL).samplePool(123_456).drops(7).input(SflowBuilder.IF_INTERNAL)
                .outputDiscarded(258).rawHeader(FRAME, 128)).build();

        FlowSample s = (FlowSample) decoder.decode(d).samples().get(0);

        assertThat(s.expanded()).isFalse();
        assertThat(s.sequence()).isEqualTo(0xFFFFFFFFL);
        assertThat(s.sourceIdType()).isEqualTo(2);
        assertThat(s.sourceIdIndex()).isEqualTo(0xABCDEF);
        assertThat(s.samplingRate()).isEqualTo(0xFFFFFFFFL);
        assertThat(s.samplePool()).isEqualTo(123_456);
        assertThat(s.drops()).isEqualTo(7);
        assertThat(s.inputFormat()).isZero();
        assertThat(s.inputValue()).isEqualTo(0x3FFFFFFFL);
        assertThat(s.outputFormat()).isEqualTo(FlowSample.IF_DISCARDED);
        assertThat(s.outputValue()).isEqualTo(258);
        SampledHeader h = (SampledHeader) s.records().get(0);
        assertThat(h.headerProtocol()).isEqualTo(1);
        assertThat(h.frameLength()).isEqualTo(FRAME.length + 4);
        assertThat(h.stripped()).isEqualTo(4);
        assertThat(h.headerLength()).isEqualTo(128);
        assertThat(java.util.Arrays.copyOfRange(h.data(), h.offset(), h.offset() + 128))
                .containsExactly(java.util.Arrays.copyOf(FRAME, 128));
    }

    @Test
    void expandedFlowSampleKeepsFullWidthValues() throws Exception {
        byte[] d = SflowBuilder.datagram().expandedFlowSample(s -> s.sequence(12).sourceId(0, 0x12345678L)
                .samplingRate(512).samplePool(99).drops(1).input(0, 0x87654321L).outputMultiple(3)).build();

        FlowSample s = (FlowSample) decoder.decode(d).samples().get(0);

        assertThat(s.expanded()).isTrue();
        assertThat(s.sequence()).isEqualTo(12);
        assertThat(s.sourceIdType()).isZero();
        assertThat(s.sourceIdIndex()).isEqualTo(0x12345678L);
        assertThat(s.samplingRate()).isEqualTo(512);
        assertThat(s.samplePool()).isEqualTo(99);
        assertThat(s.drops()).isEqualTo(1);
        assertThat(s.inputFormat()).isZero();
        assertThat(s.inputValue()).isEqualTo(0x87654321L);
        assertThat(s.outputFormat()).isEqualTo(FlowSample.IF_MULTIPLE);
        assertThat(s.outputValue()).isEqualTo(3);
        assertThat(s.records()).isEmpty();
    }

    @Test
    void sampledAndExtendedRecords() throws Exception {
        byte[] d = SflowBuilder.datagram().flowSample(s -> s
                .sampledEthernet(e -> e.length(1518).srcMac(0xaabbccddee01L).dstMac(0xaabbccddee02L).type(0x0800))
                .sampledIpv4(ip -> ip.length(1500).protocol(6).src("10.1.1.1").dst("10.2.2.2").srcPort(1).dstPort(2)
                        .tcpFlags(0x12).tos(0x10))
                .sampledIpv6(ip -> ip.length(60).protocol(17).src("2001:db8::1").dst("2001:db8::2").srcPort(3).dstPort(4)
                        .tcpFlags(0).priority(5))
                .extendedSwitch(x -> x.srcVlan(10).srcPriority(1).dstVlan(20).dstPriority(2))
                .extendedRouter(r -> r.nextHop("2001:db8::fe").srcMaskLen(48).dstMaskLen(64))
                .extendedGateway(g -> g.nextHop("192.0.2.253").as(65000).srcAs(65001).srcPeerAs(65002)
                        .asSequence(65003, 65004).asSet(65010).communities(0xFDE80001L, 2).localPref(100)))
                .build();

        List<FlowData> r = ((FlowSample) decoder.decode(d).samples().get(0)).records();

        assertThat(r).hasSize(6);
        assertThat(r.get(0)).isEqualTo(new SampledEthernet(1518, 0xaabbccddee01L, 0xaabbccddee02L, 0x0800));
        SampledIpv4 v4 = (SampledIpv4) r.get(1);
        assertThat(v4.length()).isEqualTo(1500);
        assertThat(v4.protocol()).isEqualTo(6);
        assertThat(v4.srcAddress()).containsExactly(10, 1, 1, 1);
        assertThat(v4.dstAddress()).containsExactly(10, 2, 2, 2);
        assertThat(v4.srcPort()).isEqualTo(1);
        assertThat(v4.dstPort()).isEqualTo(2);
        assertThat(v4.tcpFlags()).isEqualTo(0x12);
        assertThat(v4.tos()).isEqualTo(0x10);
        SampledIpv6 v6 = (SampledIpv6) r.get(2);
        assertThat(v6.length()).isEqualTo(60);
        assertThat(v6.protocol()).isEqualTo(17);
        assertThat(v6.srcAddress()).hasSize(16).endsWith(0, 1);
        assertThat(v6.dstAddress()).hasSize(16).endsWith(0, 2);
        assertThat(v6.srcPort()).isEqualTo(3);
        assertThat(v6.dstPort()).isEqualTo(4);
        assertThat(v6.priority()).isEqualTo(5);
        assertThat(r.get(3)).isEqualTo(new ExtendedSwitch(10, 1, 20, 2));
        ExtendedRouter router = (ExtendedRouter) r.get(4);
        assertThat(router.nextHop()).hasSize(16).endsWith(0, (byte) 0xfe);
        assertThat(router.srcMaskLen()).isEqualTo(48);
        assertThat(router.dstMaskLen()).isEqualTo(64);
        ExtendedGateway g = (ExtendedGateway) r.get(5);
        assertThat(g.nextHop()).containsExactly(192, 0, 2, 253);
        assertThat(g.as()).isEqualTo(65000);
        assertThat(g.srcAs()).isEqualTo(65001);
        assertThat(g.srcPeerAs()).isEqualTo(65002);
        assertThat(g.asPath()).hasSize(2);
        assertThat(g.asPath().get(0).type()).isEqualTo(ExtendedGateway.AsPathSegment.AS_SEQUENCE);
        assertThat(g.asPath().get(0).asns()).containsExactly(65003, 65004);
        assertThat(g.asPath().get(1).type()).isEqualTo(ExtendedGateway.AsPathSegment.AS_SET);
        assertThat(g.flatAsPath()).containsExactly(65003, 65004, 65010);
        assertThat(g.communities()).containsExactly(0xFDE80001L, 2);
        assertThat(g.localPref()).isEqualTo(100);
    }

    @Test
    void counterSamplesCompactAndExpanded() throws Exception {
        byte[] d = SflowBuilder.datagram()
                .counterSample(c -> c.sequence(5).sourceId(0, 3).genericInterface(i -> i.ifIndex(3).ifType(6)
                        .ifSpeed(0xFFFF_FFFF_FFFF_FFFFL).ifDirection(1).ifStatus(3).ifInOctets(123_456_789_012L)
                        .ifInUcastPkts(1).ifInMulticastPkts(2).ifInBroadcastPkts(3).ifInDiscards(4).ifInErrors(5)
                        .ifInUnknownProtos(6).ifOutOctets(7).ifOutUcastPkts(8).ifOutMulticastPkts(9)
                        .ifOutBroadcastPkts(10).ifOutDiscards(11).ifOutErrors(12).ifPromiscuousMode(1))
                        .ethernet(e -> e.dot3StatsAlignmentErrors(1).dot3StatsFCSErrors(2)
                                .dot3StatsSingleCollisionFrames(3).dot3StatsMultipleCollisionFrames(4)
                                .dot3StatsSQETestErrors(5).dot3StatsDeferredTransmissions(6).dot3StatsLateCollisions(7)
                                .dot3StatsExcessiveCollisions(8).dot3StatsInternalMacTransmitErrors(9)
                                .dot3StatsCarrierSenseErrors(10).dot3StatsFrameTooLongs(11)
                                .dot3StatsInternalMacReceiveErrors(12).dot3StatsSymbolErrors(0xFFFFFFFFL)))
                .expandedCounterSample(c -> c.sequence(6).sourceId(1, 70_000).ethernet(e -> e.dot3StatsFCSErrors(9)))
                .build();

        List<Sample> samples = decoder.decode(d).samples();

        CounterSample compact = (CounterSample) samples.get(0);
        assertThat(compact.expanded()).isFalse();
        assertThat(compact.sequence()).isEqualTo(5);
        assertThat(compact.sourceIdType()).isZero();
        assertThat(compact.sourceIdIndex()).isEqualTo(3);
        assertThat(compact.records()).containsExactly(
                new GenericInterfaceCounters(3, 6, 0xFFFF_FFFF_FFFF_FFFFL, 1, 3, 123_456_789_012L, 1, 2, 3, 4, 5, 6, 7,
                        8, 9, 10, 11, 12, 1),
                new EthernetCounters(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0xFFFFFFFFL));
        CounterSample expanded = (CounterSample) samples.get(1);
        assertThat(expanded.expanded()).isTrue();
        assertThat(expanded.sourceIdType()).isEqualTo(1);
        assertThat(expanded.sourceIdIndex()).isEqualTo(70_000);
        assertThat(((EthernetCounters) expanded.records().get(0)).dot3StatsFCSErrors()).isEqualTo(9);
    }

    @Test
    void discardedPacketSample() throws Exception {
        byte[] d = SflowBuilder.datagram().discardedPacket(p -> p.sequence(4).sourceId(0, 9).drops(2).input(9).output(0)
                .reason(258).rawHeader(FRAME, 64)).build();

        DiscardedPacket p = (DiscardedPacket) decoder.decode(d).samples().get(0);

        assertThat(p.sequence()).isEqualTo(4);
        assertThat(p.sourceIdType()).isZero();
        assertThat(p.sourceIdIndex()).isEqualTo(9);
        assertThat(p.drops()).isEqualTo(2);
        assertThat(p.input()).isEqualTo(9);
        assertThat(p.output()).isZero();
        assertThat(p.reason()).isEqualTo(258);
        assertThat(((SampledHeader) p.records().get(0)).headerLength()).isEqualTo(64);
    }

    @Test
    void unknownSamplesAndRecordsAreSkippedByLengthAndCounted() throws Exception {
        byte[] d = SflowBuilder.datagram()
                .unknownSample(4413, 1, new byte[] {1, 2, 3, 4, 5, 6, 7, 8})       // Broadcom, not ours
                .unknownSample(0, 6, new byte[12])                                  // standard format 6: unknown
                .flowSample(s -> s.sequence(1).unknownRecord(0, 1036, new byte[] {9, 9, 9, 9})
                        .unknownRecord(8800, 1, new byte[0]).sampledIpv4(ip -> ip.protocol(17)))
                .counterSample(c -> c.sequence(2).unknownRecord(0, 1001, new byte[] {0, 0, 0, 1, 0, 0, 0, 2})
                        .ethernet(e -> e.dot3StatsFCSErrors(3)))
                .build();

        SflowDatagram r = decoder.decode(d);

        assertThat(r.unknownSamples()).isEqualTo(2);
        assertThat(r.unknownRecords()).isEqualTo(3);
        assertThat(r.samples()).hasSize(2);
        assertThat(((FlowSample) r.samples().get(0)).records()).singleElement().isInstanceOf(SampledIpv4.class);
        assertThat(((CounterSample) r.samples().get(1)).records()).singleElement().isInstanceOf(EthernetCounters.class);
    }

    @Test
    void trailingBytesAfterTheLastSampleAndRecordAreIgnored() throws Exception {
        byte[] d = SflowBuilder.datagram()
                .rawSample(SflowBuilder.dataFormat(0, 2), 12 + 4, new byte[] {0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 0,
                        (byte) 0xEE, (byte) 0xEE, (byte) 0xEE, (byte) 0xEE})
                .build();
        byte[] padded = java.util.Arrays.copyOf(d, d.length + 8);

        SflowDatagram r = decoder.decode(padded);

        assertThat(r.samples()).singleElement().isEqualTo(new CounterSample(false, 1, 0, 3, List.of()));
    }

    @Test
    void capsAreConstructorArguments() {
        SflowDecoder tight = new SflowDecoder(1, 2);
        byte[] twoSamples = SflowBuilder.datagram().counterSample(c -> c.sequence(1)).counterSample(c -> c.sequence(2))
                .build();
        byte[] threeRecords = SflowBuilder.datagram().flowSample(s -> s.extendedSwitch(x -> x.srcVlan(1))
                .extendedSwitch(x -> x.srcVlan(2)).extendedSwitch(x -> x.srcVlan(3))).build();

        assertThat(MalformedDatagramTest.reasonOf(tight, twoSamples)).isEqualTo(DecodeException.Reason.COUNT_TOO_LARGE);
        assertThat(MalformedDatagramTest.reasonOf(tight, threeRecords)).isEqualTo(DecodeException.Reason.COUNT_TOO_LARGE);
        assertThat(MalformedDatagramTest.reasonOf(new SflowDecoder(2, 3), twoSamples)).isNull();
        assertThat(MalformedDatagramTest.reasonOf(new SflowDecoder(2, 3), threeRecords)).isNull();
    }
}
