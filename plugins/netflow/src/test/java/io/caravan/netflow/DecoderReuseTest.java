package io.caravan.netflow;

import static io.caravan.traffic.datagram.NetflowV9Builder.FLOW_SAMPLER_ID;
import static io.caravan.traffic.datagram.NetflowV9Builder.IN_BYTES;
import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.flow.FlowRecord;
import io.caravan.traffic.datagram.NetflowV9Builder;
import io.caravan.traffic.datagram.SyntheticFlow;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One thread's record decoder lives from datagram to datagram (and exporter to exporter): what it keeps must not
 * carry one exporter's values into another's records.
 */
class DecoderReuseTest {
    private static final InetSocketAddress A = new InetSocketAddress("192.0.2.1", 2055);
    private static final InetSocketAddress B = new InetSocketAddress("192.0.2.2", 2055);
    private static final InetSocketAddress C = new InetSocketAddress("192.0.2.3", 2055);

    private static byte[] sampled(NetflowV9Builder b, int sampler) {
        return b.data(300, b.record(300).set(IN_BYTES, 100).set(FLOW_SAMPLER_ID, sampler).bytes()).build();
    }

    @Test
    void aSamplerIdTakesTheRateItsOwnExporterAnnounced() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        NetflowV9Builder a = new NetflowV9Builder().optionsSampling(400, 5, 2, 1000)
                .template(300, IN_BYTES, 4, FLOW_SAMPLER_ID, 1);
        NetflowV9Builder b = new NetflowV9Builder().optionsSampling(400, 5, 2, 50)
                .template(300, IN_BYTES, 4, FLOW_SAMPLER_ID, 1);
        NetflowV9Builder none = new NetflowV9Builder().template(300, IN_BYTES, 4, FLOW_SAMPLER_ID, 1);

        assertThat(c.decode(sampled(a, 5), A).records()).extracting(FlowRecord::samplingRate).containsExactly(1000L);
        assertThat(c.decode(sampled(b, 5), B).records()).extracting(FlowRecord::samplingRate).containsExactly(50L);
        assertThat(c.decode(sampled(none, 5), C).records()).as("no options from this exporter: rate unknown")
                .extracting(FlowRecord::samplingRate).containsExactly(0L);
        NetflowV9Builder again = new NetflowV9Builder().sequence(1).template(300, IN_BYTES, 4, FLOW_SAMPLER_ID, 1);
        assertThat(c.decode(sampled(again, 5), A).records()).extracting(FlowRecord::samplingRate)
                .containsExactly(1000L);
    }

    private static SyntheticFlow flow(int src, byte[] nextHop) {
        byte[] s = {10, 0, 0, (byte) src};
        return new SyntheticFlow(s, new byte[] {10, 0, 1, 1}, 40000, 443, 6, 1, 100, StageUnderTest.NOW_MS - 2000,
                StageUnderTest.NOW_MS - 1000, 0, 0, 1, 2, 0, 0, nextHop, 24, 24);
    }

    @Test
    void recordsWithTheSameIpv4NextHopShareOneArrayWithItsBytes() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        byte[] hop = {10, 0, 0, (byte) 254};
        byte[] other = {10, 0, 0, (byte) 253};
        byte[] hop6 = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9};
        List<FlowRecord> first = c.decode(new NetflowV9Builder().standardTemplates(256)
                .addFlows(256, List.of(flow(1, hop), flow(2, other), flow(3, hop))).build(), A).records();
        List<FlowRecord> second = c.decode(new NetflowV9Builder().sequence(1).standardTemplates(256)
                .addFlows(256, List.of(flow(4, hop))).build(), B).records();
        List<FlowRecord> v6 = c.decode(new NetflowV9Builder().sequence(2).standardTemplates(256)
                .addFlows(256, List.of(new SyntheticFlow(hop6, hop6, 1, 2, 6, 1, 100, StageUnderTest.NOW_MS - 2000,
                        StageUnderTest.NOW_MS - 1000, 0, 0, 1, 2, 0, 0, hop6, 64, 64))).build(), A).records();

        assertThat(first).extracting(FlowRecord::nextHop).containsExactly(hop, other, hop);
        assertThat(second.get(0).nextHop()).containsExactly(hop);
        assertThat(first.get(2).nextHop()).isSameAs(first.get(0).nextHop()).isSameAs(second.get(0).nextHop());
        assertThat(first.get(1).nextHop()).isNotSameAs(first.get(0).nextHop());
        assertThat(first).extracting(FlowRecord::srcAddr)
                .containsExactly(new byte[] {10, 0, 0, 1}, new byte[] {10, 0, 0, 2}, new byte[] {10, 0, 0, 3});
        assertThat(v6.get(0).nextHop()).containsExactly(hop6);
    }
}
