package io.caravan.traffic.packet;

import java.io.ByteArrayOutputStream;

/**
 * Builds one packet, byte for byte, with correct lengths and checksums: an Ethernet II frame
 * (optionally 802.1Q / 802.1ad QinQ tags and an MPLS label stack) carrying IPv4 (options, id,
 * flags, fragment offset, TTL, TOS) or IPv6 (traffic class, flow label, hop limit, extension
 * headers), then TCP, UDP, ICMP or ICMPv6 and a payload. Without Ethernet ({@link #rawIp()}) the
 * result starts at the MPLS stack or the IP header, as sFlow header protocols 11, 12 and 13 carry it.
 *
 * <p>The IPv4 header checksum and the TCP, UDP, ICMP and ICMPv6 checksums are computed (the
 * transport ones over the pseudo-header with the IPv6 destination as written, i.e. a routing
 * header's final segment is not substituted). A non-first fragment (offset &gt; 0) carries the
 * payload only, no transport header. Frames are not padded to 60 bytes and carry no FCS.
 *
 * <p>This class is the one fluent entry point; each layer is a class of its own beside it:
 * {@link EthernetHeader}, {@link MplsStack}, {@link IpHeader} with {@link Ipv4Header} or
 * {@link Ipv6Header}, {@link Transport}, and {@link InternetChecksum}.
 *
 * <pre>{@code
 * byte[] frame = PacketBuilder.ethernet().vlan(100).ipv4("10.0.0.1", "192.0.2.9").ttl(63)
 *         .tcp(51000, 443).tcpFlags(PacketBuilder.TCP_SYN | PacketBuilder.TCP_ACK).payloadSize(100).build();
 * }</pre>
 */
public final class PacketBuilder {
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int ETHERTYPE_VLAN = 0x8100;
    public static final int ETHERTYPE_QINQ = 0x88A8;
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    public static final int ETHERTYPE_MPLS = 0x8847;

    public static final int PROTO_HOPOPT = 0;
    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    public static final int PROTO_IPV6_ROUTE = 43;
    public static final int PROTO_IPV6_FRAG = 44;
    public static final int PROTO_AH = 51;
    public static final int PROTO_ICMPV6 = 58;
    public static final int PROTO_IPV6_NONXT = 59;
    public static final int PROTO_IPV6_OPTS = 60;

    public static final int TCP_FIN = 0x01;
    public static final int TCP_SYN = 0x02;
    public static final int TCP_RST = 0x04;
    public static final int TCP_PSH = 0x08;
    public static final int TCP_ACK = 0x10;
    public static final int TCP_URG = 0x20;
    public static final int TCP_ECE = 0x40;
    public static final int TCP_CWR = 0x80;

    /** Ethernet header length without tags. */
    public static final int ETHERNET_HEADER = EthernetHeader.LENGTH;

    private final EthernetHeader ethernet; // null: no link layer
    private final MplsStack mpls = new MplsStack();
    private final IpHeader ip = new IpHeader();
    private final Ipv4Header ipv4 = new Ipv4Header();
    private final Ipv6Header ipv6 = new Ipv6Header();
    private final Transport transport = new Transport();

    private PacketBuilder(boolean ethernet) {
        this.ethernet = ethernet ? new EthernetHeader() : null;
    }

    /** An Ethernet II frame (MACs 02:00:00:00:00:01 → 02:00:00:00:00:02 unless set). */
    public static PacketBuilder ethernet() {
        return new PacketBuilder(true);
    }

    /** No link layer: the bytes start at the MPLS stack (if any) or the IP header. */
    public static PacketBuilder rawIp() {
        return new PacketBuilder(false);
    }

    // ---- Ethernet ------------------------------------------------------------------------------

    /** Source MAC as the low 48 bits. */
    public PacketBuilder srcMac(long mac) {
        ethernet("MAC addresses").srcMac = mac & 0xFFFF_FFFF_FFFFL;
        return this;
    }

    /** Source MAC as {@code aa:bb:cc:dd:ee:ff}. */
    public PacketBuilder srcMac(String mac) {
        return srcMac(EthernetHeader.parseMac(mac));
    }

    public PacketBuilder dstMac(long mac) {
        ethernet("MAC addresses").dstMac = mac & 0xFFFF_FFFF_FFFFL;
        return this;
    }

    public PacketBuilder dstMac(String mac) {
        return dstMac(EthernetHeader.parseMac(mac));
    }

