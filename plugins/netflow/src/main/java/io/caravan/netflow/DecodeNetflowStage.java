package io.caravan.netflow;

import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.Origin;
import io.caravan.api.stage.LabelCap;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import io.caravan.api.stage.StageException;
import io.caravan.netflow.ie.InformationElements;
import io.caravan.netflow.session.ExporterKey;
import io.caravan.netflow.session.InMemoryTemplateStore;
import io.caravan.netflow.session.PendingBuffer;
import io.caravan.netflow.session.PendingSet;
import io.caravan.netflow.session.SamplingStore;
import io.caravan.netflow.session.TemplateFile;
import io.caravan.netflow.session.TemplateStore;
import io.caravan.netflow.wire.DecodeException;
import io.caravan.netflow.wire.DecodeException.Reason;
import io.caravan.netflow.wire.FieldSpecifier;
import io.caravan.netflow.wire.TemplateRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code decode-netflow} stage: one {@link NetflowDecoder} plus what lives around it: per-exporter
 * accounting, buffering of data that came before its template, template expiry and persistence. Housekeeping
 * (pending and template expiry, periodic save) runs lazily inside {@link #apply}, at most once a second; the
 * stage starts no thread. Thread-safe: one exporter's datagrams are decoded one at a time. At most
 * {@code maxExporters} exporters get state of their own ({@link ExporterCap}); the rest share one overflow state.
 *
 * <p>A datagram that decodes to no records (templates only, or data waiting for its template) gives an empty
 * FlowBatch, which ends routing of that message. A malformed one is counted by reason and gives null
 * ({@code onError=drop}) or a StageException ({@code onError=fail}).
 */
final class DecodeNetflowStage implements Stage<Datagram, FlowBatch> {
    private static final Logger LOG = LoggerFactory.getLogger(DecodeNetflowStage.class);
    private static final long HOUSEKEEPING_MS = 1000;
    /** Exporters with nothing pending and no datagram for this long are forgotten (their templates stay). */
    private static final long IDLE_EXPORTER_MS = 3_600_000L;

    private final Settings settings;
    private final StageContext context;
    private final Clock clock;
    private final TemplateStore templates;
    private final SamplingStore sampling;
    private final NetflowDecoder decoder;
    private final LabelCap labels;
    private final TemplateFile file;
    private final ConcurrentHashMap<ExporterKey, ExporterState> exporters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LabelMeters> meters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<ExporterKey>> labelExporters = new ConcurrentHashMap<>();
    private final ExporterCap cap;
    /** Shared by every exporter beyond {@code maxExporters}; see {@link #exporter}. */
    private final ExporterState overflow;
    private final ReentrantLock housekeeping = new ReentrantLock();
    private volatile long nextHousekeepingMs;
    private volatile long nextSaveMs;
    private volatile boolean dirty;

    DecodeNetflowStage(Settings settings, StageContext context) {
        this.settings = settings;
        this.context = context;
        this.clock = context.clock();
        this.templates = new InMemoryTemplateStore(clock, settings.templateTimeoutMs(),
                settings.maxTemplatesPerExporter(), settings.maxTemplates());
        this.sampling = new SamplingStore(Math.max(1024, settings.maxTemplates()));
        this.decoder = new NetflowDecoder(templates, sampling, settings.rates()::rate);
        this.labels = new LabelCap(settings.maxExporterLabels());
        this.cap = new ExporterCap(settings.maxExporters(), context, LOG);
        // Counts under the label 'other' (the same counters as label-capped exporters; no templates gauge of its
        // own). No pending buffer (capacity 0: data before its template counts as MISSING_TEMPLATE at once), so
        // the overflow costs the same memory however many sources share it.
        this.overflow = new ExporterState(null, LabelCap.OTHER, new LabelMeters(context, LabelCap.OTHER),
                new PendingBuffer(0, 0));
        this.file = settings.templateFile() == null ? null : new TemplateFile(settings.templateFile());
        if (file != null) {
            try {
                int n = file.load(templates, sampling);
                LOG.info("stage '{}': loaded {} templates from {}", context.stageName(), n, file.path());
            } catch (IOException | RuntimeException e) {
                LOG.warn("stage '{}': cannot load templates from {}; starting without: {}", context.stageName(),
                        file.path(), e.toString());
            }
            nextSaveMs = clock.millis() + settings.saveIntervalMs();
        }
    }

    /** The decoder behind this stage (templates and sampling stores included). */
    NetflowDecoder decoder() {
        return decoder;
    }

    @Override
    public FlowBatch apply(Datagram datagram) throws StageException {
        long now = clock.millis();
        if (now >= nextHousekeepingMs) {
            housekeeping(now);
        }
        ExporterKey key = ExporterKey.of(datagram.sender(), settings.keyByPort());
        ExporterState ex = exporter(key);
        byte[] payload = datagram.payload() == null ? new byte[0] : datagram.payload();
        Protocol protocol = Protocol.of(payload);
        if (ex == overflow) {
            cap.overflow(protocol);
        }
        synchronized (ex) {
            ex.lastSeenMs = now;
            ex.datagrams++;
            ex.bytes += payload.length;
            ex.meters.datagrams(protocol).increment();
            ex.meters.bytes(protocol).increment(payload.length);
            ex.pending.expire(now, v -> ex.error(Protocol.of(v), Reason.MISSING_TEMPLATE, 1));
            Decoded d;
            try {
                d = decoder.decode(ByteBuffer.wrap(payload), key, datagram.receivedMs());
            } catch (DecodeException e) {
                return failed(ex, key, protocol, e);
            } catch (RuntimeException e) {
                return failed(ex, key, protocol, new DecodeException(Reason.INTERNAL, 0, e.toString(),
                        ByteBuffer.wrap(payload)));
            }
            List<FlowRecord> out = d.records();
            ex.error(protocol, Reason.TEMPLATE_LIMIT, d.templatesRejected());
            ex.templatesWithdrawn += d.templatesWithdrawn();
            boolean learnt = d.templatesAdded() + d.templatesUpdated() > 0;
            if (learnt || d.templatesWithdrawn() > 0 || d.optionsRecords() > 0) {
                dirty = true;
            }
            if (learnt && ex.pending.size() > 0) {
                drainPending(ex, protocol, d, out);
            }
            if (!d.missing().isEmpty()) {
                ex.pending.add(d.missing(), now, v -> ex.error(Protocol.of(v), Reason.MISSING_TEMPLATE, 1));
            }
            if (ex != overflow) {
                // The overflow mixes sources, whose sequences would only make up gaps.
                ex.sequence(protocol, d.version(), d.domain(), d.sequence(), d.sequenceUnits(), d.sysUptime(), now);
            }
            ex.records += out.size();
            if (!out.isEmpty()) {
                ex.meters.records(protocol).increment(out.size());
            }
            long domain = protocol == Protocol.NETFLOW_V5 ? 0 : d.domain();
            return new FlowBatch(new Origin(datagram.sender(), domain, datagram.receivedMs()), out);
        }
    }

    /** Decodes held sets whose template has just arrived; their records join this datagram's batch. */
    private void drainPending(ExporterState ex, Protocol protocol, Decoded d, List<FlowRecord> out) {
        List<PendingSet> ready = ex.pending.take(p ->
                templates.get(ex.key, p.version(), p.domain(), p.templateId()) != null);
        for (PendingSet p : ready) {
            try {
                decoder.decodePending(p, ex.key, d, out);
            } catch (DecodeException e) {
                ex.error(protocol, e.reason(), 1);
            } catch (RuntimeException e) {
                ex.error(protocol, Reason.INTERNAL, 1);
            }
        }
    }

    private FlowBatch failed(ExporterState ex, ExporterKey key, Protocol protocol, DecodeException e)
            throws StageException {
        ex.error(protocol, e.reason(), 1);
        if (settings.fail()) {
            throw new StageException("stage '" + context.stageName() + "': datagram from " + key + ": "
                    + e.getMessage(), e);
        }
        return null;
    }

    /**
     * The exporter's own state, created on first sight while fewer than {@code maxExporters} are tracked;
     * beyond that the shared {@link #overflow} state, so a flood of new sources is still decoded but allocates
     * nothing per source here (templates stay bounded by their own caps).
     */
    private ExporterState exporter(ExporterKey key) {
        ExporterState ex = exporters.get(key);
        if (ex != null) {
            return ex;
        }
        // A null from the mapping function leaves the key absent; the slot is taken before the state exists.
        ex = exporters.computeIfAbsent(key, k -> {
            if (!cap.reserve()) {
                return null;
            }
            String label = labels.label(k.toString());
            labelExporters.computeIfAbsent(label, l -> ConcurrentHashMap.newKeySet()).add(k);
            return new ExporterState(k, label, meters(label),
                    new PendingBuffer(settings.pendingDatagrams(), settings.pendingTimeoutMs()));
        });
        return ex != null ? ex : overflow;
    }

    private LabelMeters meters(String label) {
        return meters.computeIfAbsent(label, l -> {
            context.gauge(LabelMeters.TEMPLATES, () -> templatesOf(l), "exporter", l);
            return new LabelMeters(context, l);
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

    /** Expires held data and templates, forgets idle exporters, saves templates when due; at most once a second. */
    private void housekeeping(long now) {
        if (!housekeeping.tryLock()) {
            return;
        }
        try {
            if (now < nextHousekeepingMs) {
                return;
            }
            nextHousekeepingMs = now + HOUSEKEEPING_MS;
            for (ExporterState ex : exporters.values()) {
                synchronized (ex) {
                    ex.pending.expire(now, v -> ex.error(Protocol.of(v), Reason.MISSING_TEMPLATE, 1));
                    ex.expireSequences(now);
                }
            }
            if (templates.expire() > 0) {
                dirty = true;
            }
            exporters.values().removeIf(ex -> {
                boolean idle;
                synchronized (ex) {
                    idle = ex.pending.size() == 0 && now - ex.lastSeenMs > IDLE_EXPORTER_MS;
                }
                if (idle) {
                    Set<ExporterKey> keys = labelExporters.get(ex.label);
                    if (keys != null) {
                        keys.remove(ex.key);
                    }
                    cap.release();
                }
                return idle;
            });
            if (file != null && settings.saveIntervalMs() > 0 && now >= nextSaveMs) {
                nextSaveMs = now + settings.saveIntervalMs();
                if (dirty) {
                    save();
                }
            }
        } finally {
            housekeeping.unlock();
        }
    }

    private void save() {
        try {
            dirty = false;
            file.save(templates, sampling);
        } catch (IOException | RuntimeException e) {
            dirty = true;
            LOG.warn("stage '{}': cannot save templates to {}: {}", context.stageName(), file.path(), e.toString());
        }
    }

    @Override
    public void close() {
        if (file != null) {
            housekeeping.lock();
            try {
                save();
            } finally {
                housekeeping.unlock();
            }
        }
    }

    @Override
    public Map<String, Object> status() {
        List<Map<String, Object>> list = new ArrayList<>();
        List<ExporterState> states = new ArrayList<>(exporters.values());
        states.sort(Comparator.comparing(ex -> ex.key.toString()));
        for (ExporterState ex : states) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("exporter", ex.key.toString());
            m.put("label", ex.label);
            synchronized (ex) {
                totals(ex, m);
                m.put("sequenceGaps", ex.gaps);
                m.put("sequenceMissing", ex.sequenceMissing());
                m.put("templatesWithdrawn", ex.templatesWithdrawn);
                m.put("pending", ex.pending.size());
            }
            m.put("templates", templateStatus(ex.key));
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
            list.add(m);
        }
        Map<String, Object> over = new LinkedHashMap<>();
        synchronized (overflow) {
            totals(overflow, over);
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("templates", templates.size());
        status.put("exportersTracked", list.size());
        status.put("maxExporters", cap.max());
        status.put("overflowDatagrams", cap.overflowDatagrams());
        status.put("overflow", over);
        status.put("exporters", list);
        return status;
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

    private List<Map<String, Object>> templateStatus(ExporterKey key) {
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
