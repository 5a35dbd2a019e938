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
            b.addFlowSample(f, SAMPLING_RATE, HEADER_BYTES);
        }
        sampleSequence += flows.size();
        return b.build();
    }
}