    /** Adds an 802.1Q tag (TPID 0x8100); tags are written outermost first, in call order. */
    public PacketBuilder vlan(int vlanId) {
        return vlanTag(ETHERTYPE_VLAN, 0, vlanId);
    }

    /** Adds an 802.1Q tag with a priority code point. */
    public PacketBuilder vlan(int vlanId, int pcp) {
        return vlanTag(ETHERTYPE_VLAN, pcp, vlanId);
    }

    /** Adds an 802.1ad service tag (TPID 0x88A8) then an 802.1Q customer tag. */
    public PacketBuilder qinq(int outerVlanId, int innerVlanId) {
        vlanTag(ETHERTYPE_QINQ, 0, outerVlanId);
        return vlanTag(ETHERTYPE_VLAN, 0, innerVlanId);
    }

    /** Adds a tag with any TPID (0x8100, 0x88A8, 0x9100...), PCP (3 bits) and VLAN id (12 bits). */
    public PacketBuilder vlanTag(int tpid, int pcp, int vlanId) {
        ethernet("VLAN tags").tag(tpid, pcp, vlanId);
        return this;
    }

    /** Sets the ethertype after the tags, for non-IP frames (ARP...); the payload follows it. */
    public PacketBuilder etherType(int type) {
        ethernet("ethertypes").etherType = type & 0xFFFF;
        return this;
    }

    /** Adds an MPLS label (TTL 64, TC 0); labels are written top first, the last gets bottom-of-stack. */
    public PacketBuilder mpls(int label) {
        return mpls(label, 0, 64);
    }

    public PacketBuilder mpls(int label, int trafficClass, int ttl) {
        mpls.push(label, trafficClass, ttl);
        return this;
    }

    // ---- IP ------------------------------------------------------------------------------------

    public PacketBuilder ipv4(String src, String dst) {
        return ipv4(IpHeader.address(src, 4), IpHeader.address(dst, 4));
    }

    public PacketBuilder ipv4(byte[] src, byte[] dst) {
        ip.addresses(4, src, dst);
        return this;
    }

    public PacketBuilder ipv6(String src, String dst) {
        return ipv6(IpHeader.address(src, 16), IpHeader.address(dst, 16));
    }

    public PacketBuilder ipv6(byte[] src, byte[] dst) {
        ip.addresses(6, src, dst);
        return this;
    }

    /** IPv4 or IPv6 chosen by the address length (4 or 16). */
    public PacketBuilder ip(byte[] src, byte[] dst) {
        return src.length == 4 ? ipv4(src, dst) : ipv6(src, dst);
    }

    /** IPv4 type of service byte (DSCP + ECN). */
    public PacketBuilder tos(int tos) {
        ip.tos = tos & 0xFF;
        return this;
    }

    /** IPv6 traffic class (the same byte as IPv4 TOS). */
    public PacketBuilder trafficClass(int trafficClass) {
        return tos(trafficClass);
    }

    public PacketBuilder ttl(int ttl) {
        ip.ttl = ttl & 0xFF;
        return this;
    }

    /** IPv6 hop limit (the same byte as IPv4 TTL). */
    public PacketBuilder hopLimit(int hopLimit) {
        return ttl(hopLimit);
    }

    /** Writes this IP protocol / next header number instead of the transport's (for odd protocols; payload only). */
    public PacketBuilder protocol(int protocol) {
        ip.protocolOverride = protocol & 0xFF;
        return this;
    }

    /** IPv4 identification. */
    public PacketBuilder ipId(int id) {
        ipv4.id = id & 0xFFFF;
        return this;
    }

    public PacketBuilder dontFragment(boolean df) {
        ipv4.dontFragment = df;
        return this;
    }

    public PacketBuilder moreFragments(boolean mf) {
        ipv4.moreFragments = mf;
        return this;
    }

    /** The IPv4 reserved ("evil") flag bit. */
    public PacketBuilder reservedFlag(boolean rf) {
        ipv4.reservedFlag = rf;
        return this;
    }

    /** IPv4 fragment offset in 8-byte units; a non-zero offset leaves out the transport header. */
    public PacketBuilder fragmentOffset(int offsetUnits) {
        ipv4.fragmentOffset = offsetUnits & 0x1FFF;
        return this;
    }

    /** IPv4 options, padded with zeros (end-of-options) to a multiple of 4; IHL grows to match (max 40 bytes). */
    public PacketBuilder ipv4Options(byte[] options) {
        ipv4.options(options);
        return this;
    }

    /** IPv6 flow label (20 bits). */
    public PacketBuilder flowLabel(long label) {
        ipv6.flowLabel = label & 0xFFFFF;
        return this;
    }

