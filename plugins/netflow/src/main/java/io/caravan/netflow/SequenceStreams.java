package io.caravan.netflow;

import io.caravan.api.limit.Slots;
import io.caravan.api.sequence.SequenceTracker;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ObjLongConsumer;

/**
 * One exporter's sequence streams (protocol version and v9 source id / IPFIX domain / v5 engine), each with its
 * {@link SequenceTracker}. Bounded, since a stream's tracker may hold up to 64 missing ranges (about 1.6 KiB): at
 * most {@value #MAX_PER_EXPORTER} streams per exporter, the least recently seen making room for a new one, and a
 * slot from a cap all exporters share; a stream that finds no slot is not tracked. Not thread-safe (the stage
 * serializes per exporter).
 */
final class SequenceStreams {
    /** Streams one exporter may have tracked: more source ids / domains than real exporters use. */
    static final int MAX_PER_EXPORTER = 16;
    /** How far a datagram's sysUptime may lag the newest one's and still be a late datagram, not a restart. */
    static final long REORDER_UPTIME_MS = 1_000;

    private record Stream(int version, long domain) {
    }

    private static final class Tracked {
        final SequenceTracker tracker;
        /** The newest v5/v9 sysUptime seen; -1 before the first. */
        long uptime = -1;

        Tracked(Protocol p) {
            tracker = new SequenceTracker(p.reorderWindow, p.restartJump);
        }
    }

    private final Slots slots;
    /** Access order: the first entry is the least recently seen stream. */
    private final LinkedHashMap<Stream, Tracked> streams = new LinkedHashMap<>(4, 0.75f, true);

    /** @param slots the stage-wide cap on tracked streams, shared by every exporter */
    SequenceStreams(Slots slots) {
        this.slots = slots;
    }

    /**
     * Accounts a datagram's sequence; resyncs first when sysUptime went back by more than {@value
     * #REORDER_UPTIME_MS} ms (v5/v9 exporter restart). Less is a late, reordered datagram: it was stamped
     * before the newest one seen. A resync counts the units still missing in that stream as lost.
     *
     * @param units sequence units carried, or -1 when unknown (the stream re-syncs on the next datagram)
     * @param lost  told the protocol and count of units newly counted lost (in this or an evicted stream)
     */
    void observe(Protocol p, int version, long domain, long sequence, long units, long sysUptime, long nowMs,
                 ObjLongConsumer<Protocol> lost) {
        Stream s = new Stream(version, domain);
        Tracked t = streams.get(s);
        if (t == null) {
            if (streams.size() >= MAX_PER_EXPORTER) {
                Iterator<Map.Entry<Stream, Tracked>> eldest = streams.entrySet().iterator();
                Map.Entry<Stream, Tracked> e = eldest.next();
                eldest.remove();
                slots.release();
                lost.accept(Protocol.of(e.getKey().version()), e.getValue().tracker.resync());
            }
            if (!slots.take()) {
                return;
            }
            t = new Tracked(p);
            streams.put(s, t);
        }
        if (p != Protocol.IPFIX) {
            long before = t.uptime;
            boolean restart = before >= 0 && before - sysUptime > REORDER_UPTIME_MS;
            if (before < 0 || sysUptime > before || restart) {
                t.uptime = sysUptime;
            }
            if (restart) {
                lost.accept(p, t.tracker.resync());
            }
        }
        lost.accept(p, units < 0 ? t.tracker.resync() : t.tracker.observe(sequence, units, nowMs));
    }

    /** Counts the missing units that can no longer arrive late as lost, in streams that may have gone quiet. */
    void expire(long nowMs, ObjLongConsumer<Protocol> lost) {
        streams.forEach((s, t) -> lost.accept(Protocol.of(s.version()), t.tracker.expireAt(nowMs)));
    }

    /** Units missing that may still arrive late (not yet counted lost). */
    long missing() {
        long n = 0;
        for (Tracked t : streams.values()) {
            n += t.tracker.pending();
        }
        return n;
    }

    int size() {
        return streams.size();
    }

    /** Forgets every stream and gives back its slots (the exporter is forgotten). */
    void clear() {
        for (int i = 0; i < streams.size(); i++) {
            slots.release();
        }
        streams.clear();
    }
}
