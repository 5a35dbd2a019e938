package io.caravan.testkit.peers;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Receives what a real exporter sends on a loopback port and keeps every datagram, so the very
 * same bytes can be replayed to Caravan, to a peer collector and (as a pcap) to tshark.
 */
public final class DatagramRecorder implements AutoCloseable {
    private final DatagramSocket socket;
    private final List<byte[]> datagrams = new ArrayList<>();
    private final Thread thread;
    private volatile long lastReceiveNanos = System.nanoTime();

    public DatagramRecorder() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setReceiveBufferSize(8 << 20);
        thread = new Thread(this::receive, "datagram-recorder");
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void receive() {
        byte[] buf = new byte[65535];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!socket.isClosed()) {
            try {
                socket.receive(p);
                synchronized (datagrams) {
                    datagrams.add(Arrays.copyOf(p.getData(), p.getLength()));
                }
                lastReceiveNanos = System.nanoTime();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** True once nothing has arrived for {@code quiet}. */
    public boolean quietFor(Duration quiet) {
        return System.nanoTime() - lastReceiveNanos >= quiet.toNanos();
    }

    public List<byte[]> datagrams() {
        synchronized (datagrams) {
            return List.copyOf(datagrams);
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
        socket.close();
    }
}
