package io.caravan.netflow.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.Predicate;

/**
 * One exporter's data sets waiting for their templates, held per datagram: at most {@code capacity} datagrams,
 * each for at most {@code timeoutMs}, their bytes taken from a {@link ByteBudget} all exporters share (so held
 * data stays bounded however many exporters hold some). Expiry is checked when asked ({@link #expire}), never by a
 * thread of its own. Not thread-safe (the stage serializes per exporter).
 */
public final class PendingBuffer {
    /** Heap a held set costs besides its body: the PendingSet, its array header, list and deque slots. */
    static final int SET_OVERHEAD = 96;

    private record Held(List<PendingSet> sets, long deadlineMs) {
    }

    private final int capacity;
    private final long timeoutMs;
    private final ByteBudget budget;
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private long bytes;

    public PendingBuffer(int capacity, long timeoutMs, ByteBudget budget) {
        this.capacity = capacity;
        this.timeoutMs = timeoutMs;
        this.budget = budget;
    }

    /**
     * Holds one datagram's sets; when the buffer is full the oldest held datagram makes room.
     *
     * @param dropped told the version (9 or 10) of each datagram dropped: the oldest pushed out, or this one
     *                when the capacity is 0 or the shared budget has no room for it
     */
    public void add(List<PendingSet> sets, long nowMs, IntConsumer dropped) {
        if (capacity <= 0) {
            dropped.accept(sets.get(0).version());
            return;
        }
        while (held.size() >= capacity) {
            dropped.accept(remove().sets().get(0).version());
        }
        long n = bytes(sets);
        if (!budget.reserve(n)) {
            dropped.accept(sets.get(0).version());
            return;
        }
        bytes += n;
        held.addLast(new Held(new ArrayList<>(sets), nowMs + timeoutMs));
    }

    /** Drops datagrams held past their deadline, telling {@code dropped} the version of each. */
    public void expire(long nowMs, IntConsumer dropped) {
        while (!held.isEmpty() && held.peekFirst().deadlineMs() <= nowMs) {
            dropped.accept(remove().sets().get(0).version());
        }
    }

    /** Drops everything held, as when the exporter is forgotten; returns how many datagrams. */
    public int clear() {
        int n = held.size();
        while (!held.isEmpty()) {
            remove();
        }
        return n;
    }

    private Held remove() {
        Held h = held.removeFirst();
        long n = bytes(h.sets());
        bytes -= n;
        budget.release(n);
        return h;
    }

    private static long bytes(List<PendingSet> sets) {
        long n = 0;
        for (PendingSet s : sets) {
            n += SET_OVERHEAD + s.body().length;
        }
        return n;
    }

    /** Bytes held, taken from the shared budget. */
    public long bytes() {
        return bytes;
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
                    long n = SET_OVERHEAD + s.body().length;
                    bytes -= n;
                    budget.release(n);
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
