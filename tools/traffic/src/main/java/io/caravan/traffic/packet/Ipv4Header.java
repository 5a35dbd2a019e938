package io.caravan.traffic.packet;

import java.util.Arrays;

/**
 * An IPv4 header (RFC 791): identification, flags, fragment offset, options; its checksum is
 * computed. A non-first fragment (offset &gt; 0) carries the payload only, no transport header.
 */
final class Ipv4Header {
    /** Header length without options. */
    static final int LENGTH = 20;

    int id;
    boolean dontFragment;
    boolean moreFragments;
    boolean reservedFlag;
    /** In 8-byte units. */
    int fragmentOffset;
    private byte[] options = new byte[0];

    /** Options padded with zeros (end-of-options) to a multiple of 4; at most 40 bytes. */
    void options(byte[] options) {
        int padded = (options.length + 3) & ~3;
        if (padded > 40) {
            throw new IllegalArgumentException("IPv4 options are at most 40 bytes, got " + options.length);
        }
        this.options = Arrays.copyOf(options, padded);
    }

    byte[] packet(IpHeader ip, Transport transport) {
        boolean transportHeader = fragmentOffset == 0;
        byte[] segment = transportHeader ? transport.segment() : transport.payload;
        int headerLength = LENGTH + options.length;
        int total = headerLength + segment.length;
        if (total > 0xFFFF) {
            throw new IllegalStateException("IPv4 packet of " + total + " bytes exceeds 65535");
        }
        byte[] p = new byte[total];
        p[0] = (byte) (0x40 | (headerLength / 4));
        p[1] = (byte) ip.tos;
        Bytes.putShort(p, 2, total);
        Bytes.putShort(p, 4, id);
        int flags = (reservedFlag ? 4 : 0) | (dontFragment ? 2 : 0) | (moreFragments ? 1 : 0);
        Bytes.putShort(p, 6, (flags << 13) | fragmentOffset);
        p[8] = (byte) ip.ttl;
        p[9] = (byte) ip.protocol(transport);
        System.arraycopy(ip.src, 0, p, 12, 4);
        System.arraycopy(ip.dst, 0, p, 16, 4);
        System.arraycopy(options, 0, p, LENGTH, options.length);
        Bytes.putShort(p, 10, InternetChecksum.checksum(p, 0, headerLength, 0));
        System.arraycopy(segment, 0, p, headerLength, segment.length);
        if (transportHeader) {
            transport.fillChecksum(p, headerLength, segment.length, ip);
        }
        return p;
    }
}
