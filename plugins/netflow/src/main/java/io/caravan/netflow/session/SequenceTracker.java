package io.caravan.netflow.session;

/**
 * Loss accounting for one sequence stream (v5 per exporter and engine, v9 per source id, IPFIX per domain), in
 * the stream's own unit: v5 flows, v9 export packets, IPFIX data records (flow-protocols §10.18).
 *
 * <p>Each datagram says its sequence and how many units it carries; the next expected sequence is
 * {@code sequence + units} (mod 2^32). A datagram ahead of that by d (0 &lt; d &lt; {@code restartJump}) counts d
 * lost units. A datagram behind it by at most {@code reorderWindow} is a late (reordered) one: counted as
 * reordered, not lost, and the expectation stays. Anything further (a jump back, or forward by
 * {@code restartJump} or more) is an exporter restart: the stream re-syncs without counting a gap. A late
 * datagram that was counted as a gap when its successor arrived stays counted: gaps are an upper bound under
 * reordering. {@link #resync()} forgets the expectation (used when a datagram's unit count is unknown, e.g.
 * IPFIX data whose template is missing). Not thread-safe (the stage serializes per exporter).
 */
public final class SequenceTracker {
    private static final long MOD = 1L << 32;

    private final long reorderWindow;
    private final long restartJump;
    private boolean synced;
    private long expected;
    private long gaps;
    private long reordered;
    private long restarts;

    public SequenceTracker(long reorderWindow, long restartJump) {
        this.reorderWindow = reorderWindow;
        this.restartJump = restartJump;
    }

    /** Accounts one datagram; returns the units newly counted as lost (0 when none). */
    public long observe(long sequence, long units) {
        long seq = sequence & (MOD - 1);
        long next = (seq + units) & (MOD - 1);
        if (!synced) {
            synced = true;
            expected = next;
            return 0;
        }
        long ahead = (seq - expected) & (MOD - 1);
        if (ahead == 0) {
            expected = next;
            return 0;
        }
        long behind = MOD - ahead;
        if (behind <= reorderWindow) {
            reordered++;
            return 0;
        }
        if (ahead < restartJump) {
            gaps += ahead;
            expected = next;
            return ahead;
        }
        restarts++;
        expected = next;
        return 0;
    }

    /** Forgets the expected sequence: the next datagram starts afresh. */
    public void resync() {
        synced = false;
    }

    public long gaps() {
        return gaps;
    }

    public long reordered() {
        return reordered;
    }

    public long restarts() {
        return restarts;
    }
}
