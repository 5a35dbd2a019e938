package io.caravan.netflow.session;

import io.caravan.netflow.map.CompiledTemplate;
import io.caravan.netflow.wire.TemplateRecord;
import java.util.List;

/**
 * Templates and options templates known per (exporter, version, observation domain / source id, template id).
 * Implementations are thread-safe, bounded, and expire unrefreshed templates by their own clock. Nothing in
 * this contract removes an exporter's templates because one of its datagrams was bad.
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
        /** Not stored: the total template cap is reached. */
        REJECTED
    }

    /** Where a template lives within one exporter. */
    record Key(int version, long domain, int templateId) {
    }

    /** A stored template with when it was last announced (epoch ms). */
    record Entry(ExporterKey exporter, Key key, CompiledTemplate template, long lastSeenMs) {
    }

    PutResult put(ExporterKey exporter, long domain, TemplateRecord template);

    /** The template, or null when unknown or expired (an expired one is removed). */
    CompiledTemplate get(ExporterKey exporter, int version, long domain, int templateId);

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

    /** Snapshot of one exporter's templates. */
    List<Entry> entries(ExporterKey exporter);

    /** Snapshot of all templates (for persistence). */
    List<Entry> entries();

    /** Puts back a template saved earlier, keeping its refresh time (skipped when already expired or over a cap). */
    void restore(ExporterKey exporter, long domain, TemplateRecord template, long lastSeenMs);
}
