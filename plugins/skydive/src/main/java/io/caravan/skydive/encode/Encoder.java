package io.caravan.skydive.encode;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns one object's tree (what the store header made) into bytes: the exporter's {@code encode}
 * step. The content type and key suffix belong to the encoder, so an object says what it holds.
 * Thread-safe.
 */
public interface Encoder {

    byte[] encode(JsonNode object) throws EncodeException;

    /** The Content-Type of what {@link #encode} returns. */
    String contentType();

    /** The key suffix, with its dot ({@code .json}, {@code .csv}). */
    String suffix();
}
