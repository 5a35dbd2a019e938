package io.caravan.udp.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.DatagramBatch;
import io.caravan.testkit.RecordingStageContext;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay in a real CamelContext sending to real sockets on loopback. */
class RelayComponentTest {
    @TempDir
    Path data;

    private final CamelContext camel = new DefaultCamelContext();
    private RecordingStageContext context;
    private DatagramChannel a;
    private DatagramChannel b;

    @AfterEach
    void stop() throws Exception {
        camel.stop();
        for (DatagramChannel c : new DatagramChannel[] {a, b}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private ProducerTemplate start(String options) throws Exception {
        a = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        b = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        context = new RecordingStageContext("relay", Clock.systemUTC(), data);
        camel.addComponent("relay", new RelayComponentProvider().create(context));
        String uri = "relay:test?targets=127.0.0.1:" + port(a) + ",127.0.0.1:" + port(b) + options;
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to(uri);
            }
        });
        camel.start();
        return camel.createProducerTemplate();
    }

    private static int port(DatagramChannel c) throws Exception {
        return ((InetSocketAddress) c.getLocalAddress()).getPort();
    }

    private static Datagram datagram(String text, String fromHost, int fromPort) {
        return new Datagram(text.getBytes(StandardCharsets.US_ASCII), new InetSocketAddress(fromHost, fromPort), 0);
    }

    /** Receives one datagram (blocking, the channel is blocking) and returns its text and sender. */
    private static Map.Entry<String, SocketAddress> receive(DatagramChannel c) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(65_536);
        SocketAddress from = c.receive(buf);
        buf.flip();
        return Map.entry(StandardCharsets.US_ASCII.decode(buf).toString(), from);
    }

    @Test
    void everyDatagramReachesEveryTargetFromItsExportersAddress() throws Exception {
        ProducerTemplate t = start("");
        t.sendBody("direct:in", new DatagramBatch(List.of(datagram("one", "127.0.0.5", 4242),
                datagram("two", "127.0.0.6", 4343))));

        for (DatagramChannel c : List.of(a, b)) {
            assertThat(receive(c)).isEqualTo(Map.entry("one", new InetSocketAddress("127.0.0.5", 4242)));
            assertThat(receive(c)).isEqualTo(Map.entry("two", new InetSocketAddress("127.0.0.6", 4343)));
        }
        assertThat(context.sum("caravan.relay.datagrams")).isEqualTo(4);
        assertThat(context.sum("caravan.relay.bytes")).isEqualTo(12);
        assertThat(context.sum("caravan.relay.errors")).isZero();
    }

    @Test
    void withoutKeepSourceDatagramsComeFromThisHost() throws Exception {
        ProducerTemplate t = start("&keepSource=false");
        t.sendBody("direct:in", new DatagramBatch(List.of(datagram("x", "127.0.0.5", 4242))));

        Map.Entry<String, SocketAddress> got = receive(a);
        assertThat(got.getKey()).isEqualTo("x");
        assertThat(((InetSocketAddress) got.getValue()).getPort()).isNotEqualTo(4242);
        assertThat(receive(b).getKey()).isEqualTo("x");
    }

    @Test
    void packetsCarryAValidUdpChecksum() {
        byte[] p = UdpPacket.build((java.net.Inet4Address) new InetSocketAddress("192.0.2.1", 0).getAddress(), 1000,
                (java.net.Inet4Address) new InetSocketAddress("198.51.100.2", 0).getAddress(), 2055,
                new byte[] {1, 2, 3});
        // Summing the pseudo header, UDP header (checksum included) and payload gives 0xffff.
        long sum = 0;
        int udpLength = 8 + 3;
        for (int i = 12; i < 20; i += 2) {
            sum += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
        }
        sum += 17 + udpLength;
        for (int i = 20; i < 20 + udpLength - 1; i += 2) {
            sum += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
        }
        sum += (p[20 + udpLength - 1] & 0xff) << 8;
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        assertThat(sum).isEqualTo(0xffff);
        assertThat(p).hasSize(31);
        assertThat(p[0]).isEqualTo((byte) 0x45);
    }

    @Test
    void targetsAreRequired() {
        camel.addComponent("relay", new RelayComponentProvider().create(new RecordingStageContext("relay",
                Clock.systemUTC(), data)));
        camel.start();
        assertThatThrownBy(() -> camel.getEndpoint("relay:x")).hasMessageContaining("targets");
        assertThatThrownBy(() -> camel.getEndpoint("relay:x?targets=nohost")).hasMessageContaining("targets");
    }
}
