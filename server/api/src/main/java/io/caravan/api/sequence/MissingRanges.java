package io.caravan.api.sequence;

import java.util.Arrays;

/**
 * The units of a mod 2^32 sequence stream that are missing but may still arrive late, as ranges,
 * oldest first, each with the time it went missing. Loss accounting keeps them here instead of
 * counting them lost at once, because its counters never go down: a unit is counted lost only
 * when it can no longer arrive ({@link #expire}), and a late one simply leaves ({@link #fill}).
 * The NetFlow/IPFIX and sFlow decoders share it.
 *
 * <p>Positions are compared as "units behind a reference": the stream's next expected or newest
 * number, which every missing unit is behind. At most {@value #MAX_RANGES} ranges are held, which
 * bounds memory and the work per late datagram; a range beyond that evicts the oldest, and the
 * evicted units are returned to be counted lost. Not thread-safe: each stream's owner serializes.
 */
public final class MissingRanges {
    public static final int MAX_RANGES = 64;
    /**
     * How long a missing unit may still arrive late: real reordering spans milliseconds, and a slow
     * stream's loss should not wait for a whole reorder window of further units.
     */
    public static final long MAX_WAIT_MS = 2_000;

    private static final long MASK = 0xFFFF_FFFFL;
    /** Longs per range: start, length, when it went missing (epoch ms). */
    private static final int STRIDE = 3;
    private static final int INITIAL_RANGES = 4;

    /** Null until the first gap: most streams never have one. */
    private long[] ranges;
    private int count;
    private long units;

    /**
     * Adds {@code [start, start + length)}, missing since {@code sinceMs} and newer than every range
     * held; returns the units evicted to make room (now lost).
     */
    public long add(long start, long length, long sinceMs) {
        long evicted = insert(count, start, length, sinceMs);
        units += length;
        return evicted;
    }

    /**
     * Takes the units {@code [start, start + length)}, which arrived late, out of the ranges,
     * splitting a range they fall inside; units not missing (duplicates) are ignored. Returns the
     * units evicted if a split needed one range too many.
     *
     * @param reference the position every missing unit is behind (1 or more units)
     */
    public long fill(long reference, long start, long length) {
        long hi = (reference - start) & MASK;
        long lo = hi - length + 1;
        for (int i = 0; i < count; i++) {
            long first = (reference - ranges[STRIDE * i]) & MASK;
            long last = first - ranges[STRIDE * i + 1] + 1;
            if (first < lo) {
                break; // this range and every newer one lie after the late units
            }
            long from = Math.min(hi, first);
            long to = Math.max(lo, last);
            if (from < to) {
                continue;
            }
            units -= from - to + 1;
            long head = first - from;
            long tail = to - last;
            if (head == 0 && tail == 0) {
                remove(i--);
            } else if (tail == 0) {
                ranges[STRIDE * i + 1] = head;
            } else if (head == 0) {
                ranges[STRIDE * i] = (reference - to + 1) & MASK;
                ranges[STRIDE * i + 1] = tail;
            } else {
                ranges[STRIDE * i + 1] = head;
                return insert(i + 1, (reference - to + 1) & MASK, tail, ranges[STRIDE * i + 2]);
            }
        }
        return 0;
    }

    /**
     * Removes the units that can no longer arrive late: more than {@code window} behind {@code
     * reference}, or missing for {@link #MAX_WAIT_MS} or longer at {@code nowMs}. Returns how many
     * (now lost). The oldest range is first both in sequence and in time.
     */
    public long expire(long reference, long window, long nowMs) {
        long lost = 0;
        while (count > 0) {
            long behind = (reference - ranges[0]) & MASK;
            boolean expired = nowMs - ranges[2] >= MAX_WAIT_MS;
            if (behind <= window && !expired) {
                break;
            }
            long n = expired ? ranges[1] : Math.min(ranges[1], behind - window);
            lost += n;
            if (n == ranges[1]) {
                remove(0);
            } else {
                ranges[0] = (ranges[0] + n) & MASK;
                ranges[1] -= n;
                break;
            }
        }
        units -= lost;
        return lost;
    }

    /** Forgets every range; returns their units (now lost). */
    public long clear() {
        long n = units;
        count = 0;
        units = 0;
        return n;
    }

    /** Units missing now. */
    public long units() {
        return units;
    }

    /** Ranges held now. */
    public int ranges() {
        return count;
    }

    /** Inserts a range, first evicting the oldest when full; the caller counts its units in {@link #units}. */
    private long insert(int index, long start, long length, long sinceMs) {
        int at = index;
        long evicted = 0;
        if (count == MAX_RANGES) {
            evicted = ranges[1];
            units -= evicted;
            remove(0);
            at--;
        }
        if (ranges == null) {
            ranges = new long[STRIDE * INITIAL_RANGES];
        } else if (STRIDE * count == ranges.length) {
            ranges = Arrays.copyOf(ranges, Math.min(2 * ranges.length, STRIDE * MAX_RANGES));
        }
        System.arraycopy(ranges, STRIDE * at, ranges, STRIDE * at + STRIDE, STRIDE * (count - at));
        ranges[STRIDE * at] = start & MASK;
        ranges[STRIDE * at + 1] = length;
        ranges[STRIDE * at + 2] = sinceMs;
        count++;
        return evicted;
    }

    private void remove(int i) {
        System.arraycopy(ranges, STRIDE * i + STRIDE, ranges, STRIDE * i, STRIDE * (count - i - 1));
        count--;
    }
}
