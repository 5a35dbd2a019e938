package io.caravan.traffic.packet;

import java.util.ArrayList;
import java.util.List;

/**
 * An IPv6 header (RFC 8200) and its extension headers in order: hop-by-hop and destination
 * options (Pad1/PadN filled), routing, fragment, authentication (RFC 4302). Each extension's next
 * header is filled in when the packet is built. A non-first fragment carries the payload only.
 */
final class Ipv6Header {
    /** Fixed header length. */
    static final int LENGTH = 40;

    /** 20 bits. */
    long flowLabel;
    private final List<byte[]> extensions = new ArrayList<>();   // header bytes, next-header byte filled at build
    private final List<Integer> extensionTypes = new ArrayList<>();
    private boolean nonFirstFragment;

    void optionsHeader(int type, int length) {
        if (length < 8 || length % 8 != 0) {
            throw new IllegalArgumentException("IPv6 options header length must be a positive multiple of 8");
        }
        byte[] h = new byte[length];
        h[1] = (byte) (length / 8 - 1);
        int padLength = length - 2;
        if (padLength == 1) {
            h[2] = 0; // Pad1
        } else {
            h[2] = 1; // PadN
            h[3] = (byte) (padLength - 2);
        }
        extension(type, h);
    }

    void routingHeader(int routingType, int segmentsLeft, byte[]... addresses) {
        int length = 8 + 16 * addresses.length;
        byte[] h = new byte[length];
        h[1] = (byte) (length / 8 - 1);
        h[2] = (byte) routingType;
        h[3] = (byte) segmentsLeft;
        for (int i = 0; i < addresses.length; i++) {
            IpHeader.requireLength(addresses[i], 16);
            System.arraycopy(addresses[i], 0, h, 8 + 16 * i, 16);
        }
        extension(PacketBuilder.PROTO_IPV6_ROUTE, h);
    }

    void fragmentHeader(int offsetUnits, boolean more, long identification) {
        byte[] h = new byte[8];
        int word = ((offsetUnits & 0x1FFF) << 3) | (more ? 1 : 0);
        h[2] = (byte) (word >>> 8);
        h[3] = (byte) word;
        Bytes.putInt(h, 4, identification);
        if (offsetUnits != 0) {
            nonFirstFragment = true;
        }
        extension(PacketBuilder.PROTO_IPV6_FRAG, h);
    }

    /** 24 bytes: payload length in 4-byte units minus 2, SPI, sequence, a 12-byte zero ICV. */
    void authenticationHeader(long spi, long sequence) {
        byte[] h = new byte[24];
        h[1] = (byte) (24 / 4 - 2);
        Bytes.putInt(h, 4, spi);
        Bytes.putInt(h, 8, sequence);
        extension(PacketBuilder.PROTO_AH, h);
    }

    private void extension(int type, byte[] header) {
        extensionTypes.add(type);
        extensions.add(header);
    }

    byte[] packet(IpHeader ip, Transport transport) {
        boolean transportHeader = !nonFirstFragment;
        byte[] segment = transportHeader ? transport.segment() : transport.payload;
        int extLength = 0;
        for (byte[] e : extensions) {
            extLength += e.length;
        }
        int payloadLength = extLength + segment.length;
        if (payloadLength > 0xFFFF) {
            throw new IllegalStateException("IPv6 payload of " + payloadLength + " bytes exceeds 65535");
        }
        byte[] p = new byte[LENGTH + payloadLength];
        Bytes.putInt(p, 0, (6L << 28) | ((long) ip.tos << 20) | flowLabel);
        Bytes.putShort(p, 4, payloadLength);
        int upper = ip.protocol(transport);
        p[6] = (byte) (extensions.isEmpty() ? upper : extensionTypes.get(0));
        p[7] = (byte) ip.ttl;
        System.arraycopy(ip.src, 0, p, 8, 16);
        System.arraycopy(ip.dst, 0, p, 24, 16);
        int at = LENGTH;
        for (int i = 0; i < extensions.size(); i++) {
            byte[] e = extensions.get(i).clone();
            e[0] = (byte) (i + 1 < extensions.size() ? extensionTypes.get(i + 1) : upper);
            System.arraycopy(e, 0, p, at, e.length);
            at += e.length;
        }
        System.arraycopy(segment, 0, p, at, segment.length);
        if (transportHeader) {
            transport.fillChecksum(p, at, segment.length, ip);
        }
        return p;
    }
}
