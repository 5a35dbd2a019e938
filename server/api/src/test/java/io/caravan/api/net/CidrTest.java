package io.caravan.api.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrTest {
    private static byte[] ip(String s) throws Exception {
        return InetAddress.getByName(s).getAddress();
    }

    @Test
    void matchesIpv4Prefixes() throws Exception {
        Cidr c = Cidr.parse("172.16.0.0/12");
        assertThat(c.contains(ip("172.16.0.1"))).isTrue();
        assertThat(c.contains(ip("172.31.255.255"))).isTrue();
        assertThat(c.contains(ip("172.32.0.0"))).isFalse();
        assertThat(c.contains(ip("::1"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("8.8.8.8"))).isTrue();
        assertThat(Cidr.parse("192.168.1.7").contains(ip("192.168.1.7"))).isTrue();
        assertThat(Cidr.parse("192.168.1.7").contains(ip("192.168.1.8"))).isFalse();
    }

    @Test
    void matchesIpv6Prefixes() throws Exception {
        Cidr c = Cidr.parse("fd00::/8");
        assertThat(c.contains(ip("fd12:3456::1"))).isTrue();
        assertThat(c.contains(ip("fe80::1"))).isFalse();
        assertThat(c.contains(ip("10.0.0.1"))).isFalse();
    }

    @Test
    void rejectsHostnamesAndBadLengths() {
        assertThatThrownBy(() -> Cidr.parse("example.com/8")).hasMessageContaining("not a numeric");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> Cidr.parse("::/129")).hasMessageContaining("outside 0..128");
    }
}
