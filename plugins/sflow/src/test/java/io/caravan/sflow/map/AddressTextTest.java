package io.caravan.sflow.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressTextTest {
    @Test
    void writesIpv4DottedAndIpv6InRfc5952Form() throws Exception {
        assertThat(AddressText.format(new byte[] {(byte) 192, 0, 2, (byte) 255})).isEqualTo("192.0.2.255");
        assertThat(AddressText.format(v6("2001:db8:0:0:0:0:0:1"))).isEqualTo("2001:db8::1");
        assertThat(AddressText.format(v6("2001:db8:0:1:0:0:0:1"))).isEqualTo("2001:db8:0:1::1");  // longest run
        assertThat(AddressText.format(v6("2001:db8:0:1:1:1:1:1"))).isEqualTo("2001:db8:0:1:1:1:1:1"); // one 0: kept
        assertThat(AddressText.format(new byte[16])).isEqualTo("::");
        assertThat(AddressText.format(v6("fe80::"))).isEqualTo("fe80::");
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        mapped[12] = 10;
        mapped[15] = 1;
        assertThat(AddressText.format(mapped)).isEqualTo("::ffff:10.0.0.1");
        assertThatThrownBy(() -> AddressText.format(new byte[5])).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] v6(String text) throws Exception {
        return InetAddress.getByName(text).getAddress();
    }
}
