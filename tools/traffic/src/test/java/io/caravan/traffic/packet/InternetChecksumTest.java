package io.caravan.traffic.packet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InternetChecksumTest {
    /** RFC 1071 section 3's example: the words 0001 f203 f4f5 f6f7 sum to ddf2 (with carries folded). */
    @Test
    void theRfc1071Example() {
        byte[] b = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertThat(InternetChecksum.checksum(b, 0, b.length, 0)).isEqualTo(~0xddf2 & 0xFFFF);
    }

    @Test
    void anOddLastByteIsPaddedAndAPacketWithItsChecksumSumsToZero() {
        assertThat(InternetChecksum.sum(new byte[] {1, 2, 3}, 0, 3)).isEqualTo(0x0102 + 0x0300);
        byte[] ipv4 = PacketBuilder.rawIp().ipv4("10.0.0.1", "192.0.2.9").udp(1, 2).build();
        assertThat(InternetChecksum.checksum(ipv4, 0, Ipv4Header.LENGTH, 0)).isZero();
    }
}
