package io.caravan.skydive.source;

/** The envelope asked for in {@code X-Client-Protocol}. */
public enum Protocol {
    /** JSON envelopes in text frames. */
    JSON,
    /** Protobuf {@code StructMessage} envelopes in binary frames (the payload is still JSON). */
    PROTOBUF
}
