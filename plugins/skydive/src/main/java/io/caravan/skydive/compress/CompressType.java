package io.caravan.skydive.compress;

/** The {@code compress} choices of the store. */
public enum CompressType {
    NONE,
    GZIP;

    public Compressor create() {
        return this == NONE ? new NoCompression() : new GzipCompression();
    }
}
