package io.caravan.traffic.generate;

import io.caravan.traffic.datagram.NetflowV9Builder;
import io.caravan.traffic.datagram.SyntheticFlow;
import java.net.InetAddress;
import java.util.List;

/** NetFlow v9: templates first and every {@value #TEMPLATE_EVERY} packets; sequence counts packets. */
final class NetflowV9Stream extends ExporterStream {
    private static final int TEMPLATE_ID = 256;
    private final long bootMs = System.currentTimeMillis() - 3_600_000;
    private long sequence;

    NetflowV9Stream(int index, InetAddress address, int records, long seed) {
        super(index, address, records, seed);
    }

    @Override
    protected byte[] build(long nowMs, List<SyntheticFlow> flows) {
        NetflowV9Builder b = new NetflowV9Builder().sysUptime(nowMs - bootMs).unixSecs(nowMs / 1000).sequence(sequence)
                .sourceId(index);
        if (sequence % TEMPLATE_EVERY == 0) {
            b.standardTemplates(TEMPLATE_ID);
        }
        sequence++;
        return b.addFlows(TEMPLATE_ID, flows).build();
    }

    @Override
    protected void patch(byte[] d, long nowMs) {
        // header: version, count, sysUptime(4), unix_secs(8), sequence(12), source_id(16). Record times stay
        // relative to the old uptime, so the flows age a little each cycle: good enough for load.
        putInt(d, 4, nowMs - bootMs);
        putInt(d, 8, nowMs / 1000);
        putInt(d, 12, sequence++);
    }
}
