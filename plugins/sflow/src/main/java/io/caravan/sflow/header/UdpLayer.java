package io.caravan.sflow.header;

import io.caravan.sflow.wire.Xdr;

/** UDP (RFC 768): source port, destination port (4 bytes are enough), length, checksum. Last layer. */
final class UdpLayer implements LayerParser {
    static final int SIZE = 8;

    @Override
    public int parse(byte[] b, int at, int end, HeaderState s) {
        if (end - at < 4) {
            return -1;
        }
        s.record.srcPort(Xdr.u16(b, at)).dstPort(Xdr.u16(b, at + 2));
        return end - at < SIZE ? -1 : SIZE;
    }

    @Override
    public String name() {
        return "UDP";
    }
}
