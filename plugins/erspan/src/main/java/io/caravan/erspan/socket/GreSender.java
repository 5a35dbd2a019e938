package io.caravan.erspan.socket;

import java.io.IOException;

/** Where mirrored packets go: {@link GreSocket}, or in tests a sender that plays a busy or broken socket. */
public interface GreSender extends AutoCloseable {

    /** Sends one packet (GRE onwards) without blocking; BUSY when it cannot be taken now. */
    GreSocket.Result send(byte[] packet) throws IOException;

    @Override
    void close();
}
