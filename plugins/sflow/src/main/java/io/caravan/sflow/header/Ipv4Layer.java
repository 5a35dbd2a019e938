package io.caravan.sflow.header;

import io.caravan.api.flow.FlowRecord;
import io.caravan.sflow.wire.Xdr;

/**
 * IPv4 (RFC 791): version/IHL, TOS, total length, identification, flags (3) | fragment offset
 * (13, in 8-byte units), TTL, protocol, checksum, source, destination, options (IHL·4 − 20).
 * Sets etype 0x0800, ipTos, fragmentId, ipFlags (reserved/DF/MF as 4/2/1), fragmentOffset, ipTtl,
 * proto, srcAddr, dstAddr. Only a first fragment (offset 0) goes on to the transport layer. A
 * header whose options are cut off keeps its fields and ends the walk.
 */
final class Ipv4Layer implements LayerParser {
    static final int SIZE = 20;

    @Override
    public int parse(byte[] b, int at, int end, HeaderState s) {
        if (end - at < SIZE || (b[at] & 0xF0) != 0x40) {
            return -1;
        }
        int headerLength = (b[at] & 0x0F) * 4;
        if (headerLength < SIZE) {
            return -1;
        }
        int flagsOffset = Xdr.u16(b, at + 6);
        int fragmentOffset = flagsOffset & 0x1FFF;
        int protocol = b[at + 9] & 0xFF;
        FlowRecord r = s.record;
        r.etype(LayerRegistry.ETHERTYPE_IPV4).ipTos(b[at + 1] & 0xFF).fragmentId(Xdr.u16(b, at + 4))
                .ipFlags(flagsOffset >>> 13).fragmentOffset(fragmentOffset).ipTtl(b[at + 8] & 0xFF).proto(protocol)
                .srcAddr(Xdr.bytes(b, at + 12, 4)).dstAddr(Xdr.bytes(b, at + 16, 4));
        if (end - at < headerLength) {
            return -1;
        }
        s.next = fragmentOffset == 0 ? s.registry.forIpProtocol(protocol) : null;
        return headerLength;
    }

    @Override
    public String name() {
        return "IPv4";
    }
}
