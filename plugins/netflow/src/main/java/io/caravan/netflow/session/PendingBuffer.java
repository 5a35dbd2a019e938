package io.caravan.netflow.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.Predicate;

/**
 * One exporter's data sets waiting for their templates, held per datagram: at most {@code capacity} datagrams,
 * each for at most {@code timeoutMs}. Expiry is checked when asked ({@link #expire}), never by a thread of its
 * own. Not thread-safe (the stage serializes per exporter).
 */
public final class PendingBuffer {
    private record Held(List<PendingSet> sets, long deadlineMs) {
    }

    private final int capacity;
    private final long timeoutMs;
    private final ArrayDeque<Held> held = new ArrayDeque<>();

    public PendingBuffer(int capacity, long timeoutMs) {
        this.capacity = capacity;
        this.timeoutMs = timeoutMs;
    }

    /**
     * Holds one datagram's sets; when the buffer is full the oldest held datagram makes room.
     *
     * @param dropped told the version (9 or 10) of each datagram dropped: the oldest pushed out, or this one
     *                when the capacity is 0
     */
    public void add(List<PendingSet> sets, long nowMs, IntConsumer dropped) {
        if (capacity <= 0) {
            dropped.accept(sets.get(0).version());
            return;
        }
        while (held.size() >= capacity) {
            dropped.accept(held.removeFirst().sets().get(0).version());
        }
        held.addLast(new Held(new ArrayList<>(sets), nowMs + timeoutMs));
    }

    /** Drops datagrams held past their deadline, telling {@code dropped} the version of each. */
    public void expire(long nowMs, IntConsumer dropped) {
        while (!held.isEmpty() && held.peekFirst().deadlineMs() <= nowMs) {
            dropped.accept(held.removeFirst().sets().get(0).version());
        }
    }

    /** Removes and returns the sets that {@code ready} accepts (their template is now known), oldest first. */
    public List<PendingSet> take(Predicate<PendingSet> ready) {
        List<PendingSet> out = new ArrayList<>();
        Iterator<Held> it = held.iterator();
        while (it.hasNext()) {
            Held h = it.next();
            h.sets().removeIf(s -> {
                if (ready.test(s)) {
                    out.add(s);
                    return true;
                }
                return false;
            });
            if (h.sets().isEmpty()) {
                it.remove();
            }
        }
        return out;
    }

    /** Datagrams held. */
    public int size() {
        return held.size();
    }

    /** Deadline of the oldest held datagram, or Long.MAX_VALUE when empty. */
    public long nextDeadline() {
        return held.isEmpty() ? Long.MAX_VALUE : held.peekFirst().deadlineMs();
    }
}
