package io.caravan.vanflow.state;

import io.caravan.vanflow.event.Beacon;
import io.caravan.vanflow.event.VanFlowListener;
import io.caravan.vanflow.event.VanRecord;
import io.caravan.vanflow.metrics.CollectorMetrics;
import io.caravan.vanflow.metrics.FlowLabels;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's memory of the VAN: every record upserted by identity from the deltas sources send
 * (spec §2.4), event sources, and the derived 1.x views ({@link Snapshot}).
 *
 * <p>Bounds: an ended record is dropped {@code ttl} after it ended (collector clock, so a source's
 * skewed clock cannot keep it). At most {@code maxRecords} are held: a new identity past the bound
 * first drops the record that ended longest ago ({@code dropped{reason=ended}}); if every record is
 * live, the new identity is refused ({@code dropped{reason=refused}}) while updates to held records
 * still apply — the topology already known stays whole, newcomers (usually flows) wait for room.
 *
 * <p>Threads: one ingest thread calls the {@link VanFlowListener} methods; any thread reads
 * {@link #snapshot()}. Writes and rebuilds hold one lock; a snapshot is immutable once built. The
 * ingest thread rebuilds it at most once a second while records change; a read that finds it stale
 * rebuilds it too. A rebuild is one pass over every record, so past 10 000 records rebuilds are held
 * to a tenth of the time: large states are served up to ten rebuild-times late rather than starving
 * ingest.
 */
public final class CollectorState implements VanFlowListener {
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(15);
    public static final int DEFAULT_MAX_RECORDS = 50_000;
    private static final Logger LOG = LoggerFactory.getLogger(CollectorState.class);
    private static final long REBUILD_MS = 1000;
    /** Up to this many records a rebuild is cheap enough to run on every read that finds the view stale. */
    private static final int SMALL_STATE = 10_000;
    /** Otherwise rebuilds take at most a tenth of the time: the view then lags writes by up to 10 rebuilds. */
    private static final int REBUILD_DUTY = 10;

    private final Clock clock;
    private final CollectorMetrics metrics;
    private final String collectorId = UUID.randomUUID().toString();
    private final long startedMs;
    private volatile Duration ttl;
    private volatile int maxRecords;

    private final Object lock = new Object();
    // ---- guarded by lock
    private final Map<String, StoredRecord> records = new HashMap<>();
    /** Ended records, oldest end first: what ages out and what the bound drops. */
    private final LinkedHashMap<String, StoredRecord> ended = new LinkedHashMap<>();
    private final Map<String, EventSource> sources = new TreeMap<>();
    private final Map<String, String> addressIds = new HashMap<>();
    private int addressSeq;
    private boolean dirty = true;
    private long builtAtMs = Long.MIN_VALUE;
    private long builtAtNanos;
    private long lastRebuildNanos;
    private final Set<String> countedPairs = new HashSet<>();
    private final Map<String, Long> countedOctets = new HashMap<>();
    private final Set<String> observedLatency = new HashSet<>();
    private volatile Snapshot snapshot;

    public CollectorState(Clock clock, CollectorMetrics metrics, Duration ttl, int maxRecords) {
        this.clock = clock;
        this.metrics = metrics;
        this.startedMs = clock.millis();
        limits(ttl, maxRecords);
        metrics.eventSources(() -> {
            synchronized (lock) {
                return sources.values().stream().filter(s -> s.lostMs == 0).count();
            }
        });
    }

    /**
     * Sets the TTL of ended records and the record bound (at least 1). 1.x insists on a minute; a
     * second is allowed here so short-lived test and demo setups can watch records age out.
     */
    public void limits(Duration ttl, int maxRecords) {
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("caravan.vanflow.record.ttl must be at least 1 second, got " + ttl);
        }
        if (maxRecords < 1) {
            throw new IllegalArgumentException("caravan.vanflow.max.records must be at least 1, got " + maxRecords);
        }
        this.ttl = ttl;
        this.maxRecords = maxRecords;
    }

    public Duration ttl() {
        return ttl;
    }

    public int maxRecords() {
        return maxRecords;
    }

    public String collectorId() {
        return collectorId;
    }

    // ---- VanFlowListener ------------------------------------------------------------------------

    @Override
    public void beacon(Beacon beacon, long nowMs) {
        synchronized (lock) {
            EventSource s = sources.computeIfAbsent(beacon.identity(), id -> new EventSource(id, nowMs));
            s.beacon = beacon;
            s.beacons++;
            s.lastHeardMs = nowMs;
            s.lostMs = 0;
            dirty = true;
            maintain();
        }
    }

    @Override
    public void heartbeat(String sourceId, long nowMs) {
        synchronized (lock) {
            EventSource s = sources.get(sourceId);
            if (s != null) {
                s.heartbeats++;
                s.lastHeardMs = nowMs;
                dirty = true;
            }
            maintain();
        }
    }

    @Override
    public void records(String sourceId, List<VanRecord> batch, long nowMs) {
        synchronized (lock) {
            EventSource s = sources.computeIfAbsent(sourceId, id -> new EventSource(id, nowMs));
            s.messages++;
            s.lastHeardMs = nowMs;
            long now = clock.millis();
            for (VanRecord r : batch) {
                apply(sourceId, r, now);
            }
            maintain();
        }
    }

    @Override
    public void sourceLost(String sourceId, long nowMs) {
        synchronized (lock) {
            EventSource s = sources.get(sourceId);
            if (s != null && s.lostMs == 0) {
                s.lostMs = nowMs;
            }
            long now = clock.millis();
            int n = 0;
            for (StoredRecord r : records.values()) {
                if (sourceId.equals(r.source) && !r.ended()) {
                    r.attributes.put(Codes.END_TIME, now * 1000);
                    r.purged = true;
                    markEnded(r, now);
                    n++;
                }
            }
            metrics.sourcePurged();
            LOG.info("VAN-flow source {} lost: {} records ended", sourceId, n);
            dirty = true;
            maintain();
        }
    }

    // ---- writes ---------------------------------------------------------------------------------

    private void apply(String sourceId, VanRecord v, long now) {
        if (!Codes.knownType(v.type())) {
            metrics.unknown("type");
            LOG.debug("Skipping record {} of unknown type {} from {}", v.identity(), v.type(), sourceId);
            return;
        }
        metrics.recordsReceived(Codes.typeName(v.type()));
        if (v.type() == Codes.LOG || v.identity() == null) {
            return; // logs are not kept: they would crowd out topology and flows
        }
        StoredRecord r = records.get(v.identity());
        if (r == null) {
            if (records.size() >= maxRecords && !dropOldestEnded()) {
                metrics.dropped("refused");
                return;
            }
            r = new StoredRecord(v.type(), v.identity(), sourceId, now);
            records.put(r.identity, r);
        } else if (r.type != v.type()) {
            LOG.debug("Record {} arrived as type {} but is held as {}; merging into the held type", v.identity(),
                    v.type(), r.type);
        }
        for (Map.Entry<Integer, Object> a : v.attributes().entrySet()) {
            int code = a.getKey();
            if (code == 0 || code == 1) {
                continue;
            }
            if (!Codes.knownAttribute(code)) {
                metrics.unknown("attribute");
                continue;
            }
            if (a.getValue() != null) {
                r.attributes.put(code, a.getValue());
            }
        }
        if ((r.type == Codes.LISTENER || r.type == Codes.CONNECTOR) && r.str(Codes.VAN_ADDRESS) != null) {
            addressIds.computeIfAbsent(r.str(Codes.VAN_ADDRESS), a -> "col:" + ++addressSeq);
        }
        if (r.ended()) {
            markEnded(r, now);
        }
        dirty = true;
    }

    private void markEnded(StoredRecord r, long now) {
        if (r.endedAtMs == 0) {
            r.endedAtMs = now;
            ended.put(r.identity, r);
        }
    }

    private boolean dropOldestEnded() {
        Iterator<StoredRecord> it = ended.values().iterator();
        if (!it.hasNext()) {
            return false;
        }
        StoredRecord oldest = it.next();
        it.remove();
        records.remove(oldest.identity);
        metrics.dropped("ended");
        dirty = true;
        return true;
    }

    /** Ages out ended records and lost sources, then rebuilds the snapshot if it is due. */
    private void maintain() {
        long now = clock.millis();
        expire(now);
        boolean due = dirty && System.nanoTime() - builtAtNanos >= REBUILD_MS * 1_000_000L || now - builtAtMs >= 5 * REBUILD_MS;
        if (due && mayRebuild()) {
            rebuild(now);
        }
    }

    private void expire(long now) {
        long cutoff = now - ttl.toMillis();
        long n = 0;
        Iterator<StoredRecord> it = ended.values().iterator();
        while (it.hasNext()) {
            StoredRecord r = it.next();
            if (r.endedAtMs > cutoff) {
                break;
            }
            it.remove();
            records.remove(r.identity);
            n++;
        }
        if (sources.values().removeIf(s -> s.lostMs != 0 && s.lostMs <= cutoff)) {
            dirty = true;
        }
        if (n > 0) {
            metrics.expired(n);
            dirty = true;
        }
    }

    // ---- reads ----------------------------------------------------------------------------------

    /** The state now: rebuilt if records changed since the last one or it is over a second old. */
    public Snapshot snapshot() {
        synchronized (lock) {
            long now = clock.millis();
            expire(now);
            if (snapshot == null || (dirty || now - builtAtMs >= REBUILD_MS) && mayRebuild()) {
                rebuild(now);
            }
            return snapshot;
        }
    }

    /** Records held right now (all types). */
    public int size() {
        synchronized (lock) {
            return records.size();
        }
    }

    /** Small states rebuild whenever due; large ones at most a tenth of the time. */
    private boolean mayRebuild() {
        return records.size() <= SMALL_STATE || System.nanoTime() - builtAtNanos >= REBUILD_DUTY * lastRebuildNanos;
    }

    /** Rebuilds the view now, whatever its age (tests, measurements). */
    Snapshot rebuildNow() {
        synchronized (lock) {
            rebuild(clock.millis());
            return snapshot;
        }
    }

    private void rebuild(long now) {
        long t0 = System.nanoTime();
        Derivation d = new Derivation(records, addressIds, now * 1000, startedMs * 1000);
        Map<String, List<Map<String, Object>>> collections = d.collections();
        collections.put("eventsources", eventSources());
        collections.put("collectors", List.of(collector()));
        snapshot = new Snapshot(now * 1000, collections, d.flowPairAddress());
        dirty = false;
        builtAtMs = now;
        account(d);
        builtAtNanos = System.nanoTime();
        lastRebuildNanos = builtAtNanos - t0;
    }

    private List<Map<String, Object>> eventSources() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (EventSource s : sources.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("recType", "EVENTSOURCE");
            m.put("identity", s.identity);
            m.put("startTime", s.firstSeenMs * 1000);
            m.put("endTime", s.lostMs * 1000);
            if (s.beacon != null) {
                Map<String, Object> b = new LinkedHashMap<>();
                b.put("version", s.beacon.version());
                b.put("sourceType", s.beacon.sourceType());
                b.put("address", s.beacon.address());
                b.put("direct", s.beacon.direct());
                b.put("identity", s.beacon.identity());
                m.put("beacon", b);
            }
            m.put("lastHeard", s.lastHeardMs * 1000);
            m.put("heartbeats", s.heartbeats);
            m.put("beacons", s.beacons);
            m.put("messages", s.messages);
            out.add(m);
        }
        return out;
    }

    private Map<String, Object> collector() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recType", "COLLECTOR");
        m.put("identity", collectorId);
        m.put("startTime", startedMs * 1000);
        m.put("endTime", 0L);
        m.put("PrometheusUrl", "");
        return m;
    }

    /**
     * The prototype API's records by identity: router attribute names, {@code recordType} as a string,
     * computed {@code duration}, mutual {@code counterflow}. Built on demand (the prototype paths are
     * rare), not kept in the snapshot.
     */
    public Map<String, Map<String, Object>> prototypeRecords() {
        synchronized (lock) {
            expire(clock.millis());
            Map<String, String> reverse = new HashMap<>();
            for (StoredRecord r : records.values()) {
                if (r.type == Codes.FLOW && r.str(Codes.COUNTERFLOW) != null) {
                    reverse.put(r.str(Codes.COUNTERFLOW), r.identity);
                }
            }
            return prototype(reverse);
        }
    }

    private Map<String, Map<String, Object>> prototype(Map<String, String> reverse) {
        Map<String, Map<String, Object>> out = new HashMap<>();
        for (StoredRecord r : records.values()) {
            Map<String, Object> m = new TreeMap<>();
            for (Map.Entry<Integer, Object> a : r.attributes.entrySet()) {
                m.put(Codes.attributeName(r.type, a.getKey()), a.getValue());
            }
            m.put("recordType", Codes.typeName(r.type));
            m.put("identity", r.identity);
            if (r.ended() && r.startTime() > 0) {
                m.put("duration", r.endTime() - r.startTime());
            }
            if (r.type == Codes.FLOW && !m.containsKey("counterflow") && reverse.containsKey(r.identity)) {
                m.put("counterflow", reverse.get(r.identity));
            }
            if (r.purged) {
                m.put("purged", true);
            }
            out.put(r.identity, m);
        }
        return out;
    }

    /**
     * Feeds the 1.x flow metrics from the pairs just derived. FlowRecords are not made here: the
     * vanflow component emits them from its own FlowTable as records arrive (ended flows, unpaired
     * ones, BIFLOW_TPORT and purges included), so routes get them without waiting for a rebuild.
     */
    private void account(Derivation d) {
        Map<FlowLabels, Long> active = new HashMap<>();
        Set<String> present = new HashSet<>();
        Set<String> flowIds = new HashSet<>();
        for (Derivation.Pair p : d.pairs) {
            present.add(p.identity());
            String srcSite = siteLabel(d, p.sourceSite());
            String dstSite = siteLabel(d, p.destSite());
            String srcProc = processName(p, "forwardFlow");
            String dstProc = processName(p, "counterFlow");
            FlowLabels in = new FlowLabels(srcSite, dstSite, p.vanAddress(), p.protocol(), "incoming", srcProc, dstProc);
            FlowLabels out = new FlowLabels(srcSite, dstSite, p.vanAddress(), p.protocol(), "outgoing", srcProc, dstProc);
            if (countedPairs.add(p.identity())) {
                metrics.flowStarted(in);
                metrics.flowStarted(out);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> fwd = (Map<String, Object>) p.json().get("forwardFlow");
            @SuppressWarnings("unchecked")
            Map<String, Object> ctr = (Map<String, Object>) p.json().get("counterFlow");
            side(in, fwd, flowIds);
            side(out, ctr, flowIds);
            // Every present pair's label set gets its gauge (0 once ended), so a pair that started and
            // ended between two rebuilds still shows its series, as 1.x does.
            long live = (Long) p.json().get("endTime") == 0 ? 1L : 0L;
            active.merge(in, live, Long::sum);
            active.merge(out, live, Long::sum);
        }
        countedPairs.retainAll(present);
        countedOctets.keySet().retainAll(flowIds);
        observedLatency.retainAll(flowIds);
        metrics.activeFlows(active);
        Map<String, Long> held = new TreeMap<>();
        for (StoredRecord r : records.values()) {
            held.merge(Codes.typeName(r.type), 1L, Long::sum);
        }
        metrics.held(held);
    }

    private void side(FlowLabels labels, Map<String, Object> flow, Set<String> flowIds) {
        String id = (String) flow.get("identity");
        flowIds.add(id);
        if (flow.get("octets") instanceof Long octets) {
            long before = countedOctets.getOrDefault(id, 0L);
            if (octets > before) {
                metrics.octets(labels, octets - before);
                countedOctets.put(id, octets);
            }
        }
        if (flow.get("latency") instanceof Long latency && observedLatency.add(id)) {
            metrics.latency(labels, latency);
        }
    }

    private static String siteLabel(Derivation d, String siteId) {
        return d.siteName(siteId) + "@_@" + siteId;
    }

    private static String processName(Derivation.Pair p, String side) {
        @SuppressWarnings("unchecked")
        Map<String, Object> f = (Map<String, Object>) p.json().get(side);
        return (String) f.get("processName");
    }
}
