package io.caravan.sflow.header;

/**
 * An IPv6 extension header walked over to reach the upper protocol: hop-by-hop options (0),
 * routing (43) and destination options (60), length (hdr_ext_len + 1) · 8; or the
 * authentication header (51, RFC 4302), length (payload_len + 2) · 4. The record's proto becomes
 * the header's next header.
 */
final class Ipv6ExtensionLayer implements LayerParser {
    private final boolean authentication;

    Ipv6ExtensionLayer(boolean authentication) {
        this.authentication = authentication;
    }

    @Override
    public int parse(byte[] b, int at, int end, HeaderState s) {
        if (end - at < 2) {
            return -1;
        }
        int nextHeader = b[at] & 0xFF;
        int length = authentication ? ((b[at + 1] & 0xFF) + 2) * 4 : ((b[at + 1] & 0xFF) + 1) * 8;
        s.record.proto(nextHeader);
        if (end - at < length) {
            return -1;
        }
        s.next = s.registry.forIpv6NextHeader(nextHeader);
        return length;
    }

    @Override
    public String name() {
        return authentication ? "IPv6 AH" : "IPv6 extension";
    }
}
