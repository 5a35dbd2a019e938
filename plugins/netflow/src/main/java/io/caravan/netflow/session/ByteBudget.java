package io.caravan.netflow.session;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A number of bytes shared by many holders (the stage's templates, its held data): a holder reserves before it
 * keeps something and releases when it lets go, so the total never passes {@link #max}. Thread-safe, lock-free.
 */
public final class ByteBudget {
    private final long max;
    private final AtomicLong used = new AtomicLong();

    public ByteBudget(long max) {
        if (max < 0) {
            throw new IllegalArgumentException("a budget must be >= 0; got " + max);
        }
        this.max = max;
    }

    /** Takes {@code n} bytes (n may be negative: gives back); false, taking nothing, when that would pass the max. */
    public boolean reserve(long n) {
        long u;
        do {
            u = used.get();
            if (n > 0 && u + n > max) {
                return false;
            }
        } while (!used.compareAndSet(u, u + n));
        return true;
    }

    /** Gives back {@code n} bytes reserved earlier. */
    public void release(long n) {
        used.addAndGet(-n);
    }

    public long used() {
        return used.get();
    }

    public long max() {
        return max;
    }

    /** Bytes still free. */
    public long free() {
        return max - used.get();
    }
}
