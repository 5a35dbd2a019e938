package io.caravan.skydive.encode;

/** An object that cannot be encoded, with why. */
public final class EncodeException extends Exception {
    public EncodeException(String message, Throwable cause) {
        super(message, cause);
    }

    public EncodeException(String message) {
        super(message);
    }
}
