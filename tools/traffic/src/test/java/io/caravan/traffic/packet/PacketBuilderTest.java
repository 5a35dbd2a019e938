package io.caravan.traffic.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PacketBuilderTest {
    private static final byte[] V4_SRC = {10, 0, 0, 1};
    private static final byte[] V4_DST = {(byte) 192, 0, 2, 9};

    @Test
    void ethernetIpv4TcpHasEveryFieldLengthAndChecksum() {
        byte[] f = PacketBuilder.ethernet().srcMac("aa:bb:cc:dd:ee:ff").dstMac(0x0102_0304_0506L)
                .ipv4(V4_SRC, V4_DST).tos(0xb8).ttl(63).ipId(0x1234).dontFragment(true)
                .tcp(51000, 443).tcpFlags(PacketBuilder.TCP_SYN | PacketBuilder.TCP_ACK).seq(0xdeadbeefL)
                .payloadSize(10).build();

        assertThat(f).hasSize(14 + 20 + 20 + 10);
        assertThat(u48(f, 0)).isEqualTo(0x0102_0304_0506L);           // dst MAC
        assertThat(u48(f, 6)).isEqualTo(0xaabb_ccdd_eeffL);           // src MAC
        assertThat(u16(f, 12)).isEqualTo(0x0800);                     // ethertype IPv4
        assertThat(f[14] & 0xFF).isEqualTo(0x45);                     // version 4, IHL 5
        assertThat(f[15] & 0xFF).isEqualTo(0xb8);                     // TOS
        assertThat(u16(f, 16)).isEqualTo(50);                         // total length
        assertThat(u16(f, 18)).isEqualTo(0x1234);                     // id
        assertThat(u16(f, 20)).isEqualTo(0x4000);                     // DF, offset 0
        assertThat(f[22] & 0xFF).isEqualTo(63);                       // TTL
        assertThat(f[23] & 0xFF).isEqualTo(6);                        // TCP
        assertThat(PacketBuilder.checksum(f, 14, 20, 0)).isZero();    // header checksum verifies
        assertThat(u16(f, 34)).isEqualTo(51000);
        assertThat(u16(f, 36)).isEqualTo(443);
        assertThat(u32(f, 38)).isEqualTo(0xdeadbeefL);
        assertThat(f[46] & 0xFF).isEqualTo(0x50);                     // data offset 5
        assertThat(f[47] & 0xFF).isEqualTo(0x12);                     // SYN|ACK
        assertThat(PacketBuilder.checksum(f, 34, 30, pseudo4(f, 26, 6, 30))).isZero();
    }

    @Test
    void ipv4OptionsGrowTheHeaderLength() {
        byte[] f = PacketBuilder.ethernet().ipv4(V4_SRC, V4_DST).ipv4Options(new byte[] {1, 1, 1}).udp(1, 2).build();

        assertThat(f[14] & 0x0F).isEqualTo(6);                        // IHL 6 = 24 bytes
        assertThat(u16(f, 16)).isEqualTo(24 + 8);
        assertThat(PacketBuilder.checksum(f, 14, 24, 0)).isZero();
        assertThat(u16(f, 38)).isEqualTo(1);                          // UDP source port after the options
        assertThat(u16(f, 42)).isEqualTo(8);                          // UDP length
    }

    @Test
    void vlanQinqAndMplsAreWrittenOutermostFirst() {
        byte[] f = PacketBuilder.ethernet().qinq(100, 200).mpls(16).mpls(17, 5, 9).ipv4(V4_SRC, V4_DST)
                .icmp(8, 0).build();

        assertThat(u16(f, 12)).isEqualTo(0x88A8);
        assertThat(u16(f, 14) & 0xFFF).isEqualTo(100);
        assertThat(u16(f, 16)).isEqualTo(0x8100);
        assertThat(u16(f, 18) & 0xFFF).isEqualTo(200);
        assertThat(u16(f, 20)).isEqualTo(0x8847);
        assertThat(u32(f, 22)).isEqualTo((16L << 12) | 64);                 // not bottom of stack
        assertThat(u32(f, 26)).isEqualTo((17L << 12) | (5 << 9) | 0x100 | 9); // bottom of stack
        assertThat(f[30] & 0xF0).isEqualTo(0x40);
        assertThat(new PacketBuilderProbe(f).l2()).isEqualTo(30);
    }

    @Test
    void ipv6WithExtensionHeadersChainsNextHeaders() {
        byte[] f = PacketBuilder.ethernet().ipv6("2001:db8::1", "2001:db8::2").trafficClass(0x28).flowLabel(0xABCDE)
                .hopLimit(7).hopByHop().routingHeader(0, 0).destinationOptions(16).udp(53, 5353).payloadSize(3)
                .build();

        assertThat(u16(f, 12)).isEqualTo(0x86DD);
        assertThat(u32(f, 14)).isEqualTo((6L << 28) | (0x28L << 20) | 0xABCDE);
        assertThat(u16(f, 18)).isEqualTo(8 + 8 + 16 + 8 + 3);          // payload length
        assertThat(f[20] & 0xFF).isEqualTo(0);                         // hop-by-hop first
        assertThat(f[21] & 0xFF).isEqualTo(7);
        assertThat(f[54] & 0xFF).isEqualTo(43);                        // HBH -> routing
        assertThat(f[62] & 0xFF).isEqualTo(60);                        // routing -> dest opts
        assertThat(f[70] & 0xFF).isEqualTo(17);                        // dest opts -> UDP
        assertThat(f[71] & 0xFF).isEqualTo(1);                         // 16 bytes = (1 + 1) * 8
        int udp = 54 + 8 + 8 + 16;
        assertThat(u16(f, udp)).isEqualTo(53);
        assertThat(PacketBuilder.checksum(f, udp, 11, pseudo6(f, 22, 17, 11))).isZero();
    }

    @Test
    void nonFirstFragmentsCarryNoTransportHeader() {
        byte[] v4 = PacketBuilder.ethernet().ipv4(V4_SRC, V4_DST).fragmentOffset(185).tcp(1, 2).payloadSize(16).build();
        byte[] v6 = PacketBuilder.ethernet().ipv6("::1", "::2").ipv6Fragment(100, true, 0x01020304L).tcp(1, 2)
                .payloadSize(16).build();

        assertThat(v4).hasSize(14 + 20 + 16);
        assertThat(u16(v4, 20)).isEqualTo(185);
        assertThat(v4[23] & 0xFF).isEqualTo(6);
        assertThat(v6).hasSize(14 + 40 + 8 + 16);
        assertThat(v6[20] & 0xFF).isEqualTo(44);
        assertThat(v6[54] & 0xFF).isEqualTo(6);
        assertThat(u16(v6, 56)).isEqualTo((100 << 3) | 1);
        assertThat(u32(v6, 58)).isEqualTo(0x01020304L);
    }

    @Test
    void icmpv6ChecksumCoversThePseudoHeader() {
        byte[] f = PacketBuilder.rawIp().ipv6("fe80::1", "ff02::1").icmpv6(135, 0).payloadSize(20).build();

        assertThat(f[0] & 0xF0).isEqualTo(0x60);
        assertThat(f[6] & 0xFF).isEqualTo(58);
        assertThat(PacketBuilder.checksum(f, 40, 28, pseudo6(f, 8, 58, 28))).isZero();
    }

    @Test
    void misuseIsRefused() {
        assertThatThrownBy(() -> PacketBuilder.rawIp().vlan(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> PacketBuilder.ethernet().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> PacketBuilder.ethernet().ipv4("::1", "::2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PacketBuilder.ethernet().ipv4Options(new byte[41]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Reads the link-layer length by walking the frame, as a decoder would. */
    private record PacketBuilderProbe(byte[] f) {
        int l2() {
            int at = 12;
            int type = u16(f, at);
            at += 2;
            while (type == 0x8100 || type == 0x88A8) {
                type = u16(f, at + 2);
                at += 4;
            }
            if (type == 0x8847) {
                while ((f[at + 2] & 1) == 0) {
                    at += 4;
                }
                at += 4;
            }
            return at;
        }
    }

    private static long pseudo4(byte[] f, int srcAt, int proto, int length) {
        return sum(f, srcAt, 8) + proto + length;
    }

    private static long pseudo6(byte[] f, int srcAt, int proto, int length) {
        return sum(f, srcAt, 32) + proto + length;
    }

    private static long sum(byte[] b, int at, int len) {
        long s = 0;
        for (int i = at; i < at + len; i += 2) {
            s += u16(b, i);
        }
        return s;
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    static long u32(byte[] b, int at) {
        return ((long) u16(b, at) << 16) | u16(b, at + 2);
    }

    static long u48(byte[] b, int at) {
        return ((long) u16(b, at) << 32) | u32(b, at + 2);
    }

    @Test
    void linkLayerFieldsNeedAnEthernetFrame() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PacketBuilder.rawIp().srcMac(1))
                .isInstanceOf(IllegalStateException.class).hasMessage("MAC addresses need an Ethernet frame, not rawIp()");
    }
}
