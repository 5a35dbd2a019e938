package io.caravan.vanflow.source;

import io.caravan.vanflow.event.Beacon;
import io.caravan.vanflow.event.VanFlowListener;
import io.caravan.vanflow.event.VanRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A VanFlowListener that remembers what it was told, and fails the test's assertions if called concurrently. */
final class RecordingListener implements VanFlowListener {
    final List<Beacon> beacons = new CopyOnWriteArrayList<>();
    final List<String> heartbeats = new CopyOnWriteArrayList<>();
    final List<String> lost = new CopyOnWriteArrayList<>();
    final List<VanRecord> records = new CopyOnWriteArrayList<>();
    /** The last attributes seen per identity, merged. */
    final Map<String, Map<Integer, Object>> merged = new ConcurrentHashMap<>();
    final AtomicInteger concurrentCalls = new AtomicInteger();
    private final AtomicBoolean inside = new AtomicBoolean();

    @Override
    public void beacon(Beacon beacon, long nowMs) {
        enter();
        beacons.add(beacon);
        leave();
    }

    @Override
    public void heartbeat(String sourceId, long nowMs) {
        enter();
        heartbeats.add(sourceId);
        leave();
    }

    @Override
    public void records(String sourceId, List<VanRecord> list, long nowMs) {
        enter();
        records.addAll(list);
        for (VanRecord r : list) {
            merged.computeIfAbsent(r.identity(), i -> new ConcurrentHashMap<>()).putAll(r.attributes());
        }
        leave();
    }

    @Override
    public void sourceLost(String sourceId, long nowMs) {
        enter();
        lost.add(sourceId);
        leave();
    }

    private void enter() {
        if (!inside.compareAndSet(false, true)) {
            concurrentCalls.incrementAndGet();
        }
    }

    private void leave() {
        inside.set(false);
    }
}
