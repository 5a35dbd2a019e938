package io.caravan.sflow.session;

import java.util.Arrays;

/**
 * Follows one u32 sequence number stream (spec §7 "loss", §10 item 18) with mod 2^32 deltas: a
 * step of 1 is in order; a forward step of d &lt; 2^31 leaves d − 1 numbers missing; a repeat is a
 * duplicate; a step back of at most the reorder window is a late (reordered) arrival, which fills
 * its number if that is still missing and changes nothing else; a larger step back is a reset
 * (agent restart) and restarts the stream there.
 *
 * <p>Missing numbers are reported lost ({@link #lost()}) only once they can no longer come late,
 * because the counts feed counters that never go down: a number is lost when the newest number is
 * more than the reorder window past it, or when it has been missing for {@value #MAX_WAIT_MS} ms (real
 * reordering spans milliseconds; without the time limit a loss in a slow stream, such as counter
 * samples every 30 s, would show only hours later). The check runs on each observed number, so a
 * number still missing when the stream goes quiet is reported when it resumes. A reset
 * (observed, or {@link #reset()}) reports everything still missing as lost: the old numbering can
 * no longer be filled. At most {@value #MAX_MISSING_RANGES} missing ranges are held, which bounds
 * memory and the work per late number; a new one beyond that reports the oldest as lost.
 *
 * <p>Not thread-safe: its owner locks, so a lock here would only cost.
 */
public final class SequenceTracker {
    /** How far back a number may come and still count as reordered rather than a reset. */
    public static final long DEFAULT_REORDER_WINDOW = 256;
    /** Missing ranges held per stream; a new one beyond this reports the oldest as lost. */
    public static final int MAX_MISSING_RANGES = 64;

    /** What one observed number meant. */
    public enum Outcome { FIRST, NEXT, GAP, DUPLICATE, LATE, RESET }

    private static final long MASK = 0xFFFF_FFFFL;
    private static final long HALF = 0x8000_0000L;
    private static final int INITIAL_RANGES = 4;
    /** How long a missing number may still arrive late. */
    public static final long MAX_WAIT_MS = 2_000;
    /** Longs per missing range: start, length, when it went missing (epoch ms). */
    private static final int STRIDE = 3;

    private final long reorderWindow;
    private boolean started;
    private long last;
    private long gap;
    private long lost;
    /** Missing ranges as (start, length, since) triples, oldest first; null until the first gap (most streams have none). */
    private long[] missing;
    private int ranges;
    private long missingNumbers;

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
                    lost += insert(ranges, last + 1, gap, nowMs);
                    missingNumbers += gap;
                }
                last = seq;
                lost += expire(nowMs);
            }
            case LATE -> lost += fill(seq) + expire(nowMs);
            case RESET -> {
                lost += clear();
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
        return missingNumbers;
    }

    /** Forgets the stream (the next number is {@link Outcome#FIRST}); returns the missing numbers, now lost. */
    public long reset() {
        started = false;
        gap = 0;
        lost = 0;
        return clear();
    }

    /** The last number accepted, or -1 before the first. */
    public long last() {
        return started ? last : -1;
    }

    /**
     * Drops the missing numbers more than the window behind the newest, and the ranges missing for
     * longer than {@link #MAX_WAIT_MS}; returns how many numbers. The oldest range is first in
     * number and in time.
     */
    private long expire(long nowMs) {
        long n = 0;
        while (ranges > 0) {
            long behind = (last - missing[0]) & MASK;
            boolean expired = nowMs - missing[2] >= MAX_WAIT_MS;
            if (behind <= reorderWindow && !expired) {
                break;
            }
            long k = expired ? missing[1] : Math.min(missing[1], behind - reorderWindow);
            n += k;
            if (k == missing[1]) {
                remove(0);
            } else {
                missing[0] = (missing[0] + k) & MASK;
                missing[1] -= k;
                break;
            }
        }
        missingNumbers -= n;
        return n;
    }

    /**
     * Takes a late number out of the missing ranges, splitting the range it falls inside; returns
     * the numbers evicted (lost) if a split overflows the ranges. Works in "numbers behind the
     * newest", where every missing number is 1..window.
     */
    private long fill(long seq) {
        long b = (last - seq) & MASK;
        for (int i = 0; i < ranges; i++) {
            long first = (last - missing[STRIDE * i]) & MASK;
            long end = first - missing[STRIDE * i + 1] + 1;
            if (b > first) {
                return 0;
            }
            if (b < end) {
                continue;
            }
            missingNumbers--;
            long head = first - b;
            long tail = b - end;
            if (head == 0 && tail == 0) {
                remove(i);
            } else if (tail == 0) {
                missing[STRIDE * i + 1] = head;
            } else if (head == 0) {
                missing[STRIDE * i] = (seq + 1) & MASK;
                missing[STRIDE * i + 1] = tail;
            } else {
                missing[STRIDE * i + 1] = head;
                return insert(i + 1, seq + 1, tail, missing[STRIDE * i + 2]);
            }
            return 0;
        }
        return 0;
    }

    /** Inserts a range at {@code index}, first evicting the oldest when full; returns the numbers evicted. */
    private long insert(int index, long start, long length, long sinceMs) {
        int at = index;
        long evicted = 0;
        if (ranges == MAX_MISSING_RANGES) {
            evicted = missing[1];
            missingNumbers -= evicted;
            remove(0);
            at--;
        }
        if (missing == null) {
            missing = new long[STRIDE * INITIAL_RANGES];
        } else if (STRIDE * ranges == missing.length) {
            missing = Arrays.copyOf(missing, Math.min(2 * missing.length, STRIDE * MAX_MISSING_RANGES));
        }
        System.arraycopy(missing, STRIDE * at, missing, STRIDE * at + STRIDE, STRIDE * (ranges - at));
        missing[STRIDE * at] = start & MASK;
        missing[STRIDE * at + 1] = length;
        missing[STRIDE * at + 2] = sinceMs;
        ranges++;
        return evicted;
    }

    private void remove(int i) {
        System.arraycopy(missing, STRIDE * i + STRIDE, missing, STRIDE * i, STRIDE * (ranges - i - 1));
        ranges--;
    }

    /** Forgets every missing range; returns their numbers. */
    private long clear() {
        long n = missingNumbers;
        ranges = 0;
        missingNumbers = 0;
        return n;
    }
}
