package io.caravan.skydive.source;

/** A frame that is not an analyzer message: the message says why, in a line fit for a log. */
public final class MalformedEnvelopeException extends Exception {
    public MalformedEnvelopeException(String message) {
        super(message);
    }

    public MalformedEnvelopeException(String message, Throwable cause) {
        super(message, cause);
    }
}
