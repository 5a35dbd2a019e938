package io.caravan.api.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressTextTest {

    @ParameterizedTest(name = "{0} is written {1}")
    @CsvSource({
            "0.0.0.0,                     0.0.0.0",
            "255.255.255.255,             255.255.255.255",
            "2001:0db8:0:0:0:0:0:1,       2001:db8::1",
            "0:0:0:0:0:0:0:0,             ::",
            "0:0:0:0:0:0:0:1,             ::1",
            "1:0:0:0:0:0:0:0,             1::",
            "2001:db8:0:1:1:1:1:1,        2001:db8:0:1:1:1:1:1",
            "2001:0:0:1:0:0:0:1,          2001:0:0:1::1",
            "2001:db8:0:0:1:0:0:1,        2001:db8::1:0:0:1",
            "FE80:0:0:0:0:0:0:ABCD,       fe80::abcd",
    })
    void writesCanonicalTextThatParsesBackToTheSameBytes(String input, String canonical) throws Exception {
        byte[] bytes = InetAddress.getByName(input).getAddress();

        assertThat(AddressText.format(bytes)).isEqualTo(canonical);
        assertThat(AddressText.parse(canonical)).isEqualTo(bytes);
        assertThat(AddressText.parse(input)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"::ffff:10.1.2.3", "0:0:0:0:0:ffff:10.1.2.3", "::ffff:a01:203"})
    void ipv4MappedAddressesStaySixteenBytes(String text) {
        byte[] bytes = AddressText.parse(text);

        assertThat(bytes).hasSize(16);
        assertThat(AddressText.format(bytes)).isEqualTo("::ffff:10.1.2.3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4", "a.b.c.d", "1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", ":1::", "1.2.3.4::", "fe80::1%eth0", "example.com"})
    void rejectsWhatIsNotANumericAddress(String text) {
        assertThatThrownBy(() -> AddressText.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is not a numeric IPv4 or IPv6 address");
    }

    @ParameterizedTest
    @CsvSource({"0, 00:00:00:00:00:00", "281474976710655, ff:ff:ff:ff:ff:ff", "18838586676582, 11:22:33:44:55:66"})
    void macsRoundTrip(long mac, String text) {
        assertThat(AddressText.formatMac(mac)).isEqualTo(text);
        assertThat(AddressText.parseMac(text)).isEqualTo(mac);
        assertThat(AddressText.parseMac(text.toUpperCase())).isEqualTo(mac);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "11:22:33:44:55", "11-22-33-44-55-66", "11:22:33:44:55:6g"})
    void rejectsMalformedMacs(String text) {
        assertThatThrownBy(() -> AddressText.parseMac(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
