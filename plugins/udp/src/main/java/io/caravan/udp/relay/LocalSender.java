package io.caravan.udp.relay;

import io.caravan.api.flow.Datagram;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/** Sends from this host's address, through one unbound-port UDP channel shared by all targets. */
final class LocalSender implements Sender {
    private final DatagramChannel channel;

    LocalSender() throws IOException {
        this.channel = DatagramChannel.open();
        channel.bind(null);
    }

    @Override
    public void send(Datagram datagram, InetSocketAddress target) throws IOException {
        channel.send(ByteBuffer.wrap(datagram.payload()), target);
    }

    @Override
    public String describe() {
        return "from this host's address";
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
