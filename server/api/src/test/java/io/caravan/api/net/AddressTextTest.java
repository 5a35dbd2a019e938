package io.caravan.api.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
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

    @Test
    void everyPatternOfZeroGroupsIsCompressedAtItsFirstLongestRunAndParsesBack() {
        SplittableRandom random = new SplittableRandom(7);
        byte[] into = new byte[AddressText.MAX_TEXT + 2];
        for (int zeros = 0; zeros < 256; zeros++) {
            byte[] a = new byte[16];
            List<String> groups = new ArrayList<>();
            for (int g = 0; g < 8; g++) {
                int v = 0;
                if ((zeros & 1 << g) == 0) {
                    // 1 to 4 hex digits, never ffff (that could make an IPv4-mapped address).
                    v = Math.max(1, random.nextInt(1, 0xFFFF) >>> 4 * random.nextInt(4));
                }
                a[2 * g] = (byte) (v >>> 8);
                a[2 * g + 1] = (byte) v;
                groups.add(Integer.toHexString(v));
            }
            String text = AddressText.format(a);

            assertThat(text).as("%s", groups).isEqualTo(rfc5952(groups)).hasSizeLessThanOrEqualTo(AddressText.MAX_TEXT);
            assertThat(AddressText.parse(text)).isEqualTo(a);
            int end = AddressText.write(a, into, 1);
            assertThat(new String(into, 1, end - 1, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo(text);
        }
    }

    /** RFC 5952 by string search, independent of the writer: the first longest run of two or more zero groups becomes "::". */
    private static String rfc5952(List<String> groups) {
        String full = ":" + String.join(":", groups) + ":";
        for (int run = 8; run >= 2; run--) {
            int at = full.indexOf(":0".repeat(run) + ":");
            if (at >= 0) {
                full = full.substring(0, at) + "::" + full.substring(at + 2 * run + 1);
                break;
            }
        }
        if (full.startsWith(":") && !full.startsWith("::")) {
            full = full.substring(1);
        }
        if (full.endsWith(":") && !full.endsWith("::")) {
            full = full.substring(0, full.length() - 1);
        }
        return full;
    }

    @Test
    void writeMacWritesWhatFormatMacGivesAndNoMore() {
        byte[] into = new byte[AddressText.MAC_TEXT + 2];
        assertThat(AddressText.writeMac(0x0102_0304_0AFFL, into, 1)).isEqualTo(1 + AddressText.MAC_TEXT);
        assertThat(new String(into, 1, AddressText.MAC_TEXT, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("01:02:03:04:0a:ff");
        assertThat(into[0]).isZero();
        assertThat(into[AddressText.MAC_TEXT + 1]).isZero();
    }
}
