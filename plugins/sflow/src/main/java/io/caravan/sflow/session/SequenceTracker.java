package io.caravan.sflow.session;

/**
 * Follows one u32 sequence number stream (spec §7 "loss", §10 item 18) with mod 2^32 deltas: a
 * step of 1 is in order; a forward step of d &lt; 2^31 means d − 1 were lost; a repeat is a
 * duplicate; a step back of at most the reorder window is a late (reordered) arrival and changes
 * nothing; a larger step back is a reset (agent restart) and restarts the stream there. Not
 * thread-safe: its owner locks.
 */
public final class SequenceTracker {
    /** How far back a number may come and still count as reordered rather than a reset. */
    public static final long DEFAULT_REORDER_WINDOW = 256;

    /** What one observed number meant. */
    public enum Outcome { FIRST, NEXT, GAP, DUPLICATE, LATE, RESET }

    private static final long MASK = 0xFFFF_FFFFL;
    private static final long HALF = 0x8000_0000L;

    private final long reorderWindow;
    private boolean started;
    private long last;
    private long gap;

    public SequenceTracker() {
        this(DEFAULT_REORDER_WINDOW);
    }

    public SequenceTracker(long reorderWindow) {
        this.reorderWindow = reorderWindow;
    }

    /** Observes the next number; after {@link Outcome#GAP}, {@link #gap()} says how many were missed. */
    public Outcome observe(long sequence) {
        long seq = sequence & MASK;
        gap = 0;
        if (!started) {
            started = true;
            last = seq;
            return Outcome.FIRST;
        }
        long d = (seq - last) & MASK;
        if (d == 0) {
            return Outcome.DUPLICATE;
        }
        if (d < HALF) {
            last = seq;
            gap = d - 1;
            return gap == 0 ? Outcome.NEXT : Outcome.GAP;
        }
        if (MASK + 1 - d <= reorderWindow) {
            return Outcome.LATE;
        }
        last = seq;
        return Outcome.RESET;
    }

    /** Numbers missed before the last observed one (0 unless it was a {@link Outcome#GAP}). */
    public long gap() {
        return gap;
    }

    /** Forgets the stream; the next number is {@link Outcome#FIRST}. */
    public void reset() {
        started = false;
        gap = 0;
    }

    /** The last number accepted, or -1 before the first. */
    public long last() {
        return started ? last : -1;
    }
}
