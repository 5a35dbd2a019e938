package io.caravan.pipeline.protobuf;

/** The bytes are not a well-formed FlowMessage; the message says what and where (the byte offset in the input). */
final class ProtoException extends Exception {
    ProtoException(String message) {
        super(message);
    }
}
