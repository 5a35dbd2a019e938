package io.caravan.udp.relay;

import java.net.Inet4Address;

/**
 * An IPv4 header and a UDP header in front of a payload, for a raw socket with IP_HDRINCL: the way to
 * send a datagram that carries the exporter's source address and port. The UDP checksum is
 * computed over the pseudo header; the kernel fills the IP checksum and, left 0, the IP id.
 */
final class UdpPacket {
    static final int HEADERS = 28;
    /** The largest payload one IPv4 packet can carry. */
    static final int MAX_PAYLOAD = 65_535 - HEADERS;

    private UdpPacket() {
    }

    static byte[] build(Inet4Address src, int srcPort, Inet4Address dst, int dstPort, byte[] payload) {
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("a " + payload.length + "-byte datagram does not fit one IPv4 packet");
        }
        int total = HEADERS + payload.length;
        byte[] p = new byte[total];
        p[0] = 0x45;
        putShort(p, 2, total);
        p[8] = 64;
        p[9] = 17;
        System.arraycopy(src.getAddress(), 0, p, 12, 4);
        System.arraycopy(dst.getAddress(), 0, p, 16, 4);
        putShort(p, 20, srcPort);
        putShort(p, 22, dstPort);
        putShort(p, 24, 8 + payload.length);
        System.arraycopy(payload, 0, p, HEADERS, payload.length);
        putShort(p, 26, udpChecksum(p, payload.length));
        return p;
    }

    /** RFC 768: ones' complement sum over the pseudo header, the UDP header and the payload; 0 is sent as 0xffff. */
    private static int udpChecksum(byte[] p, int payloadLength) {
        int udpLength = 8 + payloadLength;
        long sum = 0;
        for (int i = 12; i < 20; i += 2) {
            sum += word(p, i);
        }
        sum += 17 + udpLength;
        for (int i = 20; i < 20 + udpLength - 1; i += 2) {
            sum += word(p, i);
        }
        if ((udpLength & 1) == 1) {
            sum += (p[20 + udpLength - 1] & 0xff) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        int c = (int) (~sum & 0xffff);
        return c == 0 ? 0xffff : c;
    }

    private static int word(byte[] p, int i) {
        return ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
    }

    private static void putShort(byte[] p, int i, int v) {
        p[i] = (byte) (v >>> 8);
        p[i + 1] = (byte) v;
    }
}
