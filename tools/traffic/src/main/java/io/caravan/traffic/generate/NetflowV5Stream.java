package io.caravan.traffic.generate;

import io.caravan.traffic.datagram.NetflowV5Builder;
import io.caravan.traffic.datagram.SyntheticFlow;
import java.net.InetAddress;
import java.util.List;

/** NetFlow v5: flow_sequence counts flows sent, uptime from the stream's start. */
final class NetflowV5Stream extends ExporterStream {
    private final long bootMs = System.currentTimeMillis() - 3_600_000;
    private long flowSequence;

    NetflowV5Stream(int index, InetAddress address, int records, long seed) {
        super(index, address, records, seed);
    }

    @Override
    protected byte[] build(long nowMs, List<SyntheticFlow> flows) {
        byte[] d = new NetflowV5Builder().sysUptime(nowMs - bootMs).exportMs(nowMs).flowSequence(flowSequence)
                .engineId(index).addFlows(flows).build();
        flowSequence += flows.size();
        return d;
    }

    @Override
    protected void patch(byte[] d, long nowMs) {
        // header: version, count, sys_uptime(4), unix_secs(8), unix_nsecs(12), flow_sequence(16)
        putInt(d, 4, nowMs - bootMs);
        putInt(d, 8, nowMs / 1000);
        putInt(d, 12, (nowMs % 1000) * 1_000_000);
        putInt(d, 16, flowSequence);
        flowSequence += getUnsignedShort(d, 2);
    }
}
