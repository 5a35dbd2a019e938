package io.caravan.traffic.generate;

import io.caravan.traffic.datagram.SflowBuilder;
import io.caravan.traffic.datagram.SyntheticFlow;
import java.net.InetAddress;
import java.util.List;

/** sFlow v5: one flow sample (128-byte raw header, rate 1:1000) per flow; datagram and sample sequences continue. */
final class SflowStream extends ExporterStream {
    private static final int SAMPLING_RATE = 1000;
    private static final int HEADER_BYTES = 128;
    private final long bootMs = System.currentTimeMillis() - 3_600_000;
    private long sequence;
    private long sampleSequence = 1;

    SflowStream(int index, InetAddress address, int records, long seed) {
        super(index, address, records, seed);
    }

    @Override
    protected byte[] build(long nowMs, List<SyntheticFlow> flows) {
        SflowBuilder b = SflowBuilder.datagram().agent(address).subAgentId(0).sequence(++sequence)
                .uptimeMs(nowMs - bootMs).flowSampleSequence(sampleSequence);
        for (SyntheticFlow f : flows) {
            // One data source (ifIndex 1) per agent: sample sequences count per data source.
            b.addFlowSample(new SyntheticFlow(f.srcAddr(), f.dstAddr(), f.srcPort(), f.dstPort(), f.proto(), f.packets(),
                    f.bytes(), f.startMs(), f.endMs(), f.tcpFlags(), f.tos(), 1, f.outIf(), f.srcAs(), f.dstAs(), f.nextHop(),
                    f.srcMask(), f.dstMask()), SAMPLING_RATE, HEADER_BYTES);
        }
        sampleSequence += flows.size();
        return b.build();
    }

    @Override
    protected void patch(byte[] d, long nowMs) {
        // IPv4 agent header: version, addr type, addr(4), sub_agent(4), sequence(16), uptime(20), samples(24)
        putInt(d, 16, ++sequence);
        putInt(d, 20, nowMs - bootMs);
        int samples = (int) getInt(d, 24);
        int off = 28;
        for (int i = 0; i < samples; i++) {
            // sample: data_format, length, then a flow sample's sequence(+8) ... sample_pool(+20)
            putInt(d, off + 8, sampleSequence);
            putInt(d, off + 20, sampleSequence * SAMPLING_RATE);
            sampleSequence++;
            off += 8 + (int) getInt(d, off + 4);
        }
    }
}
