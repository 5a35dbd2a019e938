package io.caravan.sflow.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.decode.DecodeException;
import io.caravan.api.flow.FlowRecord;
import io.caravan.sflow.wire.CounterSample;
import io.caravan.sflow.wire.DatagramHeader;
import io.caravan.sflow.wire.DiscardedPacket;
import io.caravan.sflow.wire.FlowSample;
import io.caravan.sflow.wire.Sample;
import io.caravan.sflow.wire.SampleLog;
import io.caravan.sflow.wire.SflowDatagram;
import io.caravan.sflow.wire.SflowDecoder;
import io.caravan.testkit.captures.Captures;
import io.caravan.traffic.datagram.SflowBuilder;
import io.caravan.traffic.packet.PacketBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link DatagramMapper}'s one pass gives what the two passes it replaces give
 * ({@link SflowDecoder#decode(DatagramHeader, byte[])}, then {@link FlowRecordMapper} per
 * sample): the same records field by field (attribute order included), the same samples for the
 * accounting, and for a malformed datagram the same exception (reason, offset, message). Checked
 * on datagrams with every record kind, on a real agent's capture, and on every truncation and
 * random corruptions of them.
 */
class DatagramMapperTest {
    private static final byte[] AGENT = {(byte) 192, 0, 2, 1};
    private static final long RECEIVED_NS = 1_800_000_000_000_000_000L;

    /** What one path made of a datagram: records and logged samples, or the exception. */
    private record Outcome(List<FlowRecord> records, List<List<Object>> samples, List<List<String>> attributeOrder,
                           String error) {
    }

    private static Map<String, byte[]> corpus() throws Exception {
        byte[] tcp = PacketBuilder.ethernet().srcMac("aa:bb:cc:dd:ee:01").dstMac("aa:bb:cc:dd:ee:02").vlan(100)
                .ipv4("10.1.1.1", "10.2.2.2").tos(0x28).ttl(61).ipId(0x4242).dontFragment(true).tcp(51000, 443)
                .tcpFlags(PacketBuilder.TCP_SYN).payloadSize(1400).build();
        byte[] qinqMpls = PacketBuilder.ethernet().qinq(300, 42).mpls(16).mpls(17).ipv6("2001:db8::1", "2001:db8::2")
                .flowLabel(0x12345).hopByHop().udp(4789, 4789).payloadSize(64).build();
        byte[] fragment = PacketBuilder.ethernet().ipv4("10.1.1.1", "10.2.2.2").ipId(9).fragmentOffset(100).tcp(1, 2)
                .payloadSize(40).build();
        byte[] icmp = PacketBuilder.rawIp().ipv4("10.1.1.1", "10.2.2.2").icmp(11, 0).build();
        byte[] udp6 = PacketBuilder.ethernet().ipv6("2001:db8::1", "2001:db8::2").udp(53, 5353).payloadSize(200)
                .build();
        Map<String, byte[]> c = new LinkedHashMap<>();
        c.put("every record of a compact flow sample", agent().flowSample(s -> s.sequence(77).sourceId(0, 3)
                .samplingRate(1000).samplePool(77_000).drops(5).input(3).output(4).rawHeader(tcp, 128)
                .extendedSwitch(x -> x.srcVlan(100).srcPriority(1).dstVlan(200).dstPriority(2))
                .extendedRouter(r -> r.nextHop("192.0.2.254").srcMaskLen(24).dstMaskLen(16))
                .extendedGateway(g -> g.nextHop("192.0.2.253").as(65000).srcAs(65001).srcPeerAs(65002)
                        .asSequence(65003, 65004).asSet(65010).communities(0xFDE80001L, 2).localPref(100)))
                .build());
        c.put("header variants: QinQ, MPLS, IPv6, fragment, raw IPv4, truncated", agent()
                .flowSample(s -> s.rawHeader(qinqMpls, 128))
                .flowSample(s -> s.rawHeader(fragment, 128))
                .flowSample(s -> s.rawHeader(h -> h.headerProtocol(11).frameLength(icmp.length).stripped(0)
                        .header(icmp)))
                .flowSample(s -> s.rawHeader(tcp, 14 + 20 + 2))
                .flowSample(s -> s.rawHeader(udp6, 60).rawHeader(tcp, 128))
                .build());
        c.put("sampled records without a header, expanded samples", agent()
                .expandedFlowSample(s -> s.sequence(5).sourceId(0, 70_000).samplingRate(256).input(70_000).output(9)
                        .sampledIpv4(ip -> ip.length(1500).protocol(17).src("10.1.1.1").dst("10.2.2.2").srcPort(53)))
                .expandedFlowSample(s -> s.sequence(6).sampledIpv6(ip -> ip.length(80).protocol(6).src("2001:db8::1")))
                .flowSample(s -> s.sampledIpv4(ip -> ip.length(9999).protocol(6).src("10.9.9.9").dst("10.8.8.8"))
                        .rawHeader(tcp, 128))
                .expandedFlowSample(s -> s.input(0, 0x80000001L).output(1, 259))
                .flowSample(s -> s.input(SflowBuilder.IF_INTERNAL).outputDiscarded(258))
                .build());
        c.put("gateways: IPv6 next hop, empty path, two in one sample", agent()
                .flowSample(s -> s.extendedGateway(g -> g.nextHop("2001:db8::1").as(64512)))
                .flowSample(s -> s.extendedGateway(g -> g.nextHop("192.0.2.1").as(1).asSequence(2, 3))
                        .extendedGateway(g -> g.nextHop("192.0.2.2").as(4).communities(7)))
                .build());
        c.put("counters, discards and unknown formats", agent()
                .counterSample(k -> k.sequence(4).sourceId(0, 3).genericInterface(i -> i.ifIndex(3).ifType(6)))
                .discardedPacket(p -> p.sequence(8).sourceId(0, 3).drops(2).input(3).output(0).reason(260)
                        .rawHeader(tcp, 64))
                .flowSample(f -> f.unknownRecord(0, 1036, new byte[4]).sampledIpv4(ip -> ip.protocol(6)))
                .rawSample(SflowBuilder.dataFormat(0, 77), 8, new byte[8])
                .expandedCounterSample(k -> k.sequence(9).sourceId(0, 7).genericInterface(i -> i.ifIndex(7)))
                .build());
        List<byte[]> captured = Captures.datagrams("sflow", "pmacctd-sfprobe");
        for (int i = 0; i < captured.size(); i++) {
            c.put("pmacctd-sfprobe datagram " + i, captured.get(i));
        }
        return c;
    }

    private static SflowBuilder agent() {
        return SflowBuilder.datagram().agent("192.0.2.1").subAgentId(2).sequence(10).uptimeMs(60_000);
    }

    @Test
    void bothPathsGiveTheSameRecordsSamplesAndErrors() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        int compared = 0;
        int failed = 0;
        for (Map.Entry<String, byte[]> e : corpus().entrySet()) {
            byte[] d = e.getValue();
            assertThat(outcomes(d, e.getKey()).error()).as(e.getKey()).isNull();
            // Every length of the built datagrams, every fifth of the longer captured ones.
            for (int cut = 0; cut < d.length; cut += d.length > 600 ? 5 : 1) {
                failed += outcomes(Arrays.copyOf(d, cut), e.getKey() + " cut at " + cut).error() != null ? 1 : 0;
                compared++;
            }
            for (int i = 0; i < 100; i++) {
                byte[] m = d.clone();
                for (int k = 1 + random.nextInt(4); k > 0; k--) {
                    m[random.nextInt(m.length)] = (byte) random.nextInt(256);
                }
                failed += outcomes(m, e.getKey() + " corruption " + i).error() != null ? 1 : 0;
                compared++;
            }
        }
        assertThat(failed).as("malformed datagrams among those compared").isPositive().isLessThan(compared);
    }

    /** Both paths on {@code d}, with both options off and on, asserted equal; the (common) outcome. */
    private static Outcome outcomes(byte[] d, String what) {
        DatagramHeader h;
        try {
            h = DatagramHeader.parse(d);
        } catch (DecodeException e) {
            return new Outcome(List.of(), List.of(), List.of(), e.getMessage());
        }
        Outcome last = null;
        for (boolean options : new boolean[] {false, true}) {
            Outcome twoPasses = twoPasses(h, d, options, options);
            Outcome onePass = onePass(h, d, options, options);
            String as = what + " (counters emitted and frames kept: " + options + ")";
            assertThat(onePass.error()).as(as).isEqualTo(twoPasses.error());
            assertThat(onePass.records()).as(as).usingRecursiveFieldByFieldElementComparator()
                    .isEqualTo(twoPasses.records());
            assertThat(onePass.attributeOrder()).as(as).isEqualTo(twoPasses.attributeOrder());
            assertThat(onePass.samples()).as(as).isEqualTo(twoPasses.samples());
            last = onePass;
        }
        return last;
    }

    private static Outcome twoPasses(DatagramHeader h, byte[] b, boolean emitCounters, boolean keepFrames) {
        FlowRecordMapper mapper = new FlowRecordMapper(keepFrames);
        List<FlowRecord> out = new ArrayList<>();
        SflowDatagram d;
        try {
            d = new SflowDecoder().decode(h, b);
        } catch (DecodeException e) {
            return new Outcome(List.of(), List.of(), List.of(), describe(e));
        }
        for (Sample s : d.samples()) {
            if (s instanceof FlowSample f) {
                out.add(mapper.flow(f, h, AGENT, RECEIVED_NS));
            } else if (s instanceof CounterSample c && emitCounters) {
                out.add(mapper.counters(c, h, AGENT, RECEIVED_NS));
            } else if (s instanceof DiscardedPacket p) {
                out.add(mapper.discarded(p, h, AGENT, RECEIVED_NS));
            }
        }
        return outcome(out, SampleLog.of(d));
    }

    private static Outcome onePass(DatagramHeader h, byte[] b, boolean emitCounters, boolean keepFrames) {
        DatagramMapper mapper = new DatagramMapper(new SflowDecoder(), new FlowRecordMapper(keepFrames), emitCounters);
        List<FlowRecord> out = new ArrayList<>();
        SampleLog log = new SampleLog();
        log.add(SampleLog.FLOW, 1, 2, 3, 4, null); // left from a previous datagram: must be cleared
        try {
            mapper.map(h, b, AGENT, RECEIVED_NS, out, log);
        } catch (DecodeException e) {
            return new Outcome(List.of(), List.of(), List.of(), describe(e));
        }
        return outcome(out, log);
    }

    private static String describe(DecodeException e) {
        return e.reason() + " at " + e.offset() + ": " + e.getMessage();
    }

    private static Outcome outcome(List<FlowRecord> records, SampleLog log) {
        List<List<Object>> samples = new ArrayList<>();
        for (int i = 0; i < log.size(); i++) {
            samples.add(Arrays.asList(log.kind(i), log.sequence(i), log.sourceType(i), log.sourceIndex(i), log.drops(i),
                    log.counters(i)));
        }
        samples.add(List.of(log.count(SampleLog.FLOW), log.count(SampleLog.COUNTERS), log.count(SampleLog.DISCARD),
                log.unknownSamples(), log.unknownRecords()));
        List<List<String>> order = new ArrayList<>();
        for (FlowRecord r : records) {
            order.add(new ArrayList<>(r.attributes().keySet()));
        }
        return new Outcome(records, samples, order, null);
    }
}
