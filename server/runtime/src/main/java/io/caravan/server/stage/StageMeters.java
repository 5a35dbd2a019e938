package io.caravan.server.stage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-stage, per-route record counters: {@code caravan_stage_records_total{stage,route,outcome}}
 * with outcome in, out or dropped, and {@code caravan_stage_errors_total{stage,route}}. Counters
 * are looked up once per route and cached, never per record.
 */
final class StageMeters {
    private final MeterRegistry registry;
    private final String stage;
    private final Map<String, RouteMeters> byRoute = new ConcurrentHashMap<>();

    StageMeters(MeterRegistry registry, String stage) {
        this.registry = registry;
        this.stage = stage;
    }

    RouteMeters forRoute(String routeId) {
        return byRoute.computeIfAbsent(routeId == null ? "unknown" : routeId, this::create);
    }

    private RouteMeters create(String route) {
        return new RouteMeters(
                counter("caravan.stage.records", route, "in"),
                counter("caravan.stage.records", route, "out"),
                counter("caravan.stage.records", route, "dropped"),
                Counter.builder("caravan.stage.errors").description("Messages a stage failed")
                        .tag("stage", stage).tag("route", route).register(registry));
    }

    private Counter counter(String name, String route, String outcome) {
        return Counter.builder(name).description("Records into, out of and dropped by a stage")
                .tag("stage", stage).tag("route", route).tag("outcome", outcome).register(registry);
    }

    /** Removes this stage's meters, so an unloaded plugin leaves no series behind. */
    void remove() {
        byRoute.values().forEach(m -> {
            registry.remove(m.in);
            registry.remove(m.out);
            registry.remove(m.dropped);
            registry.remove(m.errors);
        });
        byRoute.clear();
    }

    record RouteMeters(Counter in, Counter out, Counter dropped, Counter errors) {
    }
}
