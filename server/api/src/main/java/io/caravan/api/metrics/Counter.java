package io.caravan.api.metrics;

/** A counter that only ever goes up, obtained once from a context (never per record). Thread-safe. */
@FunctionalInterface
public interface Counter {
    void increment(long amount);

    default void increment() {
        increment(1);
    }

    /** A counter that counts nowhere, for code paths that have no context (tests, offline tools). */
    Counter NONE = amount -> { };
}
