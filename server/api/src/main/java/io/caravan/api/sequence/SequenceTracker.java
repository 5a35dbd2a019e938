package io.caravan.api.sequence;

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
 * it, or when it has been missing for {@value MissingRanges#MAX_WAIT_MS} ms (real reordering spans milliseconds; without the
 * time limit a slow exporter's loss would show only after a whole window of further units). The check runs on
 * each datagram and, for streams gone quiet, on {@link #expireAt}. A restart or
 * {@link #resync()} counts everything still missing as lost: without the old expectation no later datagram can be
 * matched to it. At most {@value MissingRanges#MAX_RANGES} missing ranges are held ({@link MissingRanges}); a new
 * one beyond that counts the oldest as lost.
 *
 * <p>{@link #resync()} forgets the expectation (used when a datagram's unit count is unknown, e.g. IPFIX data
 * whose template is missing). {@link #classify} tells, without observing, what {@link #observe} would make of a
 * sequence, for owners that weigh it against other evidence first (sFlow's uptime). An owner that bounds its
 * memory reads {@link #missingRanges()} and, when it cannot afford more, counts what is missing as lost at once
 * ({@link #expireAll()}). Not thread-safe: the stage serializes per exporter, so a lock here would only cost.
 */
public final class SequenceTracker {
    /** What {@link #observe} makes of a sequence number, relative to the expected one. */
    public enum Outcome {
        /** The first since creation or {@link #resync()}: it sets the expectation. */
        FIRST,
        /** Exactly the expected sequence. */
        IN_ORDER,
        /** Ahead of the expected sequence by less than {@code restartJump}: the units between go missing. */
        GAP,
        /** Behind it by at most {@code reorderWindow}: reordered or repeated; fills what is still missing of it. */
        LATE,
        /** Anything else: an exporter restart; the stream re-syncs there. */
        RESTART
    }

    private static final long MOD = 1L << 32;
    private static final long MASK = MOD - 1;

    private final long reorderWindow;
    private final long restartJump;
    private final MissingRanges missing = new MissingRanges();
    private boolean synced;
    private long expected;
    private long gaps;
    private long reordered;
    private long restarts;

    public SequenceTracker(long reorderWindow, long restartJump) {
        this.reorderWindow = reorderWindow;
        this.restartJump = restartJump;
    }

    /** Accounts one datagram received at {@code nowMs}; returns the units newly counted as lost (0 when none). */
    public long observe(long sequence, long units, long nowMs) {
        long seq = sequence & MASK;
        long next = (seq + units) & MASK;
        switch (classify(seq)) {
            case FIRST -> {
                synced = true;
                expected = next;
                return 0;
            }
            case IN_ORDER -> {
                expected = next;
                return lost(expire(nowMs));
            }
            case LATE -> {
                reordered++;
                return lost(missing.fill(expected, seq, units) + expire(nowMs));
            }
            case GAP -> {
                long evicted = missing.add(expected, (seq - expected) & MASK, nowMs);
                expected = next;
                return lost(evicted + expire(nowMs));
            }
            default -> {
                restarts++;
                expected = next;
                return lost(missing.clear());
            }
        }
    }

    /** What {@link #observe} would make of {@code sequence}; changes nothing. */
    public Outcome classify(long sequence) {
        if (!synced) {
            return Outcome.FIRST;
        }
        long ahead = ((sequence & MASK) - expected) & MASK;
        if (ahead == 0) {
            return Outcome.IN_ORDER;
        }
        if (MOD - ahead <= reorderWindow) {
            return Outcome.LATE;
        }
        return ahead < restartJump ? Outcome.GAP : Outcome.RESTART;
    }

    /** The sequence the next in-order datagram carries, or -1 before the first (and after {@link #resync()}). */
    public long expected() {
        return synced ? expected : -1;
    }

    /**
     * Counts as lost the missing units that can no longer arrive late at {@code nowMs}, without a datagram: so a
     * loss just before a stream goes quiet is counted within {@link MissingRanges#MAX_WAIT_MS} too. Returns how many.
     */
    public long expireAt(long nowMs) {
        return lost(expire(nowMs));
    }

    /** Forgets the expected sequence (the next datagram starts afresh); returns the missing units, now lost. */
    public long resync() {
        synced = false;
        return lost(missing.clear());
    }

    /**
     * Counts every missing unit as lost now, keeping the expectation: for an owner whose memory budget cannot
     * afford the ranges a further gap would need. Returns how many.
     */
    public long expireAll() {
        return lost(missing.clear());
    }

    /** Missing ranges held now, at most {@value MissingRanges#MAX_RANGES}: what this tracker's memory grows with. */
    public int missingRanges() {
        return missing.ranges();
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
        return missing.units();
    }

    private long lost(long n) {
        gaps += n;
        return n;
    }

    private long expire(long nowMs) {
        return missing.expire(expected, reorderWindow, nowMs);
    }
}
