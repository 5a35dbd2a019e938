package io.caravan.api.limit;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * An exact cap on how many of something a stage keeps state for (exporters, agents), so spoofed
 * or churning sources cannot grow the heap: a slot is taken before a state is created and given
 * back when the state is forgotten. Thread-safe, lock-free.
 */
public final class Slots {
    private final int max;
    private final AtomicInteger taken = new AtomicInteger();

    public Slots(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("a cap must be >= 0; got " + max);
        }
        this.max = max;
    }

    /** Takes a slot; false when all {@link #max} are taken. */
    public boolean take() {
        int n;
        do {
            n = taken.get();
            if (n >= max) {
                return false;
            }
        } while (!taken.compareAndSet(n, n + 1));
        return true;
    }

    /** Gives back a slot taken earlier. */
    public void release() {
        taken.decrementAndGet();
    }

    public int max() {
        return max;
    }

    public int taken() {
        return taken.get();
    }
}
