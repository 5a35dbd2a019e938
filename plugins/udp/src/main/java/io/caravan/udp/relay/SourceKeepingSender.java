package io.caravan.udp.relay;

import io.caravan.api.flow.Datagram;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;

/**
 * Sends each datagram from its exporter's address and port through a raw socket, as samplicator's
 * -S and nfcapd -R do; an IPv6 exporter or target, which a raw IPv4 socket cannot serve, goes
 * through the local sender.
 */
final class SourceKeepingSender implements Sender {
    private final RawSocket raw;
    private final Sender fallback;

    SourceKeepingSender(RawSocket raw, Sender fallback) {
        this.raw = raw;
        this.fallback = fallback;
    }

    @Override
    public void send(Datagram datagram, InetSocketAddress target) throws IOException {
        InetSocketAddress from = datagram.sender();
        if (from != null && from.getAddress() instanceof Inet4Address src && target.getAddress() instanceof Inet4Address dst
                && datagram.payload().length <= UdpPacket.MAX_PAYLOAD) {
            raw.send(UdpPacket.build(src, from.getPort(), dst, target.getPort(), datagram.payload()), dst);
        } else {
            fallback.send(datagram, target);
        }
    }

    @Override
    public String describe() {
        return "from each exporter's own address and port (raw socket; IPv6 from this host's address)";
    }

    @Override
    public void close() throws IOException {
        raw.close();
        fallback.close();
    }
}
