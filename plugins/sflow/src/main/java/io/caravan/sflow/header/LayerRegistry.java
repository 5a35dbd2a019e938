package io.caravan.sflow.header;

/**
 * Which parser handles which layer: by sFlow header_protocol, by ethertype, by IPv4 protocol and
 * by IPv6 next header (extension headers first). Built once, immutable, thread-safe.
 */
public final class LayerRegistry {
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    public static final int ETHERTYPE_VLAN = 0x8100;
    public static final int ETHERTYPE_QINQ = 0x88A8;
    public static final int ETHERTYPE_QINQ_LEGACY = 0x9100;
    public static final int ETHERTYPE_MPLS = 0x8847;
    public static final int ETHERTYPE_MPLS_MULTICAST = 0x8848;

    public static final int PROTO_HOPOPT = 0;
    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    public static final int PROTO_IPV6_ROUTE = 43;
    public static final int PROTO_IPV6_FRAG = 44;
    public static final int PROTO_AH = 51;
    public static final int PROTO_ICMPV6 = 58;
    public static final int PROTO_IPV6_OPTS = 60;

    /** sFlow header_protocol values with a parser. */
    public static final int HEADER_ETHERNET = 1;
    public static final int HEADER_IPV4 = 11;
    public static final int HEADER_IPV6 = 12;
    public static final int HEADER_MPLS = 13;

    private final LayerParser ethernet = new EthernetLayer();
    private final LayerParser vlan = new VlanLayer();
    private final LayerParser mpls = new MplsLayer();
    private final LayerParser ipv4 = new Ipv4Layer();
    private final LayerParser ipv6 = new Ipv6Layer();
    private final LayerParser ipv6Options = new Ipv6ExtensionLayer(false);
    private final LayerParser ipv6Auth = new Ipv6ExtensionLayer(true);
    private final LayerParser ipv6Fragment = new Ipv6FragmentLayer();
    private final LayerParser[] byProtocol = new LayerParser[256];

    public LayerRegistry() {
        byProtocol[PROTO_TCP] = new TcpLayer();
        byProtocol[PROTO_UDP] = new UdpLayer();
        byProtocol[PROTO_ICMP] = new IcmpLayer("ICMP");
        byProtocol[PROTO_ICMPV6] = new IcmpLayer("ICMPv6");
    }

    /** The first parser for an sFlow header_protocol, or null when not parsed (802.11, PPP, ...). */
    public LayerParser forHeaderProtocol(long headerProtocol) {
        if (headerProtocol == HEADER_ETHERNET) {
            return ethernet;
        }
        if (headerProtocol == HEADER_IPV4) {
            return ipv4;
        }
        if (headerProtocol == HEADER_IPV6) {
            return ipv6;
        }
        return headerProtocol == HEADER_MPLS ? mpls : null;
    }

    public LayerParser forEtherType(int etherType) {
        return switch (etherType) {
            case ETHERTYPE_IPV4 -> ipv4;
            case ETHERTYPE_IPV6 -> ipv6;
            case ETHERTYPE_VLAN, ETHERTYPE_QINQ, ETHERTYPE_QINQ_LEGACY -> vlan;
            case ETHERTYPE_MPLS, ETHERTYPE_MPLS_MULTICAST -> mpls;
            default -> null;
        };
    }

    /** The transport parser after an IPv4 header. */
    public LayerParser forIpProtocol(int protocol) {
        return byProtocol[protocol & 0xFF];
    }

    /** The parser after an IPv6 header or extension header: extension headers first, then transports. */
    public LayerParser forIpv6NextHeader(int nextHeader) {
        return switch (nextHeader) {
            case PROTO_HOPOPT, PROTO_IPV6_ROUTE, PROTO_IPV6_OPTS -> ipv6Options;
            case PROTO_AH -> ipv6Auth;
            case PROTO_IPV6_FRAG -> ipv6Fragment;
            default -> forIpProtocol(nextHeader);
        };
    }

    LayerParser ipv4() {
        return ipv4;
    }

    LayerParser ipv6() {
        return ipv6;
    }
}
