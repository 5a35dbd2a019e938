package io.caravan.sflow.wire;

import io.caravan.api.decode.DecodeException;

import java.util.ArrayList;
import java.util.List;

/**
 * Extended gateway data (flow record format 1003, sflow.h {@code SFLExtended_gateway}):
 *
 * <pre>
 * next_hop             address (type + 0/4/16 bytes), the BGP next hop
 * as                   the router's own AS
 * src_as               AS of the source address
 * src_peer_as          AS of the peer the traffic came from
 * dst_as_path_segments count, then each: type (1 AS_SET, 2 AS_SEQUENCE), length, ASN[length]
 * communities          count, then u32[count]
 * localpref
 * </pre>
 *
 * Counts are checked against the bytes left in the record before anything is allocated.
 */
public record ExtendedGateway(byte[] nextHop, long as, long srcAs, long srcPeerAs, List<AsPathSegment> asPath,
                              long[] communities, long localPref) implements FlowData {

    /** One AS path segment. */
    public record AsPathSegment(long type, long[] asns) {
        public static final int AS_SET = 1;
        public static final int AS_SEQUENCE = 2;
    }

    /** Every ASN of the path, segments concatenated in order (sets included as listed). */
    public long[] flatAsPath() {
        int n = 0;
        for (AsPathSegment s : asPath) {
            n += s.asns().length;
        }
        long[] out = new long[n];
        int i = 0;
        for (AsPathSegment s : asPath) {
            System.arraycopy(s.asns(), 0, out, i, s.asns().length);
            i += s.asns().length;
        }
        return out;
    }

    static ExtendedGateway parse(byte[] b, int at, int end) throws DecodeException {
        DecodeException.Reason bad = DecodeException.Reason.BAD_LENGTH;
        byte[] nextHop = Addresses.read(b, at, end, bad, "extended gateway next hop");
        int p = at + Addresses.size(b, at);
        Xdr.require(b, p, 16, end, bad, "extended gateway AS numbers");
        long as = Xdr.u32(b, p);
        long srcAs = Xdr.u32(b, p + 4);
        long srcPeerAs = Xdr.u32(b, p + 8);
        long segments = Xdr.u32(b, p + 12);
        p += 16;
        Xdr.require(b, p, segments * 8, end, bad, "AS path segments");
        List<AsPathSegment> path = new ArrayList<>((int) segments);
        for (long i = 0; i < segments; i++) {
            Xdr.require(b, p, 8, end, bad, "AS path segment header");
            long type = Xdr.u32(b, p);
            long count = Xdr.u32(b, p + 4);
            p += 8;
            Xdr.require(b, p, count * 4, end, bad, "AS path segment ASNs");
            long[] asns = new long[(int) count];
            for (int j = 0; j < count; j++) {
                asns[j] = Xdr.u32(b, p + 4 * j);
            }
            p += 4 * (int) count;
            path.add(new AsPathSegment(type, asns));
        }
        Xdr.require(b, p, 4, end, bad, "communities count");
        long count = Xdr.u32(b, p);
        p += 4;
        Xdr.require(b, p, count * 4 + 4, end, bad, "communities and localpref");
        long[] communities = new long[(int) count];
        for (int j = 0; j < count; j++) {
            communities[j] = Xdr.u32(b, p + 4 * j);
        }
        p += 4 * (int) count;
        return new ExtendedGateway(nextHop, as, srcAs, srcPeerAs, List.copyOf(path), communities, Xdr.u32(b, p));
    }
}
