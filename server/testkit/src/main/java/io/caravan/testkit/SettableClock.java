package io.caravan.testkit;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A UTC clock that stands still until a test moves it: for code that takes a {@link Clock}. Thread-safe. */
public final class SettableClock extends Clock {
    private final AtomicLong nowMs;

    public SettableClock(long nowMs) {
        this.nowMs = new AtomicLong(nowMs);
    }

    /** Moves the clock on by {@code ms}; returns the new time. */
    public long advance(long ms) {
        return nowMs.addAndGet(ms);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(nowMs.get());
    }

    @Override
    public long millis() {
        return nowMs.get();
    }
}
