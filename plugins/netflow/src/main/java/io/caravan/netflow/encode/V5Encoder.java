package io.caravan.netflow.encode;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * NetFlow v5 datagrams: a 24-byte header and up to 30 fixed 48-byte records (flow-protocols §1).
 *
 * <pre>
 * header: version(2)=5 count(2) sys_uptime(4) unix_secs(4) unix_nsecs(4) flow_sequence(4)
 *         engine_type(1) engine_id(1) sampling_interval(2)
 * record: srcaddr dstaddr nexthop input(2) output(2) dPkts dOctets First Last srcport(2) dstport(2)
 *         pad1(1) tcp_flags(1) prot(1) tos(1) src_as(2) dst_as(2) src_mask(1) dst_mask(1) pad2(2)
 * </pre>
 *
 * flow_sequence counts the flows sent <em>before</em> this datagram (the Skydive target's running total
 * including it is the quirk this fixes), and prot is the record's own protocol (the Skydive target's
 * always-17 quirk). 16-bit fields saturate: interfaces at 65535, AS numbers past 65535 become AS_TRANS
 * (23456, RFC 6793); 32-bit counters saturate at 2^32-1. ICMP type and code go in dstport, as v5 collectors
 * expect.
 */
final class V5Encoder {
    static final int HEADER = 24;
    static final int RECORD = 48;
    static final int MAX_RECORDS = 30;
    static final int AS_TRANS = 23_456;

    private final EncodeSettings settings;
    private final long bootMs;
    private final int perDatagram;

    V5Encoder(EncodeSettings settings, long bootMs) {
        this.settings = settings;
        this.bootMs = bootMs;
        this.perDatagram = Math.min(MAX_RECORDS, (settings.mtu() - HEADER) / RECORD);
    }

    /** Encodes IPv4 records (the caller filtered the rest) under the stream's lock. */
    Encoded encode(List<ExportRecord> records, ExportStream stream, long nowMs) {
        List<byte[]> out = new ArrayList<>();
        for (int from = 0; from < records.size(); from += perDatagram) {
            int count = Math.min(perDatagram, records.size() - from);
            ByteBuffer b = ByteBuffer.allocate(HEADER + RECORD * count);
            b.putShort((short) 5);
            b.putShort((short) count);
            b.putInt((int) (nowMs - bootMs));
            b.putInt((int) (nowMs / 1000));
            b.putInt((int) (nowMs % 1000 * 1_000_000));
            b.putInt((int) stream.sequence);
            b.put((byte) settings.engineType());
            b.put((byte) settings.engineId());
            b.putShort((short) 0);
            for (ExportRecord r : records.subList(from, from + count)) {
                record(b, r);
            }
            stream.sequence = stream.sequence + count & 0xFFFF_FFFFL;
            out.add(b.array());
        }
        return new Encoded(out, records.size(), 0);
    }

    private static void record(ByteBuffer b, ExportRecord r) {
        var f = r.flow;
        b.put(f.srcAddr());
        b.put(f.dstAddr());
        b.put(f.nextHop() != null && f.nextHop().length == 4 ? f.nextHop() : new byte[4]);
        b.putShort((short) Math.min(f.inIf(), 0xFFFF));
        b.putShort((short) Math.min(f.outIf(), 0xFFFF));
        b.putInt(ExportField.u32(f.packets()));
        b.putInt(ExportField.u32(f.bytes()));
        b.putInt(r.uptime(r.startMs));
        b.putInt(r.uptime(r.endMs));
        b.putShort((short) f.srcPort());
        boolean icmp = f.proto() == 1 && f.dstPort() == 0;
        b.putShort((short) (icmp ? ExportField.icmp(f) : f.dstPort()));
        b.put((byte) 0);
        b.put((byte) f.tcpFlags());
        b.put((byte) f.proto());
        b.put((byte) f.ipTos());
        b.putShort((short) as16(f.srcAs()));
        b.putShort((short) as16(f.dstAs()));
        b.put((byte) f.srcNet());
        b.put((byte) f.dstNet());
        b.putShort((short) 0);
    }

    private static long as16(long as) {
        return as > 0xFFFF || as < 0 ? AS_TRANS : as;
    }
}
