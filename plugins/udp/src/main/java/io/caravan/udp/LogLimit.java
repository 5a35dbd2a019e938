package io.caravan.udp;

import java.util.concurrent.atomic.AtomicLong;

/** Lets a repeated log line through at most once per interval, from any number of threads. */
final class LogLimit {
    private final long intervalNanos;
    private final AtomicLong next;

    LogLimit(long intervalMs) {
        this.intervalNanos = intervalMs * 1_000_000L;
        this.next = new AtomicLong(System.nanoTime());
    }

    /** True for the first call, then again only once the interval since the last true has passed. */
    boolean allow() {
        long now = System.nanoTime();
        long due = next.get();
        return now - due >= 0 && next.compareAndSet(due, now + intervalNanos);
    }
}
