package io.caravan.vanflow.wire;

/** A VAN-flow message whose shape is not what the protocol defines; the text says what was wrong. */
public final class MalformedMessageException extends Exception {
    public MalformedMessageException(String message) {
        super(message);
    }
}
