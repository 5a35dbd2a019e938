package io.caravan.udp;

import java.net.InetSocketAddress;

/**
 * The bound sockets of one started endpoint and the readers that hand their datagrams on: the
 * JDK's DatagramChannel ({@link NioReceiver}) or Netty's native epoll transport
 * ({@link EpollReceiver}). Binding and starting are two steps, since the hand-off's thread names
 * carry the port the sockets were bound to.
 */
interface Receiver {

    /** Starts reading: every batch read is counted and given to {@code handoff}. Called once. */
    void start(Handoff handoff);

    /**
     * Closes the sockets and ends the readers, after they handed on what they had already read;
     * waits for that until {@code deadline} (System.nanoTime).
     */
    void stop(long deadline);

    /** The address the sockets are bound to, with the real port when the URI says 0. */
    InetSocketAddress localAddress();

    /** SO_RCVBUF as the kernel reports it after binding. */
    int effectiveReceiveBufferSize();

    /** How many sockets are bound. */
    int sockets();

    /** For the start log: which transport runs, and how it reads. */
    String describe();
}
