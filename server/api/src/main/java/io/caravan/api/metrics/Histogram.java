package io.caravan.api.metrics;

/**
 * A distribution over fixed buckets, exported to Prometheus as a histogram
 * ({@code <name>_bucket{le=…}}, {@code <name>_sum}, {@code <name>_count}); obtained once from a
 * context (never per record). Thread-safe.
 */
@FunctionalInterface
public interface Histogram {
    void record(double value);

    /** A histogram that records nowhere, for code paths that have no context (tests, offline tools). */
    Histogram NONE = value -> { };
}
