package io.caravan.netflow.map;

import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.netflow.wire.V5Header;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * NetFlow v5 records (48 bytes each, flow-protocols §1) to {@link FlowRecord}s.
 * <pre>
 * |  0 srcaddr(4) |  4 dstaddr(4) |  8 nexthop(4) | 12 input(2) | 14 output(2) | 16 dPkts(4) | 20 dOctets(4) |
 * | 24 first(4) | 28 last(4) | 32 srcport(2) | 34 dstport(2) | 36 pad1 | 37 tcp_flags | 38 prot | 39 tos |
 * | 40 src_as(2) | 42 dst_as(2) | 44 src_mask | 45 dst_mask | 46 pad2(2) |
 * </pre>
 * Times: export ms − (sys_uptime − first/last) taken mod 2^32 as a signed 32-bit delta (survives the uptime
 * wrap). Sampling rate: the header's low 14 bits, else {@code defaultRate}; counters as exported.
 */
public final class V5Records {
    private V5Records() {
    }

    public static void decode(ByteBuffer b, V5Header h, long receivedMs, byte[] samplerAddress, long defaultRate,
                              List<FlowRecord> out) {
        long exportMs = h.exportMs();
        long uptime = h.sysUptime();
        long rate = h.samplingInterval() != 0 ? h.samplingInterval() : defaultRate;
        long receivedNs = receivedMs * 1_000_000L;
        for (int i = 0, p = V5Header.SIZE; i < h.count(); i++, p += V5Header.RECORD_SIZE) {
            FlowRecord r = new FlowRecord();
            r.type(FlowType.NETFLOW_V5).timeReceivedNs(receivedNs).sequenceNum(h.flowSequence()).samplingRate(rate)
                    .samplerAddress(samplerAddress)
                    .srcAddr(address(b, p)).dstAddr(address(b, p + 4)).nextHop(address(b, p + 8))
                    .inIf(b.getShort(p + 12) & 0xFFFF).outIf(b.getShort(p + 14) & 0xFFFF)
                    .packets(b.getInt(p + 16) & 0xFFFFFFFFL).bytes(b.getInt(p + 20) & 0xFFFFFFFFL)
                    .timeFlowStartNs((exportMs - (int) (uptime - (b.getInt(p + 24) & 0xFFFFFFFFL))) * 1_000_000L)
                    .timeFlowEndNs((exportMs - (int) (uptime - (b.getInt(p + 28) & 0xFFFFFFFFL))) * 1_000_000L)
                    .srcPort(b.getShort(p + 32) & 0xFFFF).dstPort(b.getShort(p + 34) & 0xFFFF)
                    .tcpFlags(b.get(p + 37) & 0xFF).proto(b.get(p + 38) & 0xFF).ipTos(b.get(p + 39) & 0xFF)
                    .srcAs(b.getShort(p + 40) & 0xFFFF).dstAs(b.getShort(p + 42) & 0xFFFF)
                    .srcNet(b.get(p + 44) & 0xFF).dstNet(b.get(p + 45) & 0xFF).etype(0x0800);
            out.add(r);
        }
    }

    private static byte[] address(ByteBuffer b, int p) {
        byte[] a = new byte[4];
        b.get(p, a);
        return a;
    }
}
