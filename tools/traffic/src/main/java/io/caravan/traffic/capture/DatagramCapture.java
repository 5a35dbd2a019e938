package io.caravan.traffic.capture;

import io.caravan.traffic.packet.PacketBuilder;
import io.caravan.traffic.packet.PcapWriter;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Recorded UDP payloads, in the order they arrived, as the captured-datagram fixtures keep them:
 * a length-prefixed sequence, nothing else (no file header, no addresses, no times).
 *
 * <pre>
 * repeated: length (4 bytes, unsigned, big endian), then that many bytes of one datagram
 * </pre>
 *
 * The end of the file ends the sequence; a length that runs past the end is an error.
 */
public final class DatagramCapture {
    /** Larger than any UDP payload: a length above it means the file is not a capture. */
    public static final int MAX_DATAGRAM = 65_535;

    private DatagramCapture() {
    }

    public static List<byte[]> read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    public static List<byte[]> read(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        List<byte[]> out = new ArrayList<>();
        while (true) {
            int first = in.read();
            if (first < 0) {
                return out;
            }
            long length = -1;
            try {
                length = ((long) first << 24) | ((long) in.readUnsignedByte() << 16) | ((long) in.readUnsignedByte() << 8)
                        | in.readUnsignedByte();
                if (length > MAX_DATAGRAM) {
                    throw new IOException("datagram " + out.size() + " claims " + length + " bytes; not a datagram capture");
                }
                byte[] d = new byte[(int) length];
                in.readFully(d);
                out.add(d);
            } catch (EOFException e) {
                throw new IOException("datagram " + out.size() + " is cut short"
                        + (length < 0 ? " in its length" : ": " + length + " bytes declared"), e);
            }
        }
    }

    public static void write(Path file, List<byte[]> datagrams) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(toBytes(datagrams));
        }
    }

    public static byte[] toBytes(List<byte[]> datagrams) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (byte[] d : datagrams) {
            if (d.length > MAX_DATAGRAM) {
                throw new IllegalArgumentException("a datagram of " + d.length + " bytes");
            }
            out.writeInt(d.length);
            out.write(d);
        }
        out.flush();
        return bytes.toByteArray();
    }

    /**
     * Wraps datagrams into Ethernet/IPv4/UDP frames from 127.0.0.1:50000 to 127.0.0.1:{@code port},
     * {@code stepMicros} apart from {@code startMicros}, so tshark or Wireshark can decode them.
     */
    public static void toPcap(List<byte[]> datagrams, int port, long startMicros, long stepMicros, Path file)
            throws IOException {
        byte[] lo = {127, 0, 0, 1};
        long t = startMicros;
        try (PcapWriter pcap = PcapWriter.create(file)) {
            for (byte[] d : datagrams) {
                pcap.write(t, PacketBuilder.ethernet().ipv4(lo, lo).udp(50000, port).payload(d).build());
                t += stepMicros;
            }
        }
    }
}
