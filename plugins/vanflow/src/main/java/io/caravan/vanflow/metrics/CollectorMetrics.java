package io.caravan.vanflow.metrics;

import io.caravan.api.metrics.Counter;
import io.caravan.api.metrics.Histogram;
import io.caravan.api.metrics.Meters;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * The collector's meters. Flow meters carry the Skupper 1.x names and labels so the console's
 * PromQL works unchanged ({@code flows_total}, {@code octets_total}, {@code active_flows},
 * {@code flow_latency_microseconds}); health meters are Caravan's own, under {@code caravan.vanflow.}.
 * Series are created on first use and cached, never per record. Thread-safe.
 */
public final class CollectorMetrics {
    /** The 1.x latency buckets, µs (spec §3.5). */
    public static final double[] LATENCY_BUCKETS = {1e3, 2e3, 5e3, 1e4, 1e5, 1e6, 1e7};

    private final Meters meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<FlowLabels, Counter> flows = new ConcurrentHashMap<>();
    private final Map<FlowLabels, Counter> octets = new ConcurrentHashMap<>();
    private final Map<FlowLabels, Histogram> latency = new ConcurrentHashMap<>();
    private final Map<FlowLabels, AtomicLong> active = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> held = new ConcurrentHashMap<>();

    public CollectorMetrics(Meters meters) {
        this.meters = meters;
    }

    /** Registers the gauges that read the state itself. */
    public void eventSources(DoubleSupplier live) {
        meters.gauge("caravan.vanflow.event_sources", live);
    }

    public void recordsReceived(String type) {
        counter("caravan.vanflow.records.received", "type", type).increment();
    }

    /** An attribute code or record type this collector does not know; skipped. */
    public void unknown(String kind) {
        counter("caravan.vanflow.unknown", "kind", kind).increment();
    }

    public void sourcePurged() {
        counter("caravan.vanflow.purges").increment();
    }

    /** Records removed because their end is older than the TTL. */
    public void expired(long n) {
        if (n > 0) {
            counter("caravan.vanflow.records.expired").increment(n);
        }
    }

    /**
     * Records lost to {@code caravan.vanflow.max.records}: {@code ended} = an ended record dropped early
     * to make room; {@code refused} = a new identity not stored because every held record was live.
     */
    public void dropped(String reason) {
        counter("caravan.vanflow.records.dropped", "reason", reason).increment();
    }

    /** Sets the records-held gauge of each type (registered on first sight of the type). */
    public void held(Map<String, Long> byType) {
        held.values().forEach(v -> v.set(0));
        byType.forEach((type, n) -> held.computeIfAbsent(type, t -> {
            AtomicLong v = new AtomicLong();
            meters.gauge("caravan.vanflow.records.held", v::get, "type", t);
            return v;
        }).set(n));
    }

    public void flowStarted(FlowLabels labels) {
        flows.computeIfAbsent(labels, l -> meters.counter("flows", l.tags())).increment();
    }

    public void octets(FlowLabels labels, long delta) {
        if (delta > 0) {
            octets.computeIfAbsent(labels, l -> meters.counter("octets", l.tags())).increment(delta);
        }
    }

    public void latency(FlowLabels labels, long micros) {
        latency.computeIfAbsent(labels, l -> meters.histogram("flow_latency_microseconds", LATENCY_BUCKETS, l.tags()))
                .record(micros);
    }

    /** Sets {@code active_flows} per label set; label sets no longer present read 0. */
    public void activeFlows(Map<FlowLabels, Long> live) {
        active.values().forEach(v -> v.set(0));
        live.forEach((labels, n) -> active.computeIfAbsent(labels, l -> {
            AtomicLong v = new AtomicLong();
            meters.gauge("active_flows", v::get, l.tags());
            return v;
        }).set(n));
    }

    private Counter counter(String name, String... tags) {
        return counters.computeIfAbsent(name + String.join(",", tags), k -> meters.counter(name, tags));
    }
}
