package io.caravan.sflow.header;

import io.caravan.sflow.wire.Xdr;

/**
 * Ethernet II (IEEE 802.3 clause 3): destination MAC (6), source MAC (6), ethertype (2). An
 * 802.3 length field (&lt; 0x0600, LLC follows) ends the walk with only the MACs set.
 */
final class EthernetLayer implements LayerParser {
    static final int SIZE = 14;

    @Override
    public int parse(byte[] b, int at, int end, HeaderState s) {
        if (end - at < SIZE) {
            return -1;
        }
        s.record.dstMac(Xdr.mac(b, at)).srcMac(Xdr.mac(b, at + 6));
        int type = Xdr.u16(b, at + 12);
        if (type >= 0x0600) {
            s.record.etype(type);
            s.next = s.registry.forEtherType(type);
        }
        return SIZE;
    }

    @Override
    public String name() {
        return "Ethernet";
    }
}
