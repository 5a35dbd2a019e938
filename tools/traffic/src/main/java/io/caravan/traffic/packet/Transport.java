package io.caravan.traffic.packet;

/**
 * The transport header and payload: TCP (RFC 9293, 20 bytes, no options), UDP (RFC 768), ICMP
 * (RFC 792) or ICMPv6 (RFC 4443), or a bare payload; and its checksum, over the IPv4 or IPv6
 * pseudo-header for all but ICMP.
 */
final class Transport {
    enum Kind { NONE, TCP, UDP, ICMP, ICMPV6 }

    Kind kind = Kind.NONE;
    int srcPort;
    int dstPort;
    int tcpFlags = PacketBuilder.TCP_ACK;
    long tcpSeq = 1;
    long tcpAck;
    int tcpWindow = 65535;
    int icmpType;
    int icmpCode;
    long icmpRest;
    byte[] payload = new byte[0];

    void ports(Kind kind, int srcPort, int dstPort) {
        this.kind = kind;
        this.srcPort = srcPort & 0xFFFF;
        this.dstPort = dstPort & 0xFFFF;
    }

    void icmp(Kind kind, int type, int code) {
        this.kind = kind;
        this.icmpType = type & 0xFF;
        this.icmpCode = code & 0xFF;
    }

    /** The protocol number of this transport; with none, IPv6's No Next Header or IPv4's reserved 255. */
    int protocol(int ipVersion) {
        return switch (kind) {
            case TCP -> PacketBuilder.PROTO_TCP;
            case UDP -> PacketBuilder.PROTO_UDP;
            case ICMP -> PacketBuilder.PROTO_ICMP;
            case ICMPV6 -> PacketBuilder.PROTO_ICMPV6;
            case NONE -> ipVersion == 6 ? PacketBuilder.PROTO_IPV6_NONXT : 255;
        };
    }

    /** The transport header and payload, checksum zero. */
    byte[] segment() {
        byte[] t;
        switch (kind) {
            case TCP -> {
                t = new byte[20 + payload.length];
                Bytes.putShort(t, 0, srcPort);
                Bytes.putShort(t, 2, dstPort);
                Bytes.putInt(t, 4, tcpSeq);
                Bytes.putInt(t, 8, tcpAck);
                t[12] = (byte) ((5 << 4) | ((tcpFlags >>> 8) & 1));
                t[13] = (byte) tcpFlags;
                Bytes.putShort(t, 14, tcpWindow);
                System.arraycopy(payload, 0, t, 20, payload.length);
            }
            case UDP -> {
                t = new byte[8 + payload.length];
                Bytes.putShort(t, 0, srcPort);
                Bytes.putShort(t, 2, dstPort);
                Bytes.putShort(t, 4, Math.min(t.length, 0xFFFF));
                System.arraycopy(payload, 0, t, 8, payload.length);
            }
            case ICMP, ICMPV6 -> {
                t = new byte[8 + payload.length];
                t[0] = (byte) icmpType;
                t[1] = (byte) icmpCode;
                Bytes.putInt(t, 4, icmpRest);
                System.arraycopy(payload, 0, t, 8, payload.length);
            }
            default -> t = payload.clone();
        }
        return t;
    }

    /**
     * Computes the checksum in place, for the segment at {@code at} of {@code length} bytes of
     * {@code packet}; none when the IP protocol number was overridden (the segment is then a payload).
     */
    void fillChecksum(byte[] packet, int at, int length, IpHeader ip) {
        int checksumAt;
        switch (kind) {
            case TCP -> checksumAt = 16;
            case UDP -> checksumAt = 6;
            case ICMP, ICMPV6 -> checksumAt = 2;
            default -> {
                return;
            }
        }
        if (ip.protocolOverride >= 0) {
            return;
        }
        long pseudo = 0;
        if (kind != Kind.ICMP) {
            pseudo = InternetChecksum.sum(ip.src, 0, ip.src.length) + InternetChecksum.sum(ip.dst, 0, ip.dst.length)
                    + ip.protocol(this) + (length & 0xFFFF) + (length >>> 16);
        }
        int c = InternetChecksum.checksum(packet, at, length, pseudo);
        if (c == 0 && kind == Kind.UDP) {
            c = 0xFFFF;
        }
        Bytes.putShort(packet, at + checksumAt, c);
    }
}
