package io.caravan.netflow.session;

import java.util.Arrays;

/**
 * Loss accounting for one sequence stream (v5 per exporter and engine, v9 per source id, IPFIX per domain), in
 * the stream's own unit: v5 flows, v9 export packets, IPFIX data records (flow-protocols §10.18).
 *
 * <p>Each datagram says its sequence and how many units it carries; the next expected sequence is
 * {@code sequence + units} (mod 2^32). A datagram ahead of that by d (0 &lt; d &lt; {@code restartJump}) leaves
 * d units missing. A datagram behind it by at most {@code reorderWindow} is a late (reordered) one: counted as
 * reordered, it fills whatever part of it is still missing, and the expectation stays. A late datagram that fills
 * nothing (a duplicate, or older than anything missing) changes nothing else. Anything further (a jump back, or
 * forward by {@code restartJump} or more) is an exporter restart and re-syncs the stream there.
 *
 * <p>Missing units are counted lost only once they can no longer come late, because the counts feed counters
 * that never go down: a unit is lost when the expected sequence is more than {@code reorderWindow} units past
 * it, or when it has been missing for {@value #MAX_WAIT_MS} ms (real reordering spans milliseconds; without the
 * time limit a slow exporter's loss would show only after a whole window of further units). The check runs on
 * each datagram, so a loss just before a stream goes quiet is counted when it sends again. A restart or {@link #resync()} counts everything still missing as lost:
 * without the old expectation no later datagram can be matched to it. At most {@value #MAX_MISSING_RANGES}
 * missing ranges are held, which bounds memory and the work per late datagram; a new one beyond that counts the
 * oldest as lost.
 *
 * <p>{@link #resync()} forgets the expectation (used when a datagram's unit count is unknown, e.g. IPFIX data
 * whose template is missing). Not thread-safe: the stage serializes per exporter, so a lock here would only cost.
 */
public final class SequenceTracker {
    /** Missing ranges held per stream; a new one beyond this counts the oldest as lost. */
    public static final int MAX_MISSING_RANGES = 64;

    private static final long MOD = 1L << 32;
    private static final long MASK = MOD - 1;
    private static final int INITIAL_RANGES = 4;
    /** How long a missing unit may still arrive late. */
    public static final long MAX_WAIT_MS = 2_000;
    /** Longs per missing range: start, length, when it went missing (epoch ms). */
    private static final int STRIDE = 3;

    private final long reorderWindow;
    private final long restartJump;
    private boolean synced;
    private long expected;
    private long gaps;
    private long reordered;
    private long restarts;
    /** Missing ranges as (start, length, since) triples, oldest first; null until the first gap (most streams have none). */
    private long[] missing;
    private int ranges;
    private long missingUnits;

    public SequenceTracker(long reorderWindow, long restartJump) {
        this.reorderWindow = reorderWindow;
        this.restartJump = restartJump;
    }

    /** Accounts one datagram received at {@code nowMs}; returns the units newly counted as lost (0 when none). */
    public long observe(long sequence, long units, long nowMs) {
        long seq = sequence & MASK;
        long next = (seq + units) & MASK;
        if (!synced) {
            synced = true;
            expected = next;
            return 0;
        }
        long ahead = (seq - expected) & MASK;
        if (ahead == 0) {
            expected = next;
            return lost(expire(nowMs));
        }
        if (MOD - ahead <= reorderWindow) {
            reordered++;
            return lost(fill(seq, units) + expire(nowMs));
        }
        if (ahead < restartJump) {
            long evicted = insert(ranges, expected, ahead, nowMs);
            missingUnits += ahead;
            expected = next;
            return lost(evicted + expire(nowMs));
        }
        restarts++;
        expected = next;
        return lost(clear());
    }

    /** Forgets the expected sequence (the next datagram starts afresh); returns the missing units, now lost. */
    public long resync() {
        synced = false;
        return lost(clear());
    }

    /** Units lost so far. */
    public long gaps() {
        return gaps;
    }

    public long reordered() {
        return reordered;
    }

    public long restarts() {
        return restarts;
    }

    /** Units missing that may still come late: not (yet) in {@link #gaps()}. */
    public long pending() {
        return missingUnits;
    }

    private long lost(long n) {
        gaps += n;
        return n;
    }

    /**
     * Drops the missing units more than the window behind the expectation, and the ranges missing for longer than
     * {@link #MAX_WAIT_MS}; returns how many units. The oldest range is first in sequence and in time.
     */
    private long expire(long nowMs) {
        long lost = 0;
        while (ranges > 0) {
            long behind = (expected - missing[0]) & MASK;
            boolean expired = nowMs - missing[2] >= MAX_WAIT_MS;
            if (behind <= reorderWindow && !expired) {
                break;
            }
            long n = expired ? missing[1] : Math.min(missing[1], behind - reorderWindow);
            lost += n;
            if (n == missing[1]) {
                remove(0);
            } else {
                missing[0] = (missing[0] + n) & MASK;
                missing[1] -= n;
                break;
            }
        }
        missingUnits -= lost;
        return lost;
    }

    /**
     * Takes the units of a late datagram out of the missing ranges, splitting a range it falls inside; returns the
     * units evicted (lost) if a split overflows the ranges. Works in "units behind the expectation", where every
     * missing unit is 1..window and the datagram's units run from {@code hi} down to {@code lo}.
     */
    private long fill(long seq, long units) {
        long hi = (expected - seq) & MASK;
        long lo = hi - units + 1;
        for (int i = 0; i < ranges; i++) {
            long first = (expected - missing[STRIDE * i]) & MASK;
            long last = first - missing[STRIDE * i + 1] + 1;
            if (first < lo) {
                break;
            }
            long from = Math.min(hi, first);
            long to = Math.max(lo, last);
            if (from < to) {
                continue;
            }
            missingUnits -= from - to + 1;
            long head = first - from;
            long tail = to - last;
            if (head == 0 && tail == 0) {
                remove(i--);
            } else if (tail == 0) {
                missing[STRIDE * i + 1] = head;
            } else if (head == 0) {
                missing[STRIDE * i] = (expected - to + 1) & MASK;
                missing[STRIDE * i + 1] = tail;
            } else {
                missing[STRIDE * i + 1] = head;
                return insert(i + 1, (expected - to + 1) & MASK, tail, missing[STRIDE * i + 2]);
            }
        }
        return 0;
    }

    /** Inserts a range at {@code index}, first evicting the oldest when full; returns the units evicted. */
    private long insert(int index, long start, long length, long sinceMs) {
        int at = index;
        long evicted = 0;
        if (ranges == MAX_MISSING_RANGES) {
            evicted = missing[1];
            missingUnits -= evicted;
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

    /** Forgets every missing range; returns their units. */
    private long clear() {
        long n = missingUnits;
        ranges = 0;
        missingUnits = 0;
        return n;
    }
}
