package io.caravan.sflow.session;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A byte budget shared by every agent of one stage: state is {@link #reserve reserved} before it
 * is created and {@link #release released} when it is evicted or forgotten, so the estimate of
 * what is held never passes {@link #maxBytes()}. Thread-safe, lock-free.
 */
public final class StateBudget {
    private final long maxBytes;
    private final AtomicLong used = new AtomicLong();

    public StateBudget(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("a budget must be >= 0; got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** Takes {@code bytes} from the budget; false (and nothing taken) when they do not fit. */
    public boolean reserve(long bytes) {
        long u;
        do {
            u = used.get();
            if (bytes > maxBytes - u) {
                return false;
            }
        } while (!used.compareAndSet(u, u + bytes));
        return true;
    }

    /** Gives back bytes reserved earlier. */
    public void release(long bytes) {
        used.addAndGet(-bytes);
    }

    /** Whether {@code bytes} more would fit now. */
    public boolean fits(long bytes) {
        return bytes <= maxBytes - used.get();
    }

    public long used() {
        return used.get();
    }

    public long maxBytes() {
        return maxBytes;
    }
}
