package io.caravan.netflow;

import io.caravan.api.limit.Slots;
import io.caravan.api.log.LogLimit;
import io.caravan.api.metrics.Counter;
import io.caravan.api.metrics.DecoderMetrics;
import io.caravan.api.stage.StageContext;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * The hard cap on exporters with state of their own ({@code maxExporters}): slots are reserved before a state is
 * created and released when housekeeping forgets one, so spoofed sources cannot grow the heap. Datagrams of
 * exporters that find no slot are counted ({@code caravan.decoder.overflow_datagrams{protocol}}) and warned
 * about at most once per {@link LogLimit#DEFAULT_INTERVAL_MS}. Thread-safe.
 */
final class ExporterCap {
    private final Slots slots;
    private final String stageName;
    private final Logger log;
    private final AtomicLong overflowDatagrams = new AtomicLong();
    private final LogLimit warnLog = new LogLimit(LogLimit.DEFAULT_INTERVAL_MS);
    private final Counter[] counters = new Counter[Protocol.values().length];
    private volatile long lastOverflowMs = Long.MIN_VALUE;

    ExporterCap(int max, StageContext context, Logger log) {
        this.slots = new Slots(max);
        this.stageName = context.stageName();
        this.log = log;
        for (Protocol p : Protocol.values()) {
            counters[p.ordinal()] = context.counter(DecoderMetrics.OVERFLOW_DATAGRAMS, DecoderMetrics.TAG_PROTOCOL,
                    p.tag);
        }
    }

    /** Takes a slot for a new exporter; false at the cap. */
    boolean reserve() {
        return slots.take();
    }

    /** Gives back the slot of a forgotten exporter. */
    void release() {
        slots.release();
    }

    /** Counts a datagram that went to the shared overflow state; warns when none was logged for a while. */
    void overflow(Protocol protocol, long nowMs) {
        long total = overflowDatagrams.incrementAndGet();
        lastOverflowMs = nowMs;
        counters[protocol.ordinal()].increment();
        if (warnLog.allow()) {
            log.warn("stage '{}': {} exporters tracked, the cap; datagrams from further exporters are decoded under "
                    + "the shared 'other' state, without sequence or pending-template tracking ({} so far). "
                    + "Raise the option maxExporters to track more.", stageName, slots.max(), total);
        }
    }

    int max() {
        return slots.max();
    }

    long overflowDatagrams() {
        return overflowDatagrams.get();
    }

    /** When a datagram last went to the overflow state (epoch ms), or {@link Long#MIN_VALUE}. */
    long lastOverflowMs() {
        return lastOverflowMs;
    }
}
