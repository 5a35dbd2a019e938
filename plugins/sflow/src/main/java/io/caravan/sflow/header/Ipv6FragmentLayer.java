package io.caravan.sflow.header;

import io.caravan.sflow.wire.Xdr;

/**
 * The IPv6 fragment header (44), 8 bytes: next header, reserved, fragment offset (13, 8-byte
 * units) | res (2) | M (1), identification (32). Sets proto, fragmentOffset, fragmentId and
 * ipFlags (the M bit as 1, goflow2's reading). Only a first fragment goes on to the transport.
 */
final class Ipv6FragmentLayer implements LayerParser {
    static final int SIZE = 8;

    @Override
    public int parse(byte[] b, int at, int end, HeaderState s) {
        if (end - at < SIZE) {
            return -1;
        }
        int nextHeader = b[at] & 0xFF;
        int word = Xdr.u16(b, at + 2);
        int offset = word >>> 3;
        s.record.proto(nextHeader).fragmentOffset(offset).ipFlags(word & 7).fragmentId(Xdr.u32(b, at + 4));
        s.next = offset == 0 ? s.registry.forIpv6NextHeader(nextHeader) : null;
        return SIZE;
    }

    @Override
    public String name() {
        return "IPv6 fragment";
    }
}
