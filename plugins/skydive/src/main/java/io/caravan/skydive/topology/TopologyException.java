package io.caravan.skydive.topology;

/** A Gremlin query that got no usable answer; the message says why (never credentials). */
public final class TopologyException extends Exception {
    private static final long serialVersionUID = 1L;

    public TopologyException(String message) {
        super(message);
    }

    public TopologyException(String message, Throwable cause) {
        super(message, cause);
    }
}
