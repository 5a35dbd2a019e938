package io.caravan.sflow.header;

/** ICMP (RFC 792) or ICMPv6 (RFC 4443): type and code (2 bytes are enough), checksum, rest. Last layer. */
final class IcmpLayer implements LayerParser {
    static final int SIZE = 8;

    private final String name;

    IcmpLayer(String name) {
        this.name = name;
    }

    @Override
    public int parse(byte[] b, int at, int end, HeaderState s) {
        if (end - at < 2) {
            return -1;
        }
        s.record.icmpType(b[at] & 0xFF).icmpCode(b[at + 1] & 0xFF);
        return end - at < SIZE ? -1 : SIZE;
    }

    @Override
    public String name() {
        return name;
    }
}
