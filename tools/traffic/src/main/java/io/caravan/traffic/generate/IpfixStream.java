package io.caravan.traffic.generate;

import io.caravan.traffic.datagram.IpfixBuilder;
import io.caravan.traffic.datagram.SyntheticFlow;
import java.net.InetAddress;
import java.util.List;

/** IPFIX: templates first and every {@value #TEMPLATE_EVERY} messages; sequence counts data records. */
final class IpfixStream extends ExporterStream {
    private static final int TEMPLATE_ID = 256;
    private long messages;
    private long dataRecords;

    IpfixStream(int index, InetAddress address, int records, long seed) {
        super(index, address, records, seed);
    }

    @Override
    protected byte[] build(long nowMs, List<SyntheticFlow> flows) {
        IpfixBuilder b = new IpfixBuilder().exportTime(nowMs / 1000).sequence(dataRecords).observationDomain(index);
        if (messages++ % TEMPLATE_EVERY == 0) {
            b.standardTemplates(TEMPLATE_ID);
        }
        dataRecords += flows.size();
        return b.addFlows(TEMPLATE_ID, flows).build();
    }

    @Override
    protected void patch(byte[] d, long nowMs) {
        // header: version, length, export_time(4), sequence(8), observation_domain(12)
        putInt(d, 4, nowMs / 1000);
        putInt(d, 8, dataRecords);
        dataRecords += records;
    }
}
