package io.caravan.traffic.packet;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** What IPv4 and IPv6 headers share: version, addresses, TOS / traffic class, TTL / hop limit, protocol / next header. */
final class IpHeader {
    /** 0 until an address pair is set. */
    int version;
    byte[] src;
    byte[] dst;
    int tos;
    int ttl = 64;
    /** Written instead of the transport's protocol number when set (0-255). */
    int protocolOverride = -1;

    void addresses(int version, byte[] src, byte[] dst) {
        int length = version == 4 ? 4 : 16;
        requireLength(src, length);
        requireLength(dst, length);
        this.version = version;
        this.src = src.clone();
        this.dst = dst.clone();
    }

    /** The protocol / next header after the IP header and its extensions. */
    int protocol(Transport transport) {
        return protocolOverride >= 0 ? protocolOverride : transport.protocol(version);
    }

    static void requireLength(byte[] address, int length) {
        if (address == null || address.length != length) {
            throw new IllegalArgumentException("expected a " + length + "-byte address");
        }
    }

    /** A numeric address literal as bytes; never a name lookup. */
    static byte[] address(String text, int length) {
        if (!text.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("'" + text + "' is not a numeric address");
        }
        byte[] a;
        try {
            a = InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not a numeric address", e);
        }
        if (a.length != length) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv" + (length == 4 ? 4 : 6) + " address");
        }
        return a;
    }
}
