package io.caravan.netflow.session;

import io.caravan.netflow.map.CompiledTemplate;
import io.caravan.netflow.wire.TemplateRecord;
import java.util.List;

/**
 * Templates and options templates known per (exporter, version, observation domain / source id, template id).
 * Implementations are thread-safe, bounded in bytes ({@link TemplateBudget}), and expire unrefreshed templates by
 * their own clock. Nothing in this contract removes an exporter's templates because one of its datagrams was bad.
 */
public interface TemplateStore {

    /** What {@link #put} did. */
    enum PutResult {
        /** A template id not known before. */
        ADDED,
        /** A known id with a different definition: replaced. */
        UPDATED,
        /** The same definition again (a periodic re-announcement): only its refresh time moved. */
        UNCHANGED,
        /** Not stored: the byte budget has no room for it (an older definition under its id is forgotten). */
        REJECTED,
        /** Not stored: more fields than the budget's per-template limit (an older definition is forgotten). */
        TOO_LARGE
    }

    /** Where a template lives within one exporter. */
    record Key(int version, long domain, int templateId) {
    }

    /** A stored template with when it was last announced (epoch ms). */
    record Entry(ExporterKey exporter, Key key, CompiledTemplate template, long lastSeenMs) {
    }

    /** Told of every template the store evicted to stay within its budget. */
    @FunctionalInterface
    interface EvictionListener {
        EvictionListener NONE = version -> { };

        /** A template of this protocol version (9 or 10) was evicted. */
        void evicted(int version);
    }

    PutResult put(ExporterKey exporter, long domain, TemplateRecord template);

    /** The template, or null when unknown or expired (an expired one is removed). Marks the exporter active. */
    CompiledTemplate get(ExporterKey exporter, int version, long domain, int templateId);

    /**
     * {@link #get(ExporterKey, int, long, int)} at {@code nowMs}, a time the caller read from the store's clock
     * (once per batch rather than once per lookup).
     */
    CompiledTemplate get(ExporterKey exporter, int version, long domain, int templateId, long nowMs);

    /** Removes one template of that kind; false when there was none. */
    boolean withdraw(ExporterKey exporter, int version, long domain, int templateId, TemplateRecord.Kind kind);

    /** Removes every template of that kind in the domain; returns how many. */
    int withdrawAll(ExporterKey exporter, int version, long domain, TemplateRecord.Kind kind);

    /** Removes templates not refreshed within the timeout; returns how many. */
    int expire();

    /** Templates of one exporter. */
    int size(ExporterKey exporter);

    /** Templates of all exporters. */
    int size();

    /** Estimated heap bytes of all templates. */
    long bytes();

    /** Estimated heap bytes of the templates of one protocol version (9 or 10). */
    long bytes(int version);

    /** Estimated heap bytes of one exporter's templates. */
    long bytesOf(ExporterKey exporter);

    /** The limits this store keeps to. */
    TemplateBudget budget();

    /** Templates evicted to stay within the budget, since creation. */
    long evictions();

    /** Templates refused for want of room in the budget ({@link PutResult#REJECTED}), since creation. */
    long refusals();

    /** When the total budget last had to evict or refuse (epoch ms), or {@link Long#MIN_VALUE} if never. */
    long lastPressureMs();

    /** Snapshot of one exporter's templates. */
    List<Entry> entries(ExporterKey exporter);

    /** Snapshot of all templates (for persistence). */
    List<Entry> entries();

    /** Puts back a template saved earlier, keeping its refresh time (skipped when already expired or over the budget). */
    PutResult restore(ExporterKey exporter, long domain, TemplateRecord template, long lastSeenMs);
}
