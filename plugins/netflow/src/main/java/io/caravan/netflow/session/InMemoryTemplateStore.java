package io.caravan.netflow.session;

import io.caravan.netflow.map.CompiledTemplate;
import io.caravan.netflow.wire.IpfixHeader;
import io.caravan.netflow.wire.TemplateRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link TemplateStore} in memory, bounded by a {@link TemplateBudget} of estimated heap bytes
 * ({@link CompiledTemplate#estimateBytes}):
 * <ul>
 *   <li>A template with more fields than {@code maxFields} is refused ({@link PutResult#TOO_LARGE}).</li>
 *   <li>Per exporter, templates are kept in announce order; when an exporter's templates would pass
 *       {@code bytesPerExporter}, its least recently announced ones make room.</li>
 *   <li>When all templates together would pass {@code bytesTotal}, the least recently used templates of
 *       <em>idle</em> exporters (neither announcing nor using a template for {@value #IDLE_MS} ms) are evicted
 *       until a sixteenth of the budget is free again, so the next puts need no search; an exporter that keeps
 *       sending keeps its templates, and a flood from other sources cannot push them out. Without an idle
 *       exporter to take from, the new template is refused ({@link PutResult#REJECTED}).</li>
 * </ul>
 * Templates not re-announced within {@code timeout} expire (checked on access and by {@link #expire()}); a zero
 * timeout never expires. Templates are compiled once, when they are put. Thread-safe: one lock per exporter, plus
 * one for the global eviction, which never holds an exporter's lock while taking another's.
 */
public final class InMemoryTemplateStore implements TemplateStore {
    /** An exporter with no template announced or used for this long is idle: its templates are evicted first. */
    public static final long IDLE_MS = 60_000;

    private final Clock clock;
    private final long timeoutMs;
    private final TemplateBudget budget;
    private final EvictionListener listener;
    private final ConcurrentHashMap<ExporterKey, Exporter> exporters = new ConcurrentHashMap<>();
    private final ByteBudget total;
    private final AtomicLong v9Bytes = new AtomicLong();
    private final AtomicLong ipfixBytes = new AtomicLong();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicLong evictions = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private final ReentrantLock evicting = new ReentrantLock();
    private volatile long lastPressureMs = Long.MIN_VALUE;
    /** A search found no idle exporter: none can become idle before this time, so searching again is pointless. */
    private volatile long noIdleBeforeMs = Long.MIN_VALUE;

    public InMemoryTemplateStore(Clock clock, long timeoutMs, TemplateBudget budget, EvictionListener listener) {
        this.clock = clock;
        this.timeoutMs = timeoutMs;
        this.budget = budget;
        this.listener = listener;
        this.total = new ByteBudget(budget.bytesTotal());
    }

    /** One exporter's templates in announce order (oldest first). Guarded by its own monitor. */
    private static final class Exporter {
        final LinkedHashMap<Key, Slot> templates = new LinkedHashMap<>();
        long bytes;
        /** When a template of this exporter was last announced or used; read without the lock by the eviction. */
        volatile long lastActiveMs;
        /** Set under the lock when removed from the map: a put that raced with the removal retries. */
        boolean removed;
    }

    private static final class Slot {
        final CompiledTemplate template;
        /** Last announcement: what expiry counts from. */
        long lastSeenMs;
        /** Last announcement or use: what eviction orders by. */
        long lastUsedMs;

        Slot(CompiledTemplate template, long seenMs) {
            this.template = template;
            this.lastSeenMs = seenMs;
            this.lastUsedMs = seenMs;
        }
    }

    @Override
    public PutResult put(ExporterKey exporter, long domain, TemplateRecord template) {
        return put(exporter, domain, template, clock.millis());
    }

    private PutResult put(ExporterKey exporter, long domain, TemplateRecord template, long seenMs) {
        Key key = new Key(template.version(), domain, template.templateId());
        if (template.fields().size() > budget.maxFields()) {
            forget(exporter, key);
            return PutResult.TOO_LARGE;
        }
        int need = CompiledTemplate.estimateBytes(template);
        if (need > budget.bytesPerExporter() || need > budget.bytesTotal()) {
            forget(exporter, key); // larger than a whole budget: refused, but no sign that the budget is full
            refusals.incrementAndGet();
            return PutResult.REJECTED;
        }
        boolean roomMade = false;
        while (true) {
            Exporter e = exporters.computeIfAbsent(exporter, k -> new Exporter());
            PutResult r;
            synchronized (e) {
                if (e.removed) {
                    continue;
                }
                e.lastActiveMs = Math.max(e.lastActiveMs, seenMs);
                r = put(e, key, template, need, seenMs);
                if (r == null && roomMade) {
                    forget(e, key);
                    r = PutResult.REJECTED;
                }
            }
            if (r == PutResult.REJECTED) {
                refused(clock.millis());
            }
            if (r != null) {
                return r;
            }
            if (!makeRoom(need, clock.millis())) {
                forget(exporter, key);
                refused(clock.millis());
                return PutResult.REJECTED;
            }
            roomMade = true;
        }
    }

    /** Called holding {@code e}'s lock; null when the total budget has no room (nothing changed then). */
    private PutResult put(Exporter e, Key key, TemplateRecord template, int need, long seenMs) {
        Slot old = e.templates.get(key);
        if (old != null && old.template.template().equals(template)) {
            e.templates.remove(key);
            e.templates.put(key, old);
            old.lastSeenMs = Math.max(old.lastSeenMs, seenMs);
            old.lastUsedMs = Math.max(old.lastUsedMs, seenMs);
            return PutResult.UNCHANGED;
        }
        long delta = need - (old == null ? 0 : old.template.bytes());
        // The exporter's own least recently announced templates make room within its share.
        Iterator<Map.Entry<Key, Slot>> oldest = e.templates.entrySet().iterator();
        while (e.bytes + delta > budget.bytesPerExporter() && oldest.hasNext()) {
            Map.Entry<Key, Slot> m = oldest.next();
            if (!m.getKey().equals(key)) {
                oldest.remove();
                released(e, m.getKey(), m.getValue());
                evicted(m.getKey());
            }
        }
        if (!total.reserve(delta)) {
            return null;
        }
        versionBytes(key.version()).addAndGet(delta);
        e.bytes += delta;
        if (old == null) {
            count.incrementAndGet();
        } else {
            e.templates.remove(key);
        }
        e.templates.put(key, new Slot(CompiledTemplate.compile(template), seenMs));
        return old == null ? PutResult.ADDED : PutResult.UPDATED;
    }

    /**
     * Evicts idle exporters' least recently used templates until {@code need} bytes fit with a sixteenth of the
     * budget to spare; true when {@code need} fits now.
     */
    private boolean makeRoom(long need, long now) {
        evicting.lock();
        try {
            if (total.free() >= need) {
                return true;
            }
            if (now < noIdleBeforeMs) {
                return false;
            }
            record Victim(Exporter exporter, Key key, Slot slot, long lastUsedMs) {
            }
            List<Victim> victims = new ArrayList<>();
            long nextIdle = now + IDLE_MS;
            for (Exporter e : exporters.values()) {
                long active = e.lastActiveMs;
                if (now - active < IDLE_MS) {
                    nextIdle = Math.min(nextIdle, active + IDLE_MS);
                    continue;
                }
                synchronized (e) {
                    e.templates.forEach((k, s) -> victims.add(new Victim(e, k, s, s.lastUsedMs)));
                }
            }
            victims.sort(Comparator.comparingLong(Victim::lastUsedMs));
            long spare = need + budget.bytesTotal() / 16;
            for (Victim v : victims) {
                if (total.free() >= spare) {
                    break;
                }
                synchronized (v.exporter()) {
                    if (now - v.exporter().lastActiveMs >= IDLE_MS && v.exporter().templates.get(v.key()) == v.slot()) {
                        v.exporter().templates.remove(v.key());
                        released(v.exporter(), v.key(), v.slot());
                        evicted(v.key());
                    }
                }
            }
            if (!victims.isEmpty()) {
                lastPressureMs = now;
                prune();
            }
            boolean fits = total.free() >= need;
            if (!fits) {
                noIdleBeforeMs = nextIdle;
            }
            return fits;
        } finally {
            evicting.unlock();
        }
    }

    private void refused(long now) {
        refusals.incrementAndGet();
        lastPressureMs = now;
    }

    /** Accounts a removed slot; called holding {@code e}'s lock. */
    private void released(Exporter e, Key key, Slot s) {
        long b = s.template.bytes();
        e.bytes -= b;
        total.release(b);
        versionBytes(key.version()).addAndGet(-b);
        count.decrementAndGet();
    }

    private void evicted(Key key) {
        evictions.incrementAndGet();
        listener.evicted(key.version());
    }

    private AtomicLong versionBytes(int version) {
        return version == IpfixHeader.VERSION ? ipfixBytes : v9Bytes;
    }

    /** Forgets a definition that a refused put replaced, so data is not decoded with the old one. */
    private void forget(ExporterKey exporter, Key key) {
        Exporter e = exporters.get(exporter);
        if (e != null) {
            synchronized (e) {
                forget(e, key);
            }
        }
    }

    private void forget(Exporter e, Key key) {
        Slot s = e.templates.remove(key);
        if (s != null) {
            released(e, key, s);
        }
    }

    @Override
    public CompiledTemplate get(ExporterKey exporter, int version, long domain, int templateId) {
        return get(exporter, version, domain, templateId, clock.millis());
    }

    @Override
    public CompiledTemplate get(ExporterKey exporter, int version, long domain, int templateId, long now) {
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
            if (expired(s, now)) {
                e.templates.remove(key);
                released(e, key, s);
                return null;
            }
            s.lastUsedMs = Math.max(s.lastUsedMs, now);
            if (now > e.lastActiveMs) {
                e.lastActiveMs = now; // a volatile write at most once a millisecond, not per data set
            }
            return s.template;
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
            if (s == null || s.template.template().kind() != kind) {
                return false;
            }
            e.templates.remove(key);
            released(e, key, s);
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
                        && m.getValue().template.template().kind() == kind) {
                    it.remove();
                    released(e, m.getKey(), m.getValue());
                    n++;
                }
            }
        }
        return n;
    }

    @Override
    public int expire() {
        int n = 0;
        if (timeoutMs > 0) {
            long now = clock.millis();
            for (Exporter e : exporters.values()) {
                synchronized (e) {
                    Iterator<Map.Entry<Key, Slot>> it = e.templates.entrySet().iterator();
                    while (it.hasNext()) {
                        Map.Entry<Key, Slot> m = it.next();
                        if (expired(m.getValue(), now)) {
                            it.remove();
                            released(e, m.getKey(), m.getValue());
                            n++;
                        }
                    }
                }
            }
        }
        prune();
        return n;
    }

    /** Drops exporters left without templates. */
    private void prune() {
        exporters.values().removeIf(e -> {
            synchronized (e) {
                e.removed = e.templates.isEmpty();
                return e.removed;
            }
        });
    }

    private boolean expired(Slot s, long now) {
        return timeoutMs > 0 && now - s.lastSeenMs > timeoutMs;
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
        return count.get();
    }

    @Override
    public long bytes() {
        return total.used();
    }

    @Override
    public long bytes(int version) {
        return versionBytes(version).get();
    }

    @Override
    public long bytesOf(ExporterKey exporter) {
        Exporter e = exporters.get(exporter);
        if (e == null) {
            return 0;
        }
        synchronized (e) {
            return e.bytes;
        }
    }

    @Override
    public TemplateBudget budget() {
        return budget;
    }

    @Override
    public long evictions() {
        return evictions.get();
    }

    @Override
    public long refusals() {
        return refusals.get();
    }

    @Override
    public long lastPressureMs() {
        return lastPressureMs;
    }

    @Override
    public List<Entry> entries(ExporterKey exporter) {
        Exporter e = exporters.get(exporter);
        List<Entry> out = new ArrayList<>();
        if (e != null) {
            synchronized (e) {
                e.templates.forEach((k, s) -> out.add(new Entry(exporter, k, s.template, s.lastSeenMs)));
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
    public PutResult restore(ExporterKey exporter, long domain, TemplateRecord template, long lastSeenMs) {
        if (timeoutMs > 0 && clock.millis() - lastSeenMs > timeoutMs) {
            return PutResult.UNCHANGED;
        }
        return put(exporter, domain, template, lastSeenMs);
    }
}
