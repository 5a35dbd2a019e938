package io.caravan.skydive.flow;

/** A Skydive flow that cannot become a record: the message says what is missing or wrong (never a credential). */
public final class MalformedFlowException extends Exception {
    public MalformedFlowException(String message) {
        super(message);
    }
}
