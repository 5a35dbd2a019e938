package io.caravan.api.log;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets a repeated log line through at most once per interval, from any number of threads, so
 * that a flood of bad input is counted in full but logged only now and then.
 */
public final class LogLimit {
    /** The interval Caravan's components and stages use for a repeated WARN. */
    public static final long DEFAULT_INTERVAL_MS = 10_000;

    private final long intervalNanos;
    private final AtomicLong next;

    public LogLimit(long intervalMs) {
        this.intervalNanos = intervalMs * 1_000_000L;
        this.next = new AtomicLong(System.nanoTime());
    }

    public long intervalSeconds() {
        return intervalNanos / 1_000_000_000L;
    }

    /** True for the first call, then again only once the interval since the last true has passed. */
    public boolean allow() {
        long now = System.nanoTime();
        long due = next.get();
        return now - due >= 0 && next.compareAndSet(due, now + intervalNanos);
    }
}
