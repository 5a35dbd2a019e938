package io.caravan.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Counts every route's exchanges as {@code caravan_route_exchanges_total{route,outcome}} and their
 * latency as {@code caravan_route_latency_seconds{route}}, and keeps each route's last error for
 * the admin API. Statistics survive a route being replaced under the same id.
 */
public final class RouteMetrics implements RoutePolicyFactory {
    private final MeterRegistry registry;
    private final Map<String, RouteStats> stats = new ConcurrentHashMap<>();

    public RouteMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One route's counters and last error. */
    public static final class RouteStats {
        private final Counter completed;
        private final Counter failed;
        private final Timer latency;
        private volatile String lastError;
        private volatile Instant lastErrorAt;

        RouteStats(MeterRegistry registry, String route) {
            completed = Counter.builder("caravan.route.exchanges").description("Exchanges a route finished")
                    .tag("route", route).tag("outcome", "completed").register(registry);
            failed = Counter.builder("caravan.route.exchanges").description("Exchanges a route finished")
                    .tag("route", route).tag("outcome", "failed").register(registry);
            latency = Timer.builder("caravan.route.latency").description("Time from an exchange's creation to its end")
                    .tag("route", route).register(registry);
        }

        public long completed() {
            return (long) completed.count();
        }

        public long failed() {
            return (long) failed.count();
        }

        public double meanLatencyMs() {
            return latency.mean(TimeUnit.MILLISECONDS);
        }

        public String lastError() {
            return lastError;
        }

        public Instant lastErrorAt() {
            return lastErrorAt;
        }
    }

    public Optional<RouteStats> stats(String routeId) {
        return Optional.ofNullable(stats.get(routeId));
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        RouteStats s = stats.computeIfAbsent(routeId, id -> new RouteStats(registry, id));
        return new RoutePolicySupport() {
            @Override
            public void onExchangeDone(org.apache.camel.Route r, Exchange exchange) {
                s.latency.record(exchange.getClock().elapsed(), TimeUnit.MILLISECONDS);
                Throwable error = exchange.getException();
                if (error == null) {
                    error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
                }
                if (error == null) {
                    s.completed.increment();
                } else {
                    s.failed.increment();
                    s.lastError = String.valueOf(error.getMessage() == null ? error : error.getMessage());
                    s.lastErrorAt = Instant.now();
                }
            }
        };
    }
}
