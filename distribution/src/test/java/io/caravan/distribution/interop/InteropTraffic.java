package io.caravan.distribution.interop;

import io.caravan.testkit.peers.DatagramRecorder;
import io.caravan.traffic.packet.PacketBuilder;
import io.caravan.traffic.packet.PcapWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/** The packets the interop tests feed real exporters, and the pcap that carries recorded datagrams to tshark. */
final class InteropTraffic {
    /** Packets start here (2025-11-24T16:00:00Z), 10 ms apart. */
    static final long START_MICROS = 1_764_000_000_000_000L;

    private InteropTraffic() {
    }

    /**
     * {@code flows} TCP and UDP flows of 1-5 packets each from 10.{net}.x.y to 192.0.2.z, and with
     * {@code ipv6} as many again from 2001:db8:{net}::x to 2001:db8:ffff::x. Returns the packet count.
     */
    static int writePcap(Path file, int net, int flows, boolean ipv6) throws IOException {
        long t = START_MICROS;
        try (PcapWriter pcap = PcapWriter.create(file)) {
            for (int family = 0; family < (ipv6 ? 2 : 1); family++) {
                for (int f = 0; f < flows; f++) {
                    boolean tcp = f % 3 != 0;
                    for (int p = 0; p <= f % 5; p++) {
                        PacketBuilder b = PacketBuilder.ethernet().srcMac("02:00:00:00:00:01").dstMac("02:00:00:00:00:02");
                        if (family == 0) {
                            b.ipv4("10." + net + "." + (f / 200) + "." + (f % 200 + 1), "192.0.2." + (f % 250 + 1));
                        } else {
                            b.ipv6("2001:db8:" + net + "::" + Integer.toHexString(f + 1), "2001:db8:ffff::" + Integer.toHexString(f + 1));
                        }
                        b.ttl(64);
                        if (tcp) {
                            b.tcp(40000 + f, 443).tcpFlags(PacketBuilder.TCP_ACK | PacketBuilder.TCP_PSH);
                        } else {
                            b.udp(40000 + f, 53);
                        }
                        pcap.write(t, b.payloadSize(100 + f).build());
                        t += 10_000;
                    }
                }
            }
            return pcap.packets();
        }
    }

    /** Wraps datagrams sent to 127.0.0.1:{@code port} into Ethernet/IPv4/UDP frames, for tshark. */
    static void datagramsToPcap(List<byte[]> datagrams, int port, Path file) throws IOException {
        InetSocketAddress from = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000);
        receivedToPcap(datagrams.stream().map(d -> new DatagramRecorder.Received(from, d)).toList(), port, file);
    }

    /** As {@link #datagramsToPcap}, each frame from the IPv4 address and port the datagram came from. */
    static void receivedToPcap(List<DatagramRecorder.Received> datagrams, int port, Path file) throws IOException {
        byte[] lo = InetAddress.getLoopbackAddress().getAddress();
        long t = START_MICROS;
        try (PcapWriter pcap = PcapWriter.create(file)) {
            for (DatagramRecorder.Received d : datagrams) {
                pcap.write(t, PacketBuilder.ethernet().ipv4(d.sender().getAddress().getAddress(), lo)
                        .udp(d.sender().getPort(), port).payload(d.payload()).build());
                t += 1000;
            }
        }
    }
}
