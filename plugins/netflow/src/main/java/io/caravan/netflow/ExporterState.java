package io.caravan.netflow;

import io.caravan.api.decode.DecodeException.Reason;
import io.caravan.netflow.session.ExporterKey;
import io.caravan.netflow.session.PendingBuffer;

/**
 * What the stage keeps per exporter: its metric label and series, totals for status, its sequence streams and
 * its pending buffer. Guarded by its own monitor: datagrams of one exporter are decoded one at a time, different
 * exporters in parallel.
 */
final class ExporterState {
    /** Null for the stage's shared overflow state (exporters beyond maxExporters). */
    final ExporterKey key;
    final String label;
    final ExporterMeters meters;
    final PendingBuffer pending;
    /** Null for the overflow state, whose mixed sources would only make up gaps. */
    final SequenceStreams streams;
    final long[] errors = new long[Reason.values().length];
    private final boolean[] started = new boolean[Protocol.values().length];
    long datagrams;
    long records;
    long bytes;
    long gaps;
    long templatesWithdrawn;
    long lastSeenMs;
    /** Set under the monitor when housekeeping forgets this state: a datagram that still holds it looks again. */
    boolean forgotten;

    ExporterState(ExporterKey key, String label, ExporterMeters meters, PendingBuffer pending,
                  SequenceStreams streams) {
        this.key = key;
        this.label = label;
        this.meters = meters;
        this.pending = pending;
        this.streams = streams;
    }

    /** Counts a received datagram. */
    void received(Protocol p, int length, long nowMs) {
        lastSeenMs = nowMs;
        datagrams++;
        bytes += length;
        meters.of(p).datagrams().increment();
        meters.of(p).bytes().increment(length);
    }

    /**
     * Counts a decoded datagram's records; its first one of a protocol creates the records and sequence-gap series
     * at 0, so they exist (with their labels) before the first record or loss.
     */
    void decoded(Protocol p, int n) {
        if (!started[p.ordinal()]) {
            started[p.ordinal()] = true;
            meters.of(p).records();
            if (streams != null) {
                meters.of(p).sequenceGaps(p.unit);
            }
        }
        records += n;
        if (n > 0) {
            meters.of(p).records().increment(n);
        }
    }

    void error(Protocol p, Reason reason, long n) {
        if (n > 0) {
            errors[reason.ordinal()] += n;
            meters.of(p).errors(reason).increment(n);
        }
    }

    /** Counts sequence units lost, in the protocol's own unit. */
    void lost(Protocol p, long units) {
        if (units > 0) {
            gaps += units;
            meters.of(p).sequenceGaps(p.unit).increment(units);
        }
    }

    /** Accounts a datagram's sequence (no-op for the overflow state); see {@link SequenceStreams#observe}. */
    void sequence(Protocol p, int version, long domain, long sequence, long units, long sysUptime, long nowMs) {
        if (streams != null) {
            streams.observe(p, version, domain, sequence, units, sysUptime, nowMs, this::lost);
        }
    }

    /** Expires held data and sequence units that can no longer arrive late; the caller holds the monitor. */
    void expire(long nowMs) {
        pending.expire(nowMs, v -> error(Protocol.of(v), Reason.MISSING_TEMPLATE, 1));
        if (streams != null) {
            streams.expire(nowMs, this::lost);
        }
    }

    /** Units missing from this exporter's streams that may still arrive late: not (yet) in {@link #gaps}. */
    long sequenceMissing() {
        return streams == null ? 0 : streams.missing();
    }
}
