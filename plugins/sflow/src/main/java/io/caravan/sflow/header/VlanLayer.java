package io.caravan.sflow.header;

import io.caravan.sflow.wire.Xdr;

/**
 * An 802.1Q (0x8100) or 802.1ad (0x88A8, 0x9100) tag after its TPID: TCI (PCP 3, DEI 1, VID 12)
 * then the inner ethertype. The first (outer) tag's VID is the record's vlanId; a second tag's VID
 * is kept for the {@code inner_vlan_id} attribute.
 */
final class VlanLayer implements LayerParser {
    static final int SIZE = 4;

    @Override
    public int parse(byte[] b, int at, int end, HeaderState s) {
        if (end - at < SIZE) {
            return -1;
        }
        int vid = Xdr.u16(b, at) & 0xFFF;
        if (s.vlanTags == 0) {
            s.record.vlanId(vid);
        } else if (s.vlanTags == 1) {
            s.innerVlan = vid;
        }
        s.vlanTags++;
        int type = Xdr.u16(b, at + 2);
        s.record.etype(type);
        s.next = s.registry.forEtherType(type);
        return SIZE;
    }

    @Override
    public String name() {
        return "802.1Q";
    }
}
