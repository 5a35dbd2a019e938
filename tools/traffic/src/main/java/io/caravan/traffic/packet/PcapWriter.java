package io.caravan.traffic.packet;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Writes a classic libpcap capture file: magic {@code 0xa1b2c3d4} (microsecond timestamps),
 * version 2.4, snaplen 65535, link type 1 (Ethernet), all fields little-endian (as libpcap writes
 * them on x86; readers detect the byte order from the magic). Frames longer than the snaplen are
 * cut to it, keeping their original length in the record header. Not thread-safe.
 *
 * <pre>
 * global header (24 bytes): magic(4) version_major(2)=2 version_minor(2)=4 thiszone(4)=0
 *                           sigfigs(4)=0 snaplen(4)=65535 network(4)=1
 * record header (16 bytes): ts_sec(4) ts_usec(4) incl_len(4) orig_len(4), then incl_len bytes
 * </pre>
 */
public final class PcapWriter implements Closeable {
    public static final int MAGIC = 0xa1b2c3d4;
    public static final int VERSION_MAJOR = 2;
    public static final int VERSION_MINOR = 4;
    public static final int SNAPLEN = 65535;
    public static final int LINKTYPE_ETHERNET = 1;
    public static final int GLOBAL_HEADER_SIZE = 24;
    public static final int RECORD_HEADER_SIZE = 16;

    private final OutputStream out;
    private final byte[] scratch = new byte[RECORD_HEADER_SIZE];
    private int packets;

    /** Writes the global header to {@code out}; {@link #close} closes it. */
    public PcapWriter(OutputStream out) throws IOException {
        this.out = out;
        byte[] h = new byte[GLOBAL_HEADER_SIZE];
        putIntLe(h, 0, MAGIC);
        putShortLe(h, 4, VERSION_MAJOR);
        putShortLe(h, 6, VERSION_MINOR);
        putIntLe(h, 16, SNAPLEN);
        putIntLe(h, 20, LINKTYPE_ETHERNET);
        out.write(h);
    }

    /** Creates (or truncates) {@code file} and writes the global header. */
    public static PcapWriter create(Path file) throws IOException {
        return new PcapWriter(new BufferedOutputStream(Files.newOutputStream(file)));
    }

    /** Appends one frame stamped {@code epochMicros} (microseconds since the epoch). */
    public PcapWriter write(long epochMicros, byte[] frame) throws IOException {
        return write(epochMicros, frame, frame.length);
    }

    /** Appends one frame whose original length on the wire was {@code originalLength} (≥ its captured length). */
    public PcapWriter write(long epochMicros, byte[] frame, int originalLength) throws IOException {
        if (epochMicros < 0) {
            throw new IllegalArgumentException("timestamp before the epoch: " + epochMicros);
        }
        int captured = Math.min(frame.length, SNAPLEN);
        putIntLe(scratch, 0, (int) (epochMicros / 1_000_000));
        putIntLe(scratch, 4, (int) (epochMicros % 1_000_000));
        putIntLe(scratch, 8, captured);
        putIntLe(scratch, 12, Math.max(originalLength, frame.length));
        out.write(scratch);
        out.write(frame, 0, captured);
        packets++;
        return this;
    }

    public PcapWriter write(Instant at, byte[] frame) throws IOException {
        return write(at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000, frame);
    }

    /** Frames written so far. */
    public int packets() {
        return packets;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private static void putIntLe(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    private static void putShortLe(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
    }
}
