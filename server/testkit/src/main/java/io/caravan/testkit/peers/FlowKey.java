package io.caravan.testkit.peers;

/**
 * What two collectors must agree on for one flow: the 5-tuple and its counters. Protocol is the
 * IANA number; addresses are printed the usual way (dotted quad, RFC 5952 for IPv6).
 */
public record FlowKey(String src, int srcPort, String dst, int dstPort, int proto, long packets, long bytes) {
    @Override
    public String toString() {
        return proto + " " + src + ":" + srcPort + " > " + dst + ":" + dstPort + " " + packets + "p " + bytes + "B";
    }
}
