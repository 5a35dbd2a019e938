package io.caravan.skydive.source;

import java.time.Duration;

/**
 * The wait before the next connection attempt: {@code reconnectDelay} doubled per failure in a row,
 * capped at {@code maxReconnectDelay}; a refusal of the credentials (401/403) goes straight to the
 * cap, since retrying them sooner cannot help. Not thread-safe: the consumer's connect thread owns it.
 */
final class Backoff {
    private final long initialMs;
    private final long maxMs;
    private int failures;

    Backoff(Duration initial, Duration max) {
        this.initialMs = Math.max(1, initial.toMillis());
        this.maxMs = Math.max(initialMs, max.toMillis());
    }

    /** The wait after one more failure. */
    Duration next(boolean authFailure) {
        failures++;
        if (authFailure) {
            return Duration.ofMillis(maxMs);
        }
        int doublings = Math.min(failures - 1, 40);
        long ms = initialMs << Math.min(doublings, Long.numberOfLeadingZeros(initialMs) - 1);
        return Duration.ofMillis(Math.min(ms, maxMs));
    }

    /** A connection worked: the next failure waits the initial delay again. */
    void reset() {
        failures = 0;
    }

    int failures() {
        return failures;
    }
}
