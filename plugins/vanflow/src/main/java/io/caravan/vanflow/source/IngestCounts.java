package io.caravan.vanflow.source;

import io.caravan.api.metrics.Counter;
import io.caravan.api.metrics.Meters;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one endpoint name has counted for the component's life (so counts carry on across route
 * restarts): each {@code caravan.vanflow.ingest.*} meter of {@link VanFlowConstants}, tagged
 * {@code endpoint=<name>}, and readable here for tests and the endpoint's getters. Thread-safe.
 */
final class IngestCounts {
    private final Meters meters;
    private final String endpoint;
    private final Map<String, LongAdder> values = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    /** The running consumer's count of known event sources; 0 while none runs. */
    private volatile java.util.function.IntSupplier activeSources = () -> 0;

    IngestCounts(Meters meters, String endpoint) {
        this.meters = meters;
        this.endpoint = endpoint;
        for (String name : new String[] {VanFlowConstants.METER_BEACONS, VanFlowConstants.METER_HEARTBEATS,
            VanFlowConstants.METER_RECORD_MESSAGES, VanFlowConstants.METER_RECORDS, VanFlowConstants.METER_FLUSHES,
            VanFlowConstants.METER_SOURCES, VanFlowConstants.METER_PURGES, VanFlowConstants.METER_UNKNOWN_TYPES,
            VanFlowConstants.METER_UNKNOWN_CODES, VanFlowConstants.METER_MALFORMED,
            VanFlowConstants.METER_MALFORMED_RECORDS, VanFlowConstants.METER_QUEUE_DROPS,
            VanFlowConstants.METER_CONNECTS, VanFlowConstants.METER_FLOW_DROPS,
            VanFlowConstants.METER_FLOW_RECORDS}) {
            values.put(name, new LongAdder());
            counters.put(name, meters.counter(name, VanFlowConstants.TAG_ENDPOINT, endpoint));
        }
        meters.gauge(VanFlowConstants.METER_SOURCES_ACTIVE, () -> activeSources.getAsInt(),
                VanFlowConstants.TAG_ENDPOINT, endpoint);
    }

    void activeSources(java.util.function.IntSupplier source) {
        activeSources = source;
    }

    void add(String name, long n) {
        if (n != 0) {
            values.get(name).add(n);
            counters.get(name).increment(n);
        }
    }

    void add(String name) {
        add(name, 1);
    }

    /** The count so far of one {@link VanFlowConstants} meter. */
    long get(String name) {
        LongAdder a = values.get(name);
        return a == null ? 0 : a.sum();
    }

}
