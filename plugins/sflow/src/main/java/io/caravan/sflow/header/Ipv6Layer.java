package io.caravan.sflow.header;

import io.caravan.api.flow.FlowRecord;
import io.caravan.sflow.wire.Xdr;

/**
 * IPv6 (RFC 8200), 40 bytes: version (4) | traffic class (8) | flow label (20), payload length,
 * next header, hop limit, source, destination. Sets etype 0x86DD, ipTos (traffic class),
 * ipv6FlowLabel, ipTtl (hop limit), proto (the next header, updated by extension headers),
 * srcAddr, dstAddr.
 */
final class Ipv6Layer implements LayerParser {
    static final int SIZE = 40;

    @Override
    public int parse(byte[] b, int at, int end, HeaderState s) {
        if (end - at < SIZE || (b[at] & 0xF0) != 0x60) {
            return -1;
        }
        long word = Xdr.u32(b, at);
        int nextHeader = b[at + 6] & 0xFF;
        FlowRecord r = s.record;
        r.etype(LayerRegistry.ETHERTYPE_IPV6).ipTos((int) (word >>> 20) & 0xFF).ipv6FlowLabel(word & 0xFFFFF)
                .proto(nextHeader).ipTtl(b[at + 7] & 0xFF).srcAddr(Xdr.bytes(b, at + 8, 16))
                .dstAddr(Xdr.bytes(b, at + 24, 16));
        s.next = s.registry.forIpv6NextHeader(nextHeader);
        return SIZE;
    }

    @Override
    public String name() {
        return "IPv6";
    }
}
