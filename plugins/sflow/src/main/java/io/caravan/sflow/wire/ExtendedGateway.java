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

    /**
     * Checks the layout of a gateway record at {@code at} within {@code end}, building nothing: the
     * one set of checks both {@link #parse} and the sFlow decoder's one-pass mapper (which reads the
     * record straight from the datagram) rely on, so the two report the same errors.
     *
     * @return the offset of the communities count; every field before and after it is in bounds
     */
    public static int check(byte[] b, int at, int end) throws DecodeException {
        DecodeException.Reason bad = DecodeException.Reason.BAD_LENGTH;
        int p = at + 4 + Addresses.check(b, at, end, bad, "extended gateway next hop");
        Xdr.require(b, p, 16, end, bad, "extended gateway AS numbers");
        long segments = Xdr.u32(b, p + 12);
        p += 16;
        Xdr.require(b, p, segments * 8, end, bad, "AS path segments");
        for (long i = 0; i < segments; i++) {
            Xdr.require(b, p, 8, end, bad, "AS path segment header");
            long count = Xdr.u32(b, p + 4);
            p += 8;
            Xdr.require(b, p, count * 4, end, bad, "AS path segment ASNs");
            p += 4 * (int) count;
        }
        Xdr.require(b, p, 4, end, bad, "communities count");
        Xdr.require(b, p + 4, Xdr.u32(b, p) * 4 + 4, end, bad, "communities and localpref");
        return p;
    }

    static ExtendedGateway parse(byte[] b, int at, int end) throws DecodeException {
        int communitiesAt = check(b, at, end);
        byte[] nextHop = Addresses.readChecked(b, at);
        int p = at + Addresses.size(b, at);
        long as = Xdr.u32(b, p);
        long srcAs = Xdr.u32(b, p + 4);
        long srcPeerAs = Xdr.u32(b, p + 8);
        int segments = (int) Xdr.u32(b, p + 12);
        p += 16;
        List<AsPathSegment> path = new ArrayList<>(segments);
        for (int i = 0; i < segments; i++) {
            long type = Xdr.u32(b, p);
            int count = (int) Xdr.u32(b, p + 4);
            p += 8;
            long[] asns = new long[count];
            for (int j = 0; j < count; j++) {
                asns[j] = Xdr.u32(b, p + 4 * j);
            }
            p += 4 * count;
            path.add(new AsPathSegment(type, asns));
        }
        int count = (int) Xdr.u32(b, communitiesAt);
        long[] communities = new long[count];
        for (int j = 0; j < count; j++) {
            communities[j] = Xdr.u32(b, communitiesAt + 4 + 4 * j);
        }
        return new ExtendedGateway(nextHop, as, srcAs, srcPeerAs, List.copyOf(path), communities,
                Xdr.u32(b, communitiesAt + 4 + 4 * count));
    }
}
