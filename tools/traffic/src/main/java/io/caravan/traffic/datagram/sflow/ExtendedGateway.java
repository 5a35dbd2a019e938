package io.caravan.traffic.datagram.sflow;

import java.util.ArrayList;
import java.util.List;

/** An {@code extended_gateway} flow record (format 1003): BGP next hop, AS numbers, AS path segments, communities. */
public final class ExtendedGateway {
    public static final int FORMAT = 1003;

    /** AS path segment type: an unordered set. */
    public static final int AS_SET = 1;
    /** AS path segment type: an ordered sequence. */
    public static final int AS_SEQUENCE = 2;

    private byte[] nextHop = new byte[4];
    private long as;
    private long srcAs;
    private long srcPeerAs;
    private final List<long[]> segments = new ArrayList<>(); // [type, asn...]
    private long[] communities = new long[0];
    private long localPref;

    public ExtendedGateway nextHop(String address) {
        return nextHop(Xdr.ipAddress(address));
    }

    public ExtendedGateway nextHop(byte[] address) {
        this.nextHop = address.clone();
        return this;
    }

    /** The router's own AS. */
    public ExtendedGateway as(long as) {
        this.as = as;
        return this;
    }

    public ExtendedGateway srcAs(long as) {
        this.srcAs = as;
        return this;
    }

    public ExtendedGateway srcPeerAs(long as) {
        this.srcPeerAs = as;
        return this;
    }

    /** Appends an AS_SEQUENCE segment (type 2) to the destination AS path. */
    public ExtendedGateway asSequence(long... asns) {
        return segment(AS_SEQUENCE, asns);
    }

    /** Appends an AS_SET segment (type 1) to the destination AS path. */
    public ExtendedGateway asSet(long... asns) {
        return segment(AS_SET, asns);
    }

    public ExtendedGateway segment(int type, long... asns) {
        long[] s = new long[asns.length + 1];
        s[0] = type;
        System.arraycopy(asns, 0, s, 1, asns.length);
        segments.add(s);
        return this;
    }

    /** BGP communities, each a 32-bit value (asn &lt;&lt; 16 | value). */
    public ExtendedGateway communities(long... communities) {
        this.communities = communities.clone();
        return this;
    }

    public ExtendedGateway localPref(long localPref) {
        this.localPref = localPref;
        return this;
    }

    public void write(Xdr x) {
        x.address(nextHop);
        x.u32(as);
        x.u32(srcAs);
        x.u32(srcPeerAs);
        x.u32(segments.size());
        for (long[] s : segments) {
            x.u32(s[0]);
            x.u32(s.length - 1);
            for (int i = 1; i < s.length; i++) {
                x.u32(s[i]);
            }
        }
        x.u32(communities.length);
        for (long c : communities) {
            x.u32(c);
        }
        x.u32(localPref);
    }
}
