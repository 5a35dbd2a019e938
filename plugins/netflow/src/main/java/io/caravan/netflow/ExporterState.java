package io.caravan.netflow;

import io.caravan.netflow.session.ExporterKey;
import io.caravan.netflow.session.PendingBuffer;
import io.caravan.api.sequence.SequenceTracker;
import io.caravan.netflow.wire.DecodeException.Reason;
import java.util.HashMap;
import java.util.Map;

/**
 * What the stage keeps per exporter: its metric label and counters, totals for status, sequence trackers per
 * stream, and its pending buffer. Guarded by its own monitor: datagrams of one exporter are decoded one at a
 * time, different exporters in parallel.
 */
final class ExporterState {
    /** How far a datagram's sysUptime may lag the newest one's and still be a late datagram, not a restart. */
    static final long REORDER_UPTIME_MS = 1_000;

    /** A sequence stream: protocol version and v9 source id / IPFIX domain / v5 engine. */
    record Stream(int version, long domain) {
    }

    /** Null for the stage's shared overflow state (exporters beyond maxExporters). */
    final ExporterKey key;
    final String label;
    final LabelMeters meters;
    final PendingBuffer pending;
    final Map<Stream, SequenceTracker> trackers = new HashMap<>();
    final Map<Stream, Long> uptimes = new HashMap<>();
    final long[] errors = new long[Reason.values().length];
    long datagrams;
    long records;
    long bytes;
    long gaps;
    long templatesWithdrawn;
    long lastSeenMs;

    ExporterState(ExporterKey key, String label, LabelMeters meters, PendingBuffer pending) {
        this.key = key;
        this.label = label;
        this.meters = meters;
        this.pending = pending;
    }

    /** Counts the missing units that can no longer arrive late as lost, in streams that may have gone quiet. */
    void expireSequences(long nowMs) {
        trackers.forEach((s, t) -> lost(Protocol.of(s.version()), t.expireAt(nowMs)));
    }

    /** Units missing from this exporter's streams that may still arrive late: not (yet) in {@link #gaps}. */
    long sequenceMissing() {
        long n = 0;
        for (SequenceTracker t : trackers.values()) {
            n += t.pending();
        }
        return n;
    }

    void error(Protocol p, Reason reason, long n) {
        if (n > 0) {
            errors[reason.ordinal()] += n;
            meters.errors(p, reason).increment(n);
        }
    }

    /**
     * Accounts a datagram's sequence; resyncs first when sysUptime went back by more than {@value
     * #REORDER_UPTIME_MS} ms (v5/v9 exporter restart). Less is a late, reordered datagram: it was stamped
     * before the newest one seen. A resync counts the units still missing in that stream as lost.
     *
     * @param units sequence units carried, or -1 when unknown (the stream re-syncs on the next datagram)
     */
    void sequence(Protocol p, int version, long domain, long sequence, long units, long sysUptime, long nowMs) {
        Stream s = new Stream(version, domain);
        SequenceTracker t = trackers.computeIfAbsent(s, k -> new SequenceTracker(p.reorderWindow, p.restartJump));
        if (p != Protocol.IPFIX) {
            Long before = uptimes.get(s);
            if (before == null || sysUptime > before || before - sysUptime > REORDER_UPTIME_MS) {
                uptimes.put(s, sysUptime);
            }
            if (before != null && before - sysUptime > REORDER_UPTIME_MS) {
                lost(p, t.resync());
            }
        }
        if (units < 0) {
            lost(p, t.resync());
            return;
        }
        lost(p, t.observe(sequence, units, nowMs));
    }

    private void lost(Protocol p, long units) {
        if (units > 0) {
            gaps += units;
            meters.gaps(p).increment(units);
        }
    }
}
