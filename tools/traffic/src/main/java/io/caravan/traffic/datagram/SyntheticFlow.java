package io.caravan.traffic.datagram;

/**
 * One flow as the builders and the generator describe it, before any protocol encodes it.
 * Addresses are 4 or 16 raw bytes; times are epoch milliseconds; counters as exported.
 */
public record SyntheticFlow(byte[] srcAddr, byte[] dstAddr, int srcPort, int dstPort, int proto,
                            long packets, long bytes, long startMs, long endMs, int tcpFlags, int tos,
                            int inIf, int outIf, long srcAs, long dstAs, byte[] nextHop, int srcMask, int dstMask) {

    /** A flow with the common fields; the rest zero. */
    public static SyntheticFlow of(byte[] src, byte[] dst, int srcPort, int dstPort, int proto, long packets, long bytes,
                                   long startMs, long endMs) {
        return new SyntheticFlow(src, dst, srcPort, dstPort, proto, packets, bytes, startMs, endMs, 0, 0, 0, 0, 0, 0,
                null, 0, 0);
    }
}
