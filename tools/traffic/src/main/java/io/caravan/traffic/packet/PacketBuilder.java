package io.caravan.traffic.packet;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
    public static final int ETHERNET_HEADER = 14;

    private enum L4 { NONE, TCP, UDP, ICMP, ICMPV6 }

    private final boolean ethernet;
    private long srcMac = 0x02_00_00_00_00_01L;
    private long dstMac = 0x02_00_00_00_00_02L;
    private final List<int[]> vlanTags = new ArrayList<>();   // {tpid, tci}
    private final List<int[]> mplsLabels = new ArrayList<>(); // {label, tc, ttl}
    private int etherType = -1;

    private int ipVersion;
    private byte[] src;
    private byte[] dst;
    private int tos;
    private int ttl = 64;
    private int ipId;
    private boolean dontFragment;
    private boolean moreFragments;
    private boolean reservedFlag;
    private int fragmentOffset;
    private byte[] ipv4Options = new byte[0];
    private long flowLabel;
    private final List<byte[]> ipv6Extensions = new ArrayList<>(); // [type, header bytes with next-header placeholder]
    private final List<Integer> ipv6ExtensionTypes = new ArrayList<>();
    private boolean ipv6NonFirstFragment;
    private int protocolOverride = -1;

    private L4 l4 = L4.NONE;
    private int srcPort;
    private int dstPort;
    private int tcpFlags = TCP_ACK;
    private long tcpSeq = 1;
    private long tcpAck;
    private int tcpWindow = 65535;
    private int icmpType;
    private int icmpCode;
    private long icmpRest;

    private byte[] payload = new byte[0];

    private PacketBuilder(boolean ethernet) {
        this.ethernet = ethernet;
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
        this.srcMac = mac & 0xFFFF_FFFF_FFFFL;
        return this;
    }

    /** Source MAC as {@code aa:bb:cc:dd:ee:ff}. */
    public PacketBuilder srcMac(String mac) {
        return srcMac(parseMac(mac));
    }

    public PacketBuilder dstMac(long mac) {
        this.dstMac = mac & 0xFFFF_FFFF_FFFFL;
        return this;
    }

    public PacketBuilder dstMac(String mac) {
        return dstMac(parseMac(mac));
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
        requireEthernet("VLAN tags");
        vlanTags.add(new int[] {tpid & 0xFFFF, ((pcp & 7) << 13) | (vlanId & 0xFFF)});
        return this;
    }

    /** Sets the ethertype after the tags, for non-IP frames (ARP...); the payload follows it. */
    public PacketBuilder etherType(int type) {
        requireEthernet("an ethertype");
        this.etherType = type & 0xFFFF;
        return this;
    }

    /** Adds an MPLS label (TTL 64, TC 0); labels are written top first, the last gets bottom-of-stack. */
    public PacketBuilder mpls(int label) {
        return mpls(label, 0, 64);
    }

    public PacketBuilder mpls(int label, int trafficClass, int ttl) {
        mplsLabels.add(new int[] {label & 0xFFFFF, trafficClass & 7, ttl & 0xFF});
        return this;
    }

    // ---- IP ------------------------------------------------------------------------------------

    public PacketBuilder ipv4(String src, String dst) {
        return ipv4(address(src, 4), address(dst, 4));
    }

    public PacketBuilder ipv4(byte[] src, byte[] dst) {
        requireLength(src, 4);
        requireLength(dst, 4);
        this.ipVersion = 4;
        this.src = src.clone();
        this.dst = dst.clone();
        return this;
    }

    public PacketBuilder ipv6(String src, String dst) {
        return ipv6(address(src, 16), address(dst, 16));
    }

    public PacketBuilder ipv6(byte[] src, byte[] dst) {
        requireLength(src, 16);
        requireLength(dst, 16);
        this.ipVersion = 6;
        this.src = src.clone();
        this.dst = dst.clone();
        return this;
    }

    /** IPv4 or IPv6 chosen by the address length (4 or 16). */
    public PacketBuilder ip(byte[] src, byte[] dst) {
        return src.length == 4 ? ipv4(src, dst) : ipv6(src, dst);
    }

    /** IPv4 type of service byte (DSCP + ECN). */
    public PacketBuilder tos(int tos) {
        this.tos = tos & 0xFF;
        return this;
    }

    /** IPv6 traffic class (the same byte as IPv4 TOS). */
    public PacketBuilder trafficClass(int trafficClass) {
        return tos(trafficClass);
    }

    public PacketBuilder ttl(int ttl) {
        this.ttl = ttl & 0xFF;
        return this;
    }

    /** IPv6 hop limit (the same byte as IPv4 TTL). */
    public PacketBuilder hopLimit(int hopLimit) {
        return ttl(hopLimit);
    }

    /** IPv4 identification. */
    public PacketBuilder ipId(int id) {
        this.ipId = id & 0xFFFF;
        return this;
    }

    public PacketBuilder dontFragment(boolean df) {
        this.dontFragment = df;
        return this;
    }

    public PacketBuilder moreFragments(boolean mf) {
        this.moreFragments = mf;
        return this;
    }

    /** The IPv4 reserved ("evil") flag bit. */
    public PacketBuilder reservedFlag(boolean rf) {
        this.reservedFlag = rf;
        return this;
    }

    /** IPv4 fragment offset in 8-byte units; a non-zero offset leaves out the transport header. */
    public PacketBuilder fragmentOffset(int offsetUnits) {
        this.fragmentOffset = offsetUnits & 0x1FFF;
        return this;
    }

    /** IPv4 options, padded with zeros (end-of-options) to a multiple of 4; IHL grows to match (max 40 bytes). */
    public PacketBuilder ipv4Options(byte[] options) {
        int padded = (options.length + 3) & ~3;
        if (padded > 40) {
            throw new IllegalArgumentException("IPv4 options are at most 40 bytes, got " + options.length);
        }
        this.ipv4Options = Arrays.copyOf(options, padded);
        return this;
    }

    /** IPv6 flow label (20 bits). */
    public PacketBuilder flowLabel(long label) {
        this.flowLabel = label & 0xFFFFF;
        return this;
    }

    /** Adds an IPv6 hop-by-hop options header of 8 bytes (Pad1/PadN filled). */
    public PacketBuilder hopByHop() {
        return optionsHeader(PROTO_HOPOPT, 8);
    }

    /** Adds an IPv6 destination options header of {@code length} bytes (a multiple of 8, PadN filled). */
    public PacketBuilder destinationOptions(int length) {
        return optionsHeader(PROTO_IPV6_OPTS, length);
    }

    /** Adds an IPv6 routing header (type, segments left, then the addresses after 4 reserved bytes). */
    public PacketBuilder routingHeader(int routingType, int segmentsLeft, byte[]... addresses) {
        int length = 8 + 16 * addresses.length;
        byte[] h = new byte[length];
        h[1] = (byte) (length / 8 - 1);
        h[2] = (byte) routingType;
        h[3] = (byte) segmentsLeft;
        for (int i = 0; i < addresses.length; i++) {
            requireLength(addresses[i], 16);
            System.arraycopy(addresses[i], 0, h, 8 + 16 * i, 16);
        }
        return extension(PROTO_IPV6_ROUTE, h);
    }

    /** Adds an IPv6 fragment header; offset in 8-byte units. A non-zero offset leaves out the transport header. */
    public PacketBuilder ipv6Fragment(int offsetUnits, boolean more, long identification) {
        byte[] h = new byte[8];
        int word = ((offsetUnits & 0x1FFF) << 3) | (more ? 1 : 0);
        h[2] = (byte) (word >>> 8);
        h[3] = (byte) word;
        putInt(h, 4, identification);
        if (offsetUnits != 0) {
            ipv6NonFirstFragment = true;
        }
        return extension(PROTO_IPV6_FRAG, h);
    }

    /** Adds an IPv6 authentication header with a 12-byte zero ICV (24 bytes in all). */
    public PacketBuilder authenticationHeader(long spi, long sequence) {
        byte[] h = new byte[24];
        h[1] = (byte) (24 / 4 - 2);
        putInt(h, 4, spi);
        putInt(h, 8, sequence);
        return extension(PROTO_AH, h);
    }

    /** Writes this IP protocol / next header number instead of the transport's (for odd protocols; payload only). */
    public PacketBuilder protocol(int protocol) {
        this.protocolOverride = protocol & 0xFF;
        return this;
    }

    private PacketBuilder optionsHeader(int type, int length) {
        if (length < 8 || length % 8 != 0) {
            throw new IllegalArgumentException("IPv6 options header length must be a positive multiple of 8");
        }
        byte[] h = new byte[length];
        h[1] = (byte) (length / 8 - 1);
        int padLength = length - 2;
        if (padLength == 1) {
            h[2] = 0; // Pad1
        } else {
            h[2] = 1; // PadN
            h[3] = (byte) (padLength - 2);
        }
        return extension(type, h);
    }

    private PacketBuilder extension(int type, byte[] header) {
        ipv6ExtensionTypes.add(type);
        ipv6Extensions.add(header);
        return this;
    }

    // ---- transport -----------------------------------------------------------------------------

    public PacketBuilder tcp(int srcPort, int dstPort) {
        this.l4 = L4.TCP;
        this.srcPort = srcPort & 0xFFFF;
        this.dstPort = dstPort & 0xFFFF;
        return this;
    }

    /** TCP flags (FIN 0x01 … CWR 0x80; 0x100 sets NS); default ACK. */
    public PacketBuilder tcpFlags(int flags) {
        this.tcpFlags = flags & 0x1FF;
        return this;
    }

    public PacketBuilder seq(long sequence) {
        this.tcpSeq = sequence & 0xFFFF_FFFFL;
        return this;
    }

    public PacketBuilder ack(long ack) {
        this.tcpAck = ack & 0xFFFF_FFFFL;
        return this;
    }

    public PacketBuilder window(int window) {
        this.tcpWindow = window & 0xFFFF;
        return this;
    }

    public PacketBuilder udp(int srcPort, int dstPort) {
        this.l4 = L4.UDP;
        this.srcPort = srcPort & 0xFFFF;
        this.dstPort = dstPort & 0xFFFF;
        return this;
    }

    /** ICMP (IPv4) type and code; the 4 bytes after the checksum are zero unless {@link #icmpRest}. */
    public PacketBuilder icmp(int type, int code) {
        this.l4 = L4.ICMP;
        this.icmpType = type & 0xFF;
        this.icmpCode = code & 0xFF;
        return this;
    }

    public PacketBuilder icmpv6(int type, int code) {
        this.l4 = L4.ICMPV6;
        this.icmpType = type & 0xFF;
        this.icmpCode = code & 0xFF;
        return this;
    }

    /** The ICMP "rest of header" word (echo id and sequence, say). */
    public PacketBuilder icmpRest(long rest) {
        this.icmpRest = rest & 0xFFFF_FFFFL;
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
        this.payload = p;
        return this;
    }

    public PacketBuilder payload(byte[] bytes) {
        this.payload = bytes.clone();
        return this;
    }

    // ---- build ---------------------------------------------------------------------------------

    /** The link-layer bytes before the IP header (Ethernet, tags, MPLS stack). */
    public int l2Length() {
        return (ethernet ? ETHERNET_HEADER + 4 * vlanTags.size() : 0) + 4 * mplsLabels.size();
    }

    public byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + payload.length);
        if (ethernet) {
            writeMac(out, dstMac);
            writeMac(out, srcMac);
            for (int[] tag : vlanTags) {
                writeShort(out, tag[0]);
                writeShort(out, tag[1]);
            }
            int type;
            if (!mplsLabels.isEmpty()) {
                type = ETHERTYPE_MPLS;
            } else if (etherType >= 0) {
                type = etherType;
            } else if (ipVersion == 4) {
                type = ETHERTYPE_IPV4;
            } else if (ipVersion == 6) {
                type = ETHERTYPE_IPV6;
            } else {
                throw new IllegalStateException("no IP layer and no ethertype: call ipv4, ipv6 or etherType");
            }
            writeShort(out, type);
        }
        for (int i = 0; i < mplsLabels.size(); i++) {
            int[] l = mplsLabels.get(i);
            boolean bottom = i == mplsLabels.size() - 1;
            writeInt(out, ((long) l[0] << 12) | ((long) l[1] << 9) | (bottom ? 0x100 : 0) | l[2]);
        }
        if (ipVersion == 0) {
            out.writeBytes(payload);
            return out.toByteArray();
        }
        out.writeBytes(ipVersion == 4 ? ipv4Packet() : ipv6Packet());
        return out.toByteArray();
    }

    private byte[] ipv4Packet() {
        boolean transportHeader = fragmentOffset == 0;
        byte[] segment = transportHeader ? transport() : payload;
        int headerLength = 20 + ipv4Options.length;
        int total = headerLength + segment.length;
        if (total > 0xFFFF) {
            throw new IllegalStateException("IPv4 packet of " + total + " bytes exceeds 65535");
        }
        byte[] p = new byte[total];
        p[0] = (byte) (0x40 | (headerLength / 4));
        p[1] = (byte) tos;
        putShort(p, 2, total);
        putShort(p, 4, ipId);
        int flags = (reservedFlag ? 4 : 0) | (dontFragment ? 2 : 0) | (moreFragments ? 1 : 0);
        putShort(p, 6, (flags << 13) | fragmentOffset);
        p[8] = (byte) ttl;
        p[9] = (byte) protocol();
        System.arraycopy(src, 0, p, 12, 4);
        System.arraycopy(dst, 0, p, 16, 4);
        System.arraycopy(ipv4Options, 0, p, 20, ipv4Options.length);
        putShort(p, 10, checksum(p, 0, headerLength, 0));
        System.arraycopy(segment, 0, p, headerLength, segment.length);
        if (transportHeader) {
            fillTransportChecksum(p, headerLength, segment.length);
        }
        return p;
    }

    private byte[] ipv6Packet() {
        boolean transportHeader = !ipv6NonFirstFragment;
        byte[] segment = transportHeader ? transport() : payload;
        int extLength = 0;
        for (byte[] e : ipv6Extensions) {
            extLength += e.length;
        }
        int payloadLength = extLength + segment.length;
        if (payloadLength > 0xFFFF) {
            throw new IllegalStateException("IPv6 payload of " + payloadLength + " bytes exceeds 65535");
        }
        byte[] p = new byte[40 + payloadLength];
        putInt(p, 0, (6L << 28) | ((long) tos << 20) | flowLabel);
        putShort(p, 4, payloadLength);
        int upper = protocol();
        p[6] = (byte) (ipv6Extensions.isEmpty() ? upper : ipv6ExtensionTypes.get(0));
        p[7] = (byte) ttl;
        System.arraycopy(src, 0, p, 8, 16);
        System.arraycopy(dst, 0, p, 24, 16);
        int at = 40;
        for (int i = 0; i < ipv6Extensions.size(); i++) {
            byte[] e = ipv6Extensions.get(i).clone();
            e[0] = (byte) (i + 1 < ipv6Extensions.size() ? ipv6ExtensionTypes.get(i + 1) : upper);
            System.arraycopy(e, 0, p, at, e.length);
            at += e.length;
        }
        System.arraycopy(segment, 0, p, at, segment.length);
        if (transportHeader) {
            fillTransportChecksum(p, at, segment.length);
        }
        return p;
    }

    private int protocol() {
        if (protocolOverride >= 0) {
            return protocolOverride;
        }
        return switch (l4) {
            case TCP -> PROTO_TCP;
            case UDP -> PROTO_UDP;
            case ICMP -> PROTO_ICMP;
            case ICMPV6 -> PROTO_ICMPV6;
            case NONE -> ipVersion == 6 ? PROTO_IPV6_NONXT : 255;
        };
    }

    /** The transport header and payload, checksum zero. */
    private byte[] transport() {
        byte[] t;
        switch (l4) {
            case TCP -> {
                t = new byte[20 + payload.length];
                putShort(t, 0, srcPort);
                putShort(t, 2, dstPort);
                putInt(t, 4, tcpSeq);
                putInt(t, 8, tcpAck);
                t[12] = (byte) ((5 << 4) | ((tcpFlags >>> 8) & 1));
                t[13] = (byte) tcpFlags;
                putShort(t, 14, tcpWindow);
                System.arraycopy(payload, 0, t, 20, payload.length);
            }
            case UDP -> {
                t = new byte[8 + payload.length];
                putShort(t, 0, srcPort);
                putShort(t, 2, dstPort);
                putShort(t, 4, Math.min(t.length, 0xFFFF));
                System.arraycopy(payload, 0, t, 8, payload.length);
            }
            case ICMP, ICMPV6 -> {
                t = new byte[8 + payload.length];
                t[0] = (byte) icmpType;
                t[1] = (byte) icmpCode;
                putInt(t, 4, icmpRest);
                System.arraycopy(payload, 0, t, 8, payload.length);
            }
            default -> t = payload.clone();
        }
        return t;
    }

    /** Computes the transport checksum in place, for the segment at {@code at} of {@code length} bytes. */
    private void fillTransportChecksum(byte[] p, int at, int length) {
        int checksumAt;
        switch (l4) {
            case TCP -> checksumAt = 16;
            case UDP -> checksumAt = 6;
            case ICMP -> checksumAt = 2;
            case ICMPV6 -> checksumAt = 2;
            default -> {
                return;
            }
        }
        if (protocolOverride >= 0) {
            return;
        }
        long pseudo = 0;
        if (l4 != L4.ICMP) {
            pseudo = sum(src, 0, src.length) + sum(dst, 0, dst.length) + protocol() + (length & 0xFFFF) + (length >>> 16);
        }
        int c = checksum(p, at, length, pseudo);
        if (c == 0 && l4 == L4.UDP) {
            c = 0xFFFF;
        }
        putShort(p, at + checksumAt, c);
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** The Internet checksum (RFC 1071) of {@code b[off, off+len)} plus an initial sum. */
    public static int checksum(byte[] b, int off, int len, long initial) {
        long s = initial + sum(b, off, len);
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) (~s & 0xFFFF);
    }

    private static long sum(byte[] b, int off, int len) {
        long s = 0;
        int i = off;
        int end = off + len;
        for (; i + 1 < end; i += 2) {
            s += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
        }
        if (i < end) {
            s += (b[i] & 0xFF) << 8;
        }
        return s;
    }

    private void requireEthernet(String what) {
        if (!ethernet) {
            throw new IllegalStateException(what + " need an Ethernet frame, not rawIp()");
        }
    }

    private static void requireLength(byte[] address, int length) {
        if (address == null || address.length != length) {
            throw new IllegalArgumentException("expected a " + length + "-byte address");
        }
    }

    /** A numeric address literal as bytes; IPv4 literals are mapped when 16 bytes are wanted. */
    private static byte[] address(String text, int length) {
        if (!text.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("'" + text + "' is not a numeric address");
        }
        byte[] a;
        try {
            a = InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not a numeric address", e);
        }
        if (a.length != length) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv" + (length == 4 ? 4 : 6) + " address");
        }
        return a;
    }

    static long parseMac(String mac) {
        String[] parts = mac.split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("'" + mac + "' is not a MAC address");
        }
        long v = 0;
        for (String part : parts) {
            v = (v << 8) | Integer.parseInt(part, 16);
        }
        return v;
    }

    private static void writeMac(ByteArrayOutputStream out, long mac) {
        for (int shift = 40; shift >= 0; shift -= 8) {
            out.write((int) (mac >>> shift) & 0xFF);
        }
    }

    private static void writeShort(ByteArrayOutputStream out, int v) {
        out.write((v >>> 8) & 0xFF);
        out.write(v & 0xFF);
    }

    private static void writeInt(ByteArrayOutputStream out, long v) {
        out.write((int) (v >>> 24) & 0xFF);
        out.write((int) (v >>> 16) & 0xFF);
        out.write((int) (v >>> 8) & 0xFF);
        out.write((int) v & 0xFF);
    }

    private static void putShort(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    private static void putInt(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
