package io.caravan.api.stage;

import java.time.Clock;

/**
 * What the runtime hands a stage when it is built. One stage instance serves one endpoint URI,
 * which several routes may share; the runtime counts records per route itself.
 */
public interface StageContext {

    /** The stage name. */
    String stageName();

    /** The clock to read time from (injected so tests can control it). */
    Clock clock();

    /**
     * A monotonic counter exported as {@code caravan_<name>_total}, tagged with this stage plus the given key/value pairs. Get counters once at creation, not per record.
     */
    Counter counter(String name, String... tagKeyValues);

    /**
     * A gauge exported as {@code caravan_<name>}, tagged with this stage plus the given key/value
     * pairs, reading {@code value} at each scrape. Removed when the stage closes. The default does
     * nothing, for contexts built in tests; the server's context exports it.
     */
    default void gauge(String name, java.util.function.DoubleSupplier value, String... tagKeyValues) {
    }

    /** A counter that only ever goes up. */
    interface Counter {
        void increment(long amount);

        default void increment() {
            increment(1);
        }
    }
}
