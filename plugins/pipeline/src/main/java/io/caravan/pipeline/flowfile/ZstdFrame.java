package io.caravan.pipeline.flowfile;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;

/**
 * Compresses one body into one complete zstd frame (RFC 8878) with its content size and checksum,
 * with a reused compression context and output buffer. zstd reads concatenated frames as one
 * stream ({@code zstd -d}, {@code zstdcat}, zstd-jni's ZstdInputStream, Go's klauspost/zstd), so a
 * file of frames decompresses whole. zstd-jni comes from the server's class path (its native
 * library cannot be relocated into a plugin).
 */
final class ZstdFrame implements BodyCompressor {
    /** zstd's default level: about gzip's ratio at several times its speed. */
    static final int LEVEL = 3;

    private final ZstdCompressCtx ctx = new ZstdCompressCtx();
    private byte[] buf = new byte[64 * 1024];
    private int size;

    ZstdFrame() {
        ctx.setLevel(LEVEL);
        ctx.setChecksum(true);
        ctx.setContentSize(true);
    }

    @Override
    public void encode(byte[] body, int length) {
        int bound = (int) Zstd.compressBound(length);
        if (buf.length < bound) {
            buf = new byte[Math.max(bound, buf.length * 2)];
        }
        size = ctx.compressByteArray(buf, 0, buf.length, body, 0, length);
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
        ctx.close();
    }
}
