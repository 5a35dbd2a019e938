package io.caravan.pipeline.flowfile;

/**
 * Compresses one body into one self-contained unit (a gzip member, a zstd frame) that can be
 * appended to a file, so a file of such units is one valid stream for the format's tools and every
 * prefix of whole units is too. Not thread-safe; {@link #end()} frees native resources.
 */
interface BodyCompressor {

    /** Compresses the first {@code length} bytes of {@code body}; the unit is then in {@link #buffer()}, {@link #size()} bytes long. */
    void encode(byte[] body, int length);

    byte[] buffer();

    int size();

    void end();
}
