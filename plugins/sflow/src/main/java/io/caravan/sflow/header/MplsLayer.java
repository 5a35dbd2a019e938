package io.caravan.sflow.header;

import io.caravan.sflow.wire.Xdr;

/**
 * An MPLS label stack (RFC 3032): 4-byte entries, label (20) | TC (3) | S (1) | TTL (8), popped
 * until bottom of stack (S = 1), at most {@link HeaderState#MAX_MPLS_LABELS}. MPLS carries no
 * payload type, so the first nibble after the stack is guessed: 4 → IPv4, 6 → IPv6 (the
 * record's etype becomes 0x0800 or 0x86DD); anything else (a pseudowire control word, say) stops.
 */
final class MplsLayer implements LayerParser {

    @Override
    public int parse(byte[] b, int at, int end, HeaderState s) {
        int p = at;
        while (true) {
            if (end - p < 4 || s.mplsCount() >= HeaderState.MAX_MPLS_LABELS) {
                return -1;
            }
            long entry = Xdr.u32(b, p);
            s.addMplsLabel(entry >>> 12);
            p += 4;
            if ((entry & 0x100) != 0) {
                break;
            }
        }
        if (p < end) {
            int version = (b[p] >> 4) & 0xF;
            if (version == 4) {
                s.record.etype(LayerRegistry.ETHERTYPE_IPV4);
                s.next = s.registry.ipv4();
            } else if (version == 6) {
                s.record.etype(LayerRegistry.ETHERTYPE_IPV6);
                s.next = s.registry.ipv6();
            }
        }
        return p - at;
    }

    @Override
    public String name() {
        return "MPLS";
    }
}
