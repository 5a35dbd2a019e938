package io.caravan.skydive.compress;

/**
 * The exporter's {@code compress} step: bytes to bytes, with the Content-Encoding and key suffix
 * that follow from it. Thread-safe.
 */
public interface Compressor {

    byte[] compress(byte[] data);

    /** The Content-Encoding to store the object with, or null when the bytes are not encoded. */
    String contentEncoding();

    /** Added after the encoder's suffix: {@code ""} or {@code .gz}. */
    String suffix();
}
