package io.caravan.traffic.datagram.sflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class XdrTest {
    @Test
    void wordsAreBigEndianAndOpaqueDataIsPaddedToFour() {
        Xdr x = new Xdr();
        x.u32(0x01020304L);
        x.bytes(new byte[] {9, 9, 9});
        x.pad();
        x.u64(0x0A0B0C0D_0E0F1011L);
        assertThat(x.toByteArray()).containsExactly(1, 2, 3, 4, /* opaque */ 9, 9, 9, 0, /* u64 */ 10, 11, 12, 13, 14, 15, 16, 17);
    }

    @Test
    void aMacTakesEightBytesAndAnAddressItsType() {
        Xdr x = new Xdr();
        x.mac(0x0200_0000_00FFL);
        x.address(new byte[] {(byte) 192, 0, 2, 1});
        assertThat(x.toByteArray()).containsExactly(2, 0, 0, 0, 0, (byte) 0xFF, 0, 0, /* IPv4 */ 0, 0, 0, 1, (byte) 192, 0, 2, 1);
    }

    @Test
    void aStructureIsFormatLengthBody() {
        Xdr x = new Xdr();
        x.tlv(Xdr.dataFormat(4413, 5), -1, b -> b.u32(7));
        x.tlv(1, 99, b -> b.u32(8));
        assertThat(x.toByteArray()).containsExactly(
                0x01, 0x13, (byte) 0xD0, 0x05, /* enterprise 4413, format 5 */ 0, 0, 0, 4, /* length */ 0, 0, 0, 7,
                0, 0, 0, 1, /* declared, not real */ 0, 0, 0, 99, 0, 0, 0, 8);
    }

    @Test
    void addressesAreNumericLiteralsOnly() {
        assertThat(Xdr.ipAddress("2001:db8::1")).hasSize(16);
        assertThatThrownBy(() -> Xdr.ipAddress("localhost")).hasMessageContaining("not a numeric address");
    }
}
