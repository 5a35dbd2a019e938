package io.caravan.netflow.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
     * @return datagrams dropped: the oldest pushed out, or this one when the capacity is 0
     */
    public int add(List<PendingSet> sets, long nowMs) {
        if (capacity <= 0) {
            return 1;
        }
        int dropped = 0;
        while (held.size() >= capacity) {
            held.removeFirst();
            dropped++;
        }
        held.addLast(new Held(new ArrayList<>(sets), nowMs + timeoutMs));
        return dropped;
    }

    /** Drops datagrams held past their deadline; returns how many. */
    public int expire(long nowMs) {
        int dropped = 0;
        while (!held.isEmpty() && held.peekFirst().deadlineMs() <= nowMs) {
            held.removeFirst();
            dropped++;
        }
        return dropped;
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
