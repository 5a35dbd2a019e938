package io.caravan.netflow.session;

import io.caravan.netflow.map.CompiledTemplate;
import io.caravan.netflow.wire.TemplateRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link TemplateStore} in memory. Per exporter, templates are kept in refresh order; when an exporter
 * reaches {@code maxPerExporter}, its least recently announced template makes room. When all exporters together
 * hold {@code maxTotal}, new templates are refused ({@link PutResult#REJECTED}) so one exporter can never push
 * out another's. Templates not re-announced within {@code timeout} expire (checked on access and by
 * {@link #expire()}); a zero timeout never expires. Templates are compiled once, when they are put.
 */
public final class InMemoryTemplateStore implements TemplateStore {
    private final Clock clock;
    private final long timeoutMs;
    private final int maxPerExporter;
    private final int maxTotal;
    private final ConcurrentHashMap<ExporterKey, Exporter> exporters = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    public InMemoryTemplateStore(Clock clock, long timeoutMs, int maxPerExporter, int maxTotal) {
        this.clock = clock;
        this.timeoutMs = timeoutMs;
        this.maxPerExporter = maxPerExporter;
        this.maxTotal = maxTotal;
    }

    /** One exporter's templates in refresh order (oldest first). */
    private static final class Exporter {
        final LinkedHashMap<Key, Slot> templates = new LinkedHashMap<>();
        /** Set under the lock when removed from the map: a put that raced with the removal retries. */
        boolean removed;
    }

    private record Slot(CompiledTemplate template, long lastSeenMs) {
    }

    @Override
    public PutResult put(ExporterKey exporter, long domain, TemplateRecord template) {
        return put(exporter, domain, template, clock.millis());
    }

    private PutResult put(ExporterKey exporter, long domain, TemplateRecord template, long seenMs) {
        Key key = new Key(template.version(), domain, template.templateId());
        while (true) {
            Exporter e = exporters.computeIfAbsent(exporter, k -> new Exporter());
            synchronized (e) {
                if (!e.removed) {
                    return put(e, key, template, seenMs);
                }
            }
        }
    }

    /** Called holding {@code e}'s lock. */
    private PutResult put(Exporter e, Key key, TemplateRecord template, long seenMs) {
        Slot old = e.templates.remove(key);
        if (old != null) {
            boolean same = old.template().template().equals(template);
            e.templates.put(key, new Slot(same ? old.template() : CompiledTemplate.compile(template), seenMs));
            return same ? PutResult.UNCHANGED : PutResult.UPDATED;
        }
        if (maxPerExporter <= 0) {
            return PutResult.REJECTED;
        }
        if (e.templates.size() >= maxPerExporter) {
            Iterator<Map.Entry<Key, Slot>> oldest = e.templates.entrySet().iterator();
            oldest.next();
            oldest.remove();
            total.decrementAndGet();
        }
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return PutResult.REJECTED;
        }
        e.templates.put(key, new Slot(CompiledTemplate.compile(template), seenMs));
        return PutResult.ADDED;
    }

    @Override
    public CompiledTemplate get(ExporterKey exporter, int version, long domain, int templateId) {
        Exporter e = exporters.get(exporter);
        if (e == null) {
            return null;
        }
        Key key = new Key(version, domain, templateId);
        synchronized (e) {
            Slot s = e.templates.get(key);
            if (s == null) {
                return null;
            }
            if (expired(s, clock.millis())) {
                e.templates.remove(key);
                total.decrementAndGet();
                return null;
            }
            return s.template();
        }
    }

    @Override
    public boolean withdraw(ExporterKey exporter, int version, long domain, int templateId, TemplateRecord.Kind kind) {
        Exporter e = exporters.get(exporter);
        if (e == null) {
            return false;
        }
        Key key = new Key(version, domain, templateId);
        synchronized (e) {
            Slot s = e.templates.get(key);
            if (s == null || s.template().template().kind() != kind) {
                return false;
            }
            e.templates.remove(key);
            total.decrementAndGet();
            return true;
        }
    }

    @Override
    public int withdrawAll(ExporterKey exporter, int version, long domain, TemplateRecord.Kind kind) {
        Exporter e = exporters.get(exporter);
        if (e == null) {
            return 0;
        }
        int n = 0;
        synchronized (e) {
            Iterator<Map.Entry<Key, Slot>> it = e.templates.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<Key, Slot> m = it.next();
                if (m.getKey().version() == version && m.getKey().domain() == domain
                        && m.getValue().template().template().kind() == kind) {
                    it.remove();
                    n++;
                }
            }
        }
        total.addAndGet(-n);
        return n;
    }

    @Override
    public int expire() {
        if (timeoutMs <= 0) {
            return 0;
        }
        long now = clock.millis();
        int n = 0;
        for (Exporter e : exporters.values()) {
            synchronized (e) {
                Iterator<Slot> it = e.templates.values().iterator();
                while (it.hasNext()) {
                    if (expired(it.next(), now)) {
                        it.remove();
                        n++;
                    }
                }
            }
        }
        total.addAndGet(-n);
        exporters.values().removeIf(e -> {
            synchronized (e) {
                e.removed = e.templates.isEmpty();
                return e.removed;
            }
        });
        return n;
    }

    private boolean expired(Slot s, long now) {
        return timeoutMs > 0 && now - s.lastSeenMs() > timeoutMs;
    }

    @Override
    public int size(ExporterKey exporter) {
        Exporter e = exporters.get(exporter);
        if (e == null) {
            return 0;
        }
        synchronized (e) {
            return e.templates.size();
        }
    }

    @Override
    public int size() {
        return total.get();
    }

    @Override
    public List<Entry> entries(ExporterKey exporter) {
        Exporter e = exporters.get(exporter);
        List<Entry> out = new ArrayList<>();
        if (e != null) {
            synchronized (e) {
                e.templates.forEach((k, s) -> out.add(new Entry(exporter, k, s.template(), s.lastSeenMs())));
            }
        }
        return out;
    }

    @Override
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        for (ExporterKey k : exporters.keySet()) {
            out.addAll(entries(k));
        }
        return out;
    }

    @Override
    public void restore(ExporterKey exporter, long domain, TemplateRecord template, long lastSeenMs) {
        if (timeoutMs > 0 && clock.millis() - lastSeenMs > timeoutMs) {
            return;
        }
        put(exporter, domain, template, lastSeenMs);
    }
}
