package io.caravan.server.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;

/**
 * Who holds each plugin meter. Micrometer hands every registration of the same name and tags the
 * same meter, so two contexts (two endpoints of one stage, a component and a bean of one plugin)
 * can share one; it leaves the registry only when the last context holding it closes, or the
 * other context's counts would silently stop being exported.
 */
public final class MeterLeases {
    private final MeterRegistry registry;
    private final Map<Meter.Id, Integer> holders = new HashMap<>();

    public MeterLeases(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** One more context holds the meter. */
    synchronized void acquire(Meter meter) {
        holders.merge(meter.getId(), 1, Integer::sum);
    }

    /** One context less holds the meter; the last one out removes it from the registry. */
    synchronized void release(Meter meter) {
        Integer left = holders.computeIfPresent(meter.getId(), (id, n) -> n == 1 ? null : n - 1);
        if (left == null) {
            registry.remove(meter);
        }
    }
}
