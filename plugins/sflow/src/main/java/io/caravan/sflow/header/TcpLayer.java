package io.caravan.sflow.header;

import io.caravan.sflow.wire.Xdr;

/**
 * TCP (RFC 9293): source port, destination port (4 bytes are enough for them), then the flags
 * byte at offset 13 (CWR … FIN) when captured. Last layer.
 */
final class TcpLayer implements LayerParser {
    static final int SIZE = 20;

    @Override
    public int parse(byte[] b, int at, int end, HeaderState s) {
        if (end - at < 4) {
            return -1;
        }
        s.record.srcPort(Xdr.u16(b, at)).dstPort(Xdr.u16(b, at + 2));
        if (end - at < 14) {
            return -1;
        }
        s.record.tcpFlags(b[at + 13] & 0xFF);
        int length = ((b[at + 12] >> 4) & 0xF) * 4;
        return end - at < length ? -1 : Math.max(length, SIZE);
    }

    @Override
    public String name() {
        return "TCP";
    }
}
