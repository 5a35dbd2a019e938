package io.caravan.netflow;

import io.caravan.api.limit.Slots;
import io.caravan.api.metrics.DecoderMetrics;
import io.caravan.api.stage.LabelCap;
import io.caravan.api.stage.StageContext;
import io.caravan.netflow.session.ByteBudget;
import io.caravan.netflow.session.ExporterKey;
import io.caravan.netflow.session.PendingBuffer;
import io.caravan.netflow.session.TemplateStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * Which exporters the stage keeps state for: at most {@code maxExporters} ({@link ExporterCap}), each with its own
 * {@link ExporterState}; the rest share one overflow state. Hands out metric labels (at most
 * {@code maxExporterLabels}, then {@code other}) with their series and {@code caravan.templates} gauge, and forgets
 * exporters idle for {@value #IDLE_EXPORTER_MS} ms. Thread-safe.
 */
final class Exporters {
    /** Exporters with nothing pending and no datagram for this long are forgotten (their templates stay). */
    static final long IDLE_EXPORTER_MS = 3_600_000L;

    private final StageContext context;
    private final Settings settings;
    private final TemplateStore templates;
    private final LabelCap labels;
    private final ExporterCap cap;
    private final Slots streamSlots;
    private final ByteBudget pendingBudget;
    private final ConcurrentHashMap<ExporterKey, ExporterState> states = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ExporterMeters> meters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<ExporterKey>> labelExporters = new ConcurrentHashMap<>();
    /** Shared by every exporter beyond {@code maxExporters}; see {@link #of}. */
    private final ExporterState overflow;

    Exporters(Settings settings, StageContext context, TemplateStore templates, Logger log) {
        this.context = context;
        this.settings = settings;
        this.templates = templates;
        this.labels = new LabelCap(settings.maxExporterLabels());
        this.cap = new ExporterCap(settings.maxExporters(), context, log);
        this.streamSlots = new Slots(streamCap(settings.maxExporters()));
        this.pendingBudget = new ByteBudget(settings.maxPendingBytes());
        // Counts under the label 'other' (the same series as label-capped exporters; no templates gauge of its
        // own). No pending buffer (capacity 0: data before its template counts as MISSING_TEMPLATE at once) and no
        // sequence streams, so the overflow costs the same memory however many sources share it.
        this.overflow = new ExporterState(null, LabelCap.OTHER, new ExporterMeters(context, LabelCap.OTHER),
                new PendingBuffer(0, 0, pendingBudget), null);
    }

    /** Sequence streams tracked over all exporters: two per exporter on average, at least 1024. */
    static int streamCap(int maxExporters) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1024L, 2L * maxExporters));
    }

    /**
     * The exporter's own state, created on first sight while fewer than {@code maxExporters} are tracked; beyond
     * that the shared {@link #overflow} state, so a flood of new sources is still decoded but allocates nothing
     * per source here (templates stay bounded by their own budget).
     */
    ExporterState of(ExporterKey key) {
        ExporterState ex = states.get(key);
        if (ex != null) {
            return ex;
        }
        // A null from the mapping function leaves the key absent; the slot is taken before the state exists.
        ex = states.computeIfAbsent(key, k -> {
            if (!cap.reserve()) {
                return null;
            }
            String label = labels.label(k.toString());
            labelExporters.computeIfAbsent(label, l -> ConcurrentHashMap.newKeySet()).add(k);
            return new ExporterState(k, label, meters(label),
                    new PendingBuffer(settings.pendingDatagrams(), settings.pendingTimeoutMs(), pendingBudget),
                    new SequenceStreams(streamSlots));
        });
        return ex != null ? ex : overflow;
    }

    boolean isOverflow(ExporterState ex) {
        return ex == overflow;
    }

    ExporterState overflow() {
        return overflow;
    }

    ExporterCap cap() {
        return cap;
    }

    ByteBudget pendingBudget() {
        return pendingBudget;
    }

    Slots streamSlots() {
        return streamSlots;
    }

    /** The tracked exporters, sorted by key text. */
    List<ExporterState> sorted() {
        List<ExporterState> list = new ArrayList<>(states.values());
        list.sort(Comparator.comparing(ex -> ex.key.toString()));
        return list;
    }

    /** Expires every tracked exporter's held data and sequence units (see {@link ExporterState#expire}). */
    void expire(long nowMs) {
        for (ExporterState ex : states.values()) {
            synchronized (ex) {
                ex.expire(nowMs);
            }
        }
    }

    /** Forgets exporters with nothing pending and no datagram for {@value #IDLE_EXPORTER_MS} ms. */
    void forgetIdle(long nowMs) {
        states.values().removeIf(ex -> {
            synchronized (ex) {
                if (ex.pending.size() > 0 || nowMs - ex.lastSeenMs <= IDLE_EXPORTER_MS) {
                    return false;
                }
                ex.streams.clear();
                ex.forgotten = true;
            }
            Set<ExporterKey> keys = labelExporters.get(ex.label);
            if (keys != null) {
                keys.remove(ex.key);
            }
            cap.release();
            return true;
        });
    }

    private ExporterMeters meters(String label) {
        return meters.computeIfAbsent(label, l -> {
            context.gauge(DecoderMetrics.TEMPLATES, () -> templatesOf(l), DecoderMetrics.TAG_EXPORTER, l);
            return new ExporterMeters(context, l);
        });
    }

    private double templatesOf(String label) {
        Set<ExporterKey> keys = labelExporters.get(label);
        if (keys == null) {
            return 0;
        }
        long n = 0;
        for (ExporterKey k : keys) {
            n += templates.size(k);
        }
        return n;
    }
}
