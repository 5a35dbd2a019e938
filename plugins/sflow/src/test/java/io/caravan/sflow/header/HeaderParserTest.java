package io.caravan.sflow.header;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.flow.FlowRecord;
import io.caravan.traffic.packet.PacketBuilder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderParserTest {
    private static final byte[] SRC4 = {10, 0, 0, 1};
    private static final byte[] DST4 = {(byte) 192, 0, 2, 9};
    private static final byte[] SRC6 = v6("2001:db8::1");
    private static final byte[] DST6 = v6("2001:db8::2");

    private final HeaderParser parser = new HeaderParser();

    private FlowRecord parse(int headerProtocol, byte[] frame) {
        return parse(headerProtocol, frame, frame.length);
    }

    private FlowRecord parse(int headerProtocol, byte[] frame, int captured) {
        // the header sits inside a larger buffer, as in a datagram: nothing past 'captured' may be read
        byte[] datagram = new byte[7 + frame.length + 9];
        Arrays.fill(datagram, (byte) 0xEE);
        System.arraycopy(frame, 0, datagram, 7, frame.length);
        FlowRecord r = new FlowRecord();
        parser.parse(headerProtocol, datagram, 7, captured, r);
        return r;
    }

    @Test
    void ethernetIpv4TcpSetsEveryField() {
        byte[] f = PacketBuilder.ethernet().srcMac("aa:bb:cc:dd:ee:01").dstMac("aa:bb:cc:dd:ee:02").ipv4(SRC4, DST4)
                .tos(0xb8).ttl(63).ipId(0x1234).dontFragment(true).tcp(51000, 443)
                .tcpFlags(PacketBuilder.TCP_SYN | PacketBuilder.TCP_ACK).payloadSize(100).build();

        FlowRecord r = parse(1, f);

        assertThat(r.srcMac()).isEqualTo(0xaabbccddee01L);
        assertThat(r.dstMac()).isEqualTo(0xaabbccddee02L);
        assertThat(r.etype()).isEqualTo(0x0800);
        assertThat(r.srcAddr()).containsExactly(SRC4);
        assertThat(r.dstAddr()).containsExactly(DST4);
        assertThat(r.ipTos()).isEqualTo(0xb8);
        assertThat(r.ipTtl()).isEqualTo(63);
        assertThat(r.fragmentId()).isEqualTo(0x1234);
        assertThat(r.ipFlags()).isEqualTo(2);          // DF
        assertThat(r.fragmentOffset()).isZero();
        assertThat(r.proto()).isEqualTo(6);
        assertThat(r.srcPort()).isEqualTo(51000);
        assertThat(r.dstPort()).isEqualTo(443);
        assertThat(r.tcpFlags()).isEqualTo(0x12);
        assertThat(r.vlanId()).isZero();
        assertThat(r.attributes()).isEmpty();
    }

    @Test
    void vlanTagGivesVlanId() {
        FlowRecord r = parse(1, PacketBuilder.ethernet().vlan(100, 5).ipv4(SRC4, DST4).udp(53, 5353).build());

        assertThat(r.vlanId()).isEqualTo(100);
        assertThat(r.etype()).isEqualTo(0x0800);
        assertThat(r.proto()).isEqualTo(17);
        assertThat(r.srcPort()).isEqualTo(53);
        assertThat(r.dstPort()).isEqualTo(5353);
        assertThat(r.attributes()).isEmpty();
    }

    @Test
    void qinqKeepsTheOuterTagAndTheInnerAsAttribute() {
        FlowRecord r = parse(1, PacketBuilder.ethernet().qinq(300, 42).ipv4(SRC4, DST4).udp(1, 2).build());

        assertThat(r.vlanId()).isEqualTo(300);
        assertThat(r.attribute(HeaderParser.ATTR_INNER_VLAN)).isEqualTo(42);
        assertThat(r.srcAddr()).containsExactly(SRC4);
        assertThat(r.dstPort()).isEqualTo(2);
    }

    @Test
    void mplsStackIsPoppedAndTheIpVersionGuessed() {
        FlowRecord v4 = parse(1, PacketBuilder.ethernet().vlan(7).mpls(16).mpls(1_048_575).ipv4(SRC4, DST4)
                .tcp(1000, 2000).build());
        FlowRecord v6 = parse(1, PacketBuilder.ethernet().mpls(299_792).ipv6(SRC6, DST6).udp(3, 4).build());

        assertThat(v4.vlanId()).isEqualTo(7);
        assertThat(v4.attribute(HeaderParser.ATTR_MPLS_LABELS)).isEqualTo(List.of(16L, 1_048_575L));
        assertThat(v4.etype()).isEqualTo(0x0800);
        assertThat(v4.srcAddr()).containsExactly(SRC4);
        assertThat(v4.srcPort()).isEqualTo(1000);
        assertThat(v6.attribute(HeaderParser.ATTR_MPLS_LABELS)).isEqualTo(List.of(299_792L));
        assertThat(v6.etype()).isEqualTo(0x86DD);
        assertThat(v6.dstAddr()).containsExactly(DST6);
        assertThat(v6.dstPort()).isEqualTo(4);
    }

    @Test
    void mplsHeaderProtocolStartsAtTheLabelStack() {
        FlowRecord r = parse(13, PacketBuilder.rawIp().mpls(100).ipv4(SRC4, DST4).icmp(8, 0).build());

        assertThat(r.attribute(HeaderParser.ATTR_MPLS_LABELS)).isEqualTo(List.of(100L));
        assertThat(r.proto()).isEqualTo(1);
        assertThat(r.icmpType()).isEqualTo(8);
    }

    @Test
    void mplsWithoutBottomOfStackStopsAtTheEnd() {
        byte[] f = PacketBuilder.ethernet().mpls(16).mpls(17).ipv4(SRC4, DST4).build();
        f[14 + 6] &= (byte) ~1; // clear S on the second label: no bottom of stack

        FlowRecord r = parse(1, f);

        assertThat(r.etype()).isEqualTo(0x8847);
        assertThat(r.srcAddr()).isNull();
        assertThat((List<?>) r.attribute(HeaderParser.ATTR_MPLS_LABELS)).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void ipv4OptionsAreSkippedByIhl() {
        FlowRecord r = parse(1, PacketBuilder.ethernet().ipv4(SRC4, DST4).ipv4Options(new byte[] {7, 7, 4, 0, 0, 0, 0, 0})
                .tcp(8080, 80).tcpFlags(PacketBuilder.TCP_FIN).build());

        assertThat(r.srcPort()).isEqualTo(8080);
        assertThat(r.dstPort()).isEqualTo(80);
        assertThat(r.tcpFlags()).isEqualTo(1);
    }

    @Test
    void ipv6WithExtensionHeadersReachesTheTransport() {
        byte[] f = PacketBuilder.ethernet().ipv6(SRC6, DST6).trafficClass(0x2e).flowLabel(0xABCDE).hopLimit(9)
                .hopByHop().routingHeader(0, 0, DST6).destinationOptions(16).authenticationHeader(0x100, 1)
                .ipv6Fragment(0, true, 0xCAFEBABEL).tcp(22, 40000).tcpFlags(PacketBuilder.TCP_PSH | PacketBuilder.TCP_ACK)
                .build();

        FlowRecord r = parse(1, f);

        assertThat(r.etype()).isEqualTo(0x86DD);
        assertThat(r.srcAddr()).containsExactly(SRC6);
        assertThat(r.dstAddr()).containsExactly(DST6);
        assertThat(r.ipTos()).isEqualTo(0x2e);
        assertThat(r.ipv6FlowLabel()).isEqualTo(0xABCDE);
        assertThat(r.ipTtl()).isEqualTo(9);
        assertThat(r.proto()).isEqualTo(6);
        assertThat(r.fragmentId()).isEqualTo(0xCAFEBABEL);
        assertThat(r.fragmentOffset()).isZero();
        assertThat(r.ipFlags()).isEqualTo(1);          // M
        assertThat(r.srcPort()).isEqualTo(22);
        assertThat(r.dstPort()).isEqualTo(40000);
        assertThat(r.tcpFlags()).isEqualTo(0x18);
    }

    @Test
    void ipv6HeaderProtocolStartsAtTheIpHeader() {
        FlowRecord r = parse(12, PacketBuilder.rawIp().ipv6(SRC6, DST6).icmpv6(135, 0).payloadSize(20).build());

        assertThat(r.etype()).isEqualTo(0x86DD);
        assertThat(r.proto()).isEqualTo(58);
        assertThat(r.icmpType()).isEqualTo(135);
        assertThat(r.icmpCode()).isZero();
    }

    @Test
    void ipv4HeaderProtocolStartsAtTheIpHeader() {
        FlowRecord r = parse(11, PacketBuilder.rawIp().ipv4(SRC4, DST4).icmp(3, 13).build());

        assertThat(r.etype()).isEqualTo(0x0800);
        assertThat(r.icmpType()).isEqualTo(3);
        assertThat(r.icmpCode()).isEqualTo(13);
        assertThat(r.srcMac()).isZero();
    }

    @Test
    void nonFirstFragmentsHaveNoPorts() {
        FlowRecord v4 = parse(1, PacketBuilder.ethernet().ipv4(SRC4, DST4).ipId(77).moreFragments(true)
                .fragmentOffset(185).tcp(1, 2).payload(new byte[] {0, 80, 0, 81, 0, 0, 0, 0}).build());
        FlowRecord v6 = parse(1, PacketBuilder.ethernet().ipv6(SRC6, DST6).ipv6Fragment(100, false, 5).udp(1, 2)
                .payload(new byte[] {0, 80, 0, 81, 0, 0, 0, 0}).build());

        assertThat(v4.proto()).isEqualTo(6);
        assertThat(v4.fragmentOffset()).isEqualTo(185);
        assertThat(v4.fragmentId()).isEqualTo(77);
        assertThat(v4.ipFlags()).isEqualTo(1);          // MF
        assertThat(v4.srcPort()).isZero();
        assertThat(v4.dstPort()).isZero();
        assertThat(v4.tcpFlags()).isZero();
        assertThat(v6.proto()).isEqualTo(17);
        assertThat(v6.fragmentOffset()).isEqualTo(100);
        assertThat(v6.fragmentId()).isEqualTo(5);
        assertThat(v6.srcPort()).isZero();
        assertThat(v6.dstPort()).isZero();
    }

    @Test
    void aTruncatedHeaderKeepsWhatWasCaptured() {
        byte[] f = PacketBuilder.ethernet().vlan(10).ipv4(SRC4, DST4).ttl(5).tcp(1234, 443).payloadSize(500).build();
        int l3 = 14 + 4;

        FlowRecord cutInTcp = parse(1, f, l3 + 20 + 2);   // half a source port
        FlowRecord portsOnly = parse(1, f, l3 + 20 + 4);  // ports but not the flags byte
        FlowRecord cutInIp = parse(1, f, l3 + 10);        // IPv4 header incomplete
        FlowRecord cutInEthernet = parse(1, f, 10);

        assertThat(cutInTcp.srcAddr()).containsExactly(SRC4);
        assertThat(cutInTcp.ipTtl()).isEqualTo(5);
        assertThat(cutInTcp.proto()).isEqualTo(6);
        assertThat(cutInTcp.srcPort()).isZero();
        assertThat(portsOnly.srcPort()).isEqualTo(1234);
        assertThat(portsOnly.dstPort()).isEqualTo(443);
        assertThat(portsOnly.tcpFlags()).isZero();
        assertThat(cutInIp.vlanId()).isEqualTo(10);
        assertThat(cutInIp.etype()).isEqualTo(0x0800);
        assertThat(cutInIp.srcAddr()).isNull();
        assertThat(cutInEthernet.srcMac()).isZero();
        assertThat(cutInEthernet.etype()).isZero();
    }

    @Test
    void ipv4OptionsCutOffKeepTheIpFields() {
        byte[] f = PacketBuilder.ethernet().ipv4(SRC4, DST4).ipv4Options(new byte[12]).udp(1, 2).build();

        FlowRecord r = parse(1, f, 14 + 24);

        assertThat(r.srcAddr()).containsExactly(SRC4);
        assertThat(r.proto()).isEqualTo(17);
        assertThat(r.srcPort()).isZero();
    }

    @Test
    void nonIpFramesAndUnknownHeaderProtocolsSetOnlyWhatTheyCan() {
        FlowRecord arp = parse(1, PacketBuilder.ethernet().etherType(PacketBuilder.ETHERTYPE_ARP).payloadSize(28).build());
        byte[] llc = PacketBuilder.ethernet().etherType(0x002E).payloadSize(46).build(); // 802.3 length field
        FlowRecord dot3 = parse(1, llc);
        FlowRecord wifi = new FlowRecord();

        assertThat(arp.etype()).isEqualTo(0x0806);
        assertThat(arp.srcAddr()).isNull();
        assertThat(dot3.etype()).isZero();
        assertThat(dot3.srcMac()).isEqualTo(0x020000000001L);
        assertThat(parser.parse(15, llc, 0, llc.length, wifi)).isZero();
        assertThat(wifi.srcMac()).isZero();
    }

    @Test
    void garbageAfterTheEthertypeStopsQuietly() {
        byte[] f = PacketBuilder.ethernet().ipv4(SRC4, DST4).udp(1, 2).build();
        f[14] = 0x43; // version 4, IHL 3 (< 5)
        FlowRecord badIhl = parse(1, f);
        byte[] g = PacketBuilder.ethernet().ipv4(SRC4, DST4).udp(1, 2).build();
        g[14] = 0x65; // IPv6 nibble under an IPv4 ethertype
        FlowRecord badVersion = parse(1, g);

        assertThat(badIhl.etype()).isEqualTo(0x0800);
        assertThat(badIhl.srcAddr()).isNull();
        assertThat(badVersion.srcAddr()).isNull();
    }

    @Test
    void extensionHeaderChainsAreBoundedByTheLayerCap() {
        PacketBuilder p = PacketBuilder.ethernet().ipv6(SRC6, DST6);
        for (int i = 0; i < 40; i++) {
            p.destinationOptions(8);
        }
        FlowRecord r = new FlowRecord();
        byte[] f = p.udp(1, 2).build();

        int layers = parser.parse(1, f, 0, f.length, r);

        assertThat(layers).isEqualTo(HeaderParser.MAX_LAYERS);
        assertThat(r.proto()).isEqualTo(60);
        assertThat(r.srcPort()).isZero();
    }

    private static byte[] v6(String text) {
        try {
            return java.net.InetAddress.getByName(text).getAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
