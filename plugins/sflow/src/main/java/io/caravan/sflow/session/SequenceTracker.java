package io.caravan.sflow.session;

import io.caravan.api.sequence.MissingRanges;

/**
 * Follows one u32 sequence number stream (spec §7 "loss", §10 item 18) with mod 2^32 deltas: a
 * step of 1 is in order; a forward step of d &lt; 2^31 leaves d − 1 numbers missing; a repeat is a
 * duplicate; a step back of at most the reorder window is a late (reordered) arrival, which fills
 * its number if that is still missing and changes nothing else; a larger step back is a reset
 * (agent restart) and restarts the stream there.
 *
 * <p>Missing numbers are reported lost ({@link #lost()}) only once they can no longer come late,
 * because the counts feed counters that never go down: a number is lost when the newest number is
 * more than the reorder window past it, or when it has been missing for {@value MissingRanges#MAX_WAIT_MS} ms (real
 * reordering spans milliseconds; without the time limit a loss in a slow stream, such as counter
 * samples every 30 s, would show only hours later). The check runs on each observed number and,
 * for streams gone quiet, on {@link #expireAt}. A reset
 * (observed, or {@link #reset()}) reports everything still missing as lost: the old numbering can
 * no longer be filled. At most {@value MissingRanges#MAX_RANGES} missing ranges are held
 * ({@link MissingRanges}); a new one beyond that reports the oldest as lost.
 *
 * <p>Not thread-safe: its owner locks, so a lock here would only cost.
 */
public final class SequenceTracker {
    /** How far back a number may come and still count as reordered rather than a reset. */
    public static final long DEFAULT_REORDER_WINDOW = 256;
    /** What one observed number meant. */
    public enum Outcome { FIRST, NEXT, GAP, DUPLICATE, LATE, RESET }

    private static final long MASK = 0xFFFF_FFFFL;
    private static final long HALF = 0x8000_0000L;

    private final long reorderWindow;
    private final MissingRanges missing = new MissingRanges();
    private boolean started;
    private long last;
    private long gap;
    private long lost;

    public SequenceTracker() {
        this(DEFAULT_REORDER_WINDOW);
    }

    public SequenceTracker(long reorderWindow) {
        this.reorderWindow = reorderWindow;
    }

    /**
     * Observes the next number, received at {@code nowMs}; {@link #gap()} and {@link #lost()} then
     * say what it skipped and what it made lost.
     */
    public Outcome observe(long sequence, long nowMs) {
        Outcome o = classify(sequence);
        long seq = sequence & MASK;
        gap = 0;
        lost = 0;
        switch (o) {
            case FIRST -> {
                started = true;
                last = seq;
            }
            case NEXT, GAP -> {
                gap = ((seq - last) & MASK) - 1;
                if (gap > 0) {
                    lost += missing.add(last + 1, gap, nowMs);
                }
                last = seq;
                lost += expire(nowMs);
            }
            case LATE -> lost += missing.fill(last, seq, 1) + expire(nowMs);
            case RESET -> {
                lost += missing.clear();
                last = seq;
            }
            case DUPLICATE -> lost += expire(nowMs);
        }
        return o;
    }

    /** What {@link #observe} would say of this number, without observing it. */
    public Outcome classify(long sequence) {
        if (!started) {
            return Outcome.FIRST;
        }
        long d = ((sequence & MASK) - last) & MASK;
        if (d == 0) {
            return Outcome.DUPLICATE;
        }
        if (d < HALF) {
            return d == 1 ? Outcome.NEXT : Outcome.GAP;
        }
        return MASK + 1 - d <= reorderWindow ? Outcome.LATE : Outcome.RESET;
    }

    /**
     * Numbers skipped by the last observed one (0 unless it was a {@link Outcome#GAP}); they are
     * missing, not yet lost.
     */
    public long gap() {
        return gap;
    }

    /** Numbers that became definitely lost when the last number was observed. */
    public long lost() {
        return lost;
    }

    /** Numbers missing that may still come late: not (yet) reported by {@link #lost()}. */
    public long pending() {
        return missing.units();
    }

    /**
     * Reports as lost the missing numbers that can no longer arrive late at {@code nowMs}, without
     * a new number: so a loss just before a stream goes quiet is reported within {@link
     * MissingRanges#MAX_WAIT_MS} too. Returns how many.
     */
    public long expireAt(long nowMs) {
        return started ? expire(nowMs) : 0;
    }

    /** Forgets the stream (the next number is {@link Outcome#FIRST}); returns the missing numbers, now lost. */
    public long reset() {
        started = false;
        gap = 0;
        lost = 0;
        return missing.clear();
    }

    /** The last number accepted, or -1 before the first. */
    public long last() {
        return started ? last : -1;
    }

    private long expire(long nowMs) {
        return missing.expire(last, reorderWindow, nowMs);
    }
}
