package io.caravan.testkit.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Receives what a real exporter sends on a loopback port and keeps every datagram, so the very
 * same bytes can be replayed to Caravan, to a peer collector and (as a pcap) to tshark.
 *
 * <p>A background thread keeps the socket's queue short while the exporter runs; {@link #datagrams()}
 * also reads, under the same lock, whatever the kernel still queues, so once the exporter has sent
 * (on loopback a send is queued before it returns) the list is complete however late that thread
 * gets a core on a loaded machine.
 */
public final class DatagramRecorder implements AutoCloseable {
    private final DatagramChannel channel;
    private final Selector selector;
    private final ByteBuffer buffer = ByteBuffer.allocate(65535);
    private final List<byte[]> datagrams = new ArrayList<>();
    private final Thread thread;
    private long lastReceiveNanos = System.nanoTime();

    public DatagramRecorder() throws IOException {
        channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
        channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        channel.configureBlocking(false);
        selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
        thread = new Thread(this::receive, "datagram-recorder");
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return channel.socket().getLocalPort();
    }

    private void receive() {
        try {
            while (channel.isOpen()) {
                selector.select();
                selector.selectedKeys().clear();
                synchronized (datagrams) {
                    drain();
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            // closed: datagrams() reads what is left
        }
    }

    /** Reads every datagram the kernel holds; the caller holds the lock. */
    private void drain() throws IOException {
        if (!channel.isOpen()) {
            return;
        }
        while (true) {
            buffer.clear();
            if (channel.receive(buffer) == null) {
                return;
            }
            buffer.flip();
            byte[] d = new byte[buffer.remaining()];
            buffer.get(d);
            datagrams.add(d);
            lastReceiveNanos = System.nanoTime();
        }
    }

    /**
     * True once at least one datagram is in and none arrived for {@code quiet}: with an exporter
     * that has exited, everything it sent.
     */
    public boolean settled(Duration quiet) throws IOException {
        synchronized (datagrams) {
            drain();
            return !datagrams.isEmpty() && System.nanoTime() - lastReceiveNanos >= quiet.toNanos();
        }
    }

    /** Every datagram received so far, including those still queued in the kernel. */
    public List<byte[]> datagrams() throws IOException {
        synchronized (datagrams) {
            drain();
            return List.copyOf(datagrams);
        }
    }

    /** Sends one datagram to {@code target}. */
    public static void send(byte[] datagram, InetSocketAddress target) throws IOException {
        try (DatagramSocket out = new DatagramSocket()) {
            out.send(new DatagramPacket(datagram, datagram.length, target));
        }
    }

    /**
     * Sends the datagrams to {@code target} in order from one socket, pausing {@code pace}
     * between them (a collector is not a sink for an unthrottled burst on a 2-core machine).
     */
    public static void replay(List<byte[]> datagrams, InetSocketAddress target, Duration pace)
            throws IOException, InterruptedException {
        try (DatagramSocket out = new DatagramSocket()) {
            for (byte[] d : datagrams) {
                out.send(new DatagramPacket(d, d.length, target));
                if (!pace.isZero()) {
                    // Pacing a replay is the point, not synchronisation.
                    Thread.sleep(pace.toMillis(), pace.toNanosPart() % 1_000_000);
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            selector.close();
            synchronized (datagrams) {
                channel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
