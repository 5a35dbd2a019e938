package io.caravan.udp.relay;

import io.caravan.api.flow.Datagram;
import java.io.IOException;
import java.net.InetSocketAddress;

/** Sends one datagram to one target. */
interface Sender extends AutoCloseable {
    void send(Datagram datagram, InetSocketAddress target) throws IOException;

    /** What the start log says about source addresses. */
    String describe();

    @Override
    void close() throws IOException;
}
