package io.caravan.skydive.compress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/** {@code compress gzip}: one gzip member, {@code Content-Encoding: gzip}, suffix {@code .gz}. */
public final class GzipCompression implements Compressor {

    @Override
    public byte[] compress(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 4));
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip into memory failed", e); // cannot happen with a byte array
        }
        return out.toByteArray();
    }

    @Override
    public String contentEncoding() {
        return "gzip";
    }

    @Override
    public String suffix() {
        return ".gz";
    }
}
