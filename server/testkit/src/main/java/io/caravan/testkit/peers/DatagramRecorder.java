package io.caravan.testkit.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
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
    private final List<InetSocketAddress> senders = new ArrayList<>();
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
            SocketAddress sender = channel.receive(buffer);
            if (sender == null) {
                return;
            }
            buffer.flip();
            byte[] d = new byte[buffer.remaining()];
            buffer.get(d);
            datagrams.add(d);
            senders.add((InetSocketAddress) sender);
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

    /** One datagram as received: its payload and the address and port it came from. */
    public record Received(InetSocketAddress sender, byte[] payload) {
    }

    /**
     * Every datagram received so far with its sender, in order (for a relay: whether it kept the
     * exporter's source address).
     */
    public List<Received> received() throws IOException {
        synchronized (datagrams) {
            drain();
            List<Received> out = new ArrayList<>(datagrams.size());
            for (int i = 0; i < datagrams.size(); i++) {
                out.add(new Received(senders.get(i), datagrams.get(i)));
            }
            return out;
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
            replay(out, datagrams, target, pace);
        }
    }

    /** As {@link #replay(List, InetSocketAddress, Duration)}, from the caller's socket (a known source address). */
    public static void replay(DatagramSocket from, List<byte[]> datagrams, InetSocketAddress target, Duration pace)
            throws IOException, InterruptedException {
        for (byte[] d : datagrams) {
            from.send(new DatagramPacket(d, d.length, target));
            if (!pace.isZero()) {
                // Pacing a replay is the point, not synchronisation.
                Thread.sleep(pace.toMillis(), pace.toNanosPart() % 1_000_000);
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
