package io.caravan.pipeline.flowfile;

import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Compresses one body into one complete gzip member (RFC 1952: header, deflate data, CRC-32 and
 * length), with a reused {@link Deflater} and output buffer. A file of such members is one valid
 * gzip stream to gunzip, zcat, Java's GZIPInputStream and Go's gzip reader, and every prefix made
 * of whole members is too. Not thread-safe; {@link #end()} frees the native deflater.
 */
final class GzipMember implements BodyCompressor {
    /** Magic, deflate, no flags, no modification time, no extra flags, OS unknown. */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    private static final int TRAILER = 8;

    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final CRC32 crc = new CRC32();
    private byte[] buf = new byte[64 * 1024];
    private int size;

    @Override
    public void encode(byte[] body, int length) {
        deflater.reset();
        crc.reset();
        crc.update(body, 0, length);
        size = 0;
        ensure(HEADER.length);
        System.arraycopy(HEADER, 0, buf, 0, HEADER.length);
        size = HEADER.length;
        deflater.setInput(body, 0, length);
        deflater.finish();
        while (!deflater.finished()) {
            ensure(1);
            size += deflater.deflate(buf, size, buf.length - size);
        }
        ensure(TRAILER);
        putIntLe((int) crc.getValue());
        putIntLe(length);
    }

    @Override
    public byte[] buffer() {
        return buf;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void end() {
        deflater.end();
    }

    private void putIntLe(int v) {
        buf[size++] = (byte) v;
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 24);
    }

    private void ensure(int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
    }
}
