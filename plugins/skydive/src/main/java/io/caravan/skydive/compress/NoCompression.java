package io.caravan.skydive.compress;

/** {@code compress none}. */
public final class NoCompression implements Compressor {

    @Override
    public byte[] compress(byte[] data) {
        return data;
    }

    @Override
    public String contentEncoding() {
        return null;
    }

    @Override
    public String suffix() {
        return "";
    }
}