    /** Adds an IPv6 hop-by-hop options header of 8 bytes (Pad1/PadN filled). */
    public PacketBuilder hopByHop() {
        ipv6.optionsHeader(PROTO_HOPOPT, 8);
        return this;
    }

    /** Adds an IPv6 destination options header of {@code length} bytes (a multiple of 8, PadN filled). */
    public PacketBuilder destinationOptions(int length) {
        ipv6.optionsHeader(PROTO_IPV6_OPTS, length);
        return this;
    }

    /** Adds an IPv6 routing header (type, segments left, then the addresses after 4 reserved bytes). */
    public PacketBuilder routingHeader(int routingType, int segmentsLeft, byte[]... addresses) {
        ipv6.routingHeader(routingType, segmentsLeft, addresses);
        return this;
    }

    /** Adds an IPv6 fragment header; offset in 8-byte units. A non-zero offset leaves out the transport header. */
    public PacketBuilder ipv6Fragment(int offsetUnits, boolean more, long identification) {
        ipv6.fragmentHeader(offsetUnits, more, identification);
        return this;
    }

    /** Adds an IPv6 authentication header with a 12-byte zero ICV (24 bytes in all). */
    public PacketBuilder authenticationHeader(long spi, long sequence) {
        ipv6.authenticationHeader(spi, sequence);
        return this;
    }

    // ---- transport -----------------------------------------------------------------------------

    public PacketBuilder tcp(int srcPort, int dstPort) {
        transport.ports(Transport.Kind.TCP, srcPort, dstPort);
        return this;
    }

    /** TCP flags (FIN 0x01 … CWR 0x80; 0x100 sets NS); default ACK. */
    public PacketBuilder tcpFlags(int flags) {
        transport.tcpFlags = flags & 0x1FF;
        return this;
    }

    public PacketBuilder seq(long sequence) {
        transport.tcpSeq = sequence & 0xFFFF_FFFFL;
        return this;
    }

    public PacketBuilder ack(long ack) {
        transport.tcpAck = ack & 0xFFFF_FFFFL;
        return this;
    }

    public PacketBuilder window(int window) {
        transport.tcpWindow = window & 0xFFFF;
        return this;
    }

    public PacketBuilder udp(int srcPort, int dstPort) {
        transport.ports(Transport.Kind.UDP, srcPort, dstPort);
        return this;
    }

    /** ICMP (IPv4) type and code; the 4 bytes after the checksum are zero unless {@link #icmpRest}. */
    public PacketBuilder icmp(int type, int code) {
        transport.icmp(Transport.Kind.ICMP, type, code);
        return this;
    }

    public PacketBuilder icmpv6(int type, int code) {
        transport.icmp(Transport.Kind.ICMPV6, type, code);
        return this;
    }

    /** The ICMP "rest of header" word (echo id and sequence, say). */
    public PacketBuilder icmpRest(long rest) {
        transport.icmpRest = rest & 0xFFFF_FFFFL;
        return this;
    }

    /** A payload of {@code size} bytes counting 0, 1, 2, … (mod 256). */
    public PacketBuilder payloadSize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("payload size must be >= 0");
        }
        byte[] p = new byte[size];
        for (int i = 0; i < size; i++) {
            p[i] = (byte) i;
        }
        transport.payload = p;
        return this;
    }

    public PacketBuilder payload(byte[] bytes) {
        transport.payload = bytes.clone();
        return this;
    }

    // ---- build ---------------------------------------------------------------------------------

    /** The link-layer bytes before the IP header (Ethernet, tags, MPLS stack). */
    public int l2Length() {
        return (ethernet != null ? ethernet.length() : 0) + mpls.length();
    }

    public byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + transport.payload.length);
        if (ethernet != null) {
            ethernet.write(out, !mpls.isEmpty(), ip.version);
        }
        mpls.write(out);
        if (ip.version == 0) {
            out.writeBytes(transport.payload);
        } else {
            out.writeBytes(ip.version == 4 ? ipv4.packet(ip, transport) : ipv6.packet(ip, transport));
        }
        return out.toByteArray();
    }

    /** The Internet checksum (RFC 1071) of {@code b[off, off+len)} plus an initial sum. */
    public static int checksum(byte[] b, int off, int len, long initial) {
        return InternetChecksum.checksum(b, off, len, initial);
    }

    private EthernetHeader ethernet(String what) {
        if (ethernet == null) {
            throw new IllegalStateException(what + " need an Ethernet frame, not rawIp()");
        }
        return ethernet;
    }
}
