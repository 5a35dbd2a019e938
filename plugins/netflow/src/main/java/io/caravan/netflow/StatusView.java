package io.caravan.netflow;

import io.caravan.api.decode.DecodeException.Reason;
import io.caravan.netflow.ie.InformationElements;
import io.caravan.netflow.session.ExporterKey;
import io.caravan.netflow.session.SamplingStore;
import io.caravan.netflow.session.TemplateStore;
import io.caravan.netflow.wire.FieldSpecifier;
import io.caravan.netflow.wire.TemplateRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the stage's {@code /admin/stages/status} snapshot (camelCase keys): budgets and their use, the exporter
 * cap and overflow, then one entry per tracked exporter with its totals, templates and sampling rates.
 */
final class StatusView {
    private final Exporters exporters;
    private final TemplateStore templates;
    private final SamplingStore sampling;
    private final SavedTemplates saved;

    /** @param saved null without a template file */
    StatusView(Exporters exporters, TemplateStore templates, SamplingStore sampling, SavedTemplates saved) {
        this.exporters = exporters;
        this.templates = templates;
        this.sampling = sampling;
        this.saved = saved;
    }

    Map<String, Object> render() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (ExporterState ex : exporters.sorted()) {
            list.add(exporter(ex));
        }
        Map<String, Object> over = new LinkedHashMap<>();
        synchronized (exporters.overflow()) {
            totals(exporters.overflow(), over);
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("templates", templates.size());
        status.put("templateBytes", templates.bytes());
        status.put("maxTemplateBytes", templates.budget().bytesTotal());
        status.put("maxTemplateBytesPerExporter", templates.budget().bytesPerExporter());
        status.put("maxTemplateFields", templates.budget().maxFields());
        status.put("templatesEvicted", templates.evictions());
        status.put("templatesRefused", templates.refusals());
        status.put("pendingBytes", exporters.pendingBudget().used());
        status.put("maxPendingBytes", exporters.pendingBudget().max());
        status.put("samplingEntries", sampling.size());
        status.put("maxSamplingEntries", SamplingStore.MAX_ENTRIES);
        status.put("sequenceStreams", exporters.streamSlots().taken());
        status.put("maxSequenceStreams", exporters.streamSlots().max());
        if (saved != null) {
            status.put("templateFile", saved.file().path().toString());
            status.put("maxTemplateFileSize", saved.file().maxBytes());
            status.put("templatesSaved", saved.lastSaved());
        }
        status.put("exportersTracked", list.size());
        status.put("maxExporters", exporters.cap().max());
        status.put("overflowDatagrams", exporters.cap().overflowDatagrams());
        status.put("overflow", over);
        status.put("exporters", list);
        return status;
    }

    private Map<String, Object> exporter(ExporterState ex) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("exporter", ex.key.toString());
        m.put("label", ex.label);
        synchronized (ex) {
            totals(ex, m);
            m.put("sequenceGaps", ex.gaps);
            m.put("sequenceMissing", ex.sequenceMissing());
            m.put("sequenceStreams", ex.streams.size());
            m.put("templatesWithdrawn", ex.templatesWithdrawn);
            m.put("pending", ex.pending.size());
            m.put("pendingBytes", ex.pending.bytes());
        }
        m.put("templateBytes", templates.bytesOf(ex.key));
        m.put("templates", templates(ex.key));
        List<Map<String, Object>> rates = new ArrayList<>();
        for (Map.Entry<SamplingStore.Key, Long> r : sampling.rates(ex.key.address())) {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("version", r.getKey().version());
            rm.put("domain", r.getKey().domain());
            rm.put("samplerId", r.getKey().samplerId() == SamplingStore.SYSTEM ? "system" : r.getKey().samplerId());
            rm.put("rate", r.getValue());
            rates.add(rm);
        }
        m.put("samplingRates", rates);
        return m;
    }

    /** Datagrams, records, bytes and errors of {@code ex} into {@code m}; the caller holds ex's monitor. */
    private static void totals(ExporterState ex, Map<String, Object> m) {
        m.put("datagrams", ex.datagrams);
        m.put("records", ex.records);
        m.put("bytes", ex.bytes);
        Map<String, Object> errors = new LinkedHashMap<>();
        for (Reason r : Reason.values()) {
            if (ex.errors[r.ordinal()] > 0) {
                errors.put(r.name(), ex.errors[r.ordinal()]);
            }
        }
        m.put("errors", errors);
    }

    private List<Map<String, Object>> templates(ExporterKey key) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (TemplateStore.Entry e : templates.entries(key)) {
            TemplateRecord t = e.template().template();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("version", t.version());
            m.put("domain", e.key().domain());
            m.put("id", t.templateId());
            m.put("kind", t.kind().name());
            m.put("scopeFields", t.scopeCount());
            List<String> fields = new ArrayList<>();
            for (FieldSpecifier f : t.fields()) {
                fields.add(fieldName(f) + "(" + (f.length() == FieldSpecifier.VARIABLE && t.version() == 10 ? "var"
                        : f.length()) + ")");
            }
            m.put("fields", fields);
            m.put("bytes", e.template().bytes());
            m.put("lastSeenMs", e.lastSeenMs());
            out.add(m);
        }
        return out;
    }

    private static String fieldName(FieldSpecifier f) {
        if (f.isEnterprise()) {
            return "pen:" + (f.enterprise() > 0xFFFFFFFFL ? 0 : f.enterprise()) + ":ie:" + f.id();
        }
        String name = InformationElements.name(f.id());
        return name != null ? name : String.valueOf(f.id());
    }
}
