package io.caravan.server;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the routes fed from outside (UDP listeners, files, brokers, analyzers, timers) before the
 * routes fed by other routes ({@code bus:}, {@code direct:}, {@code seda:}), so a delivery route is
 * still draining when the last batch a collector accepted reaches it. Camel alone stops routes in
 * reverse start order, which is file order here: {@code export-*.yaml} would stop before
 * {@code collect.yaml} and miss what the collectors took in meanwhile.
 */
final class ShutdownOrder {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownOrder.class);
    /** Schemes whose consumers only receive what other routes of this server send. */
    static final Set<String> INTERNAL = Set.of("bus", "direct", "seda", "vm", "disruptor", "stub");

    private ShutdownOrder() {
    }

    /** Gracefully stops every route whose input is not internal, each within {@code timeoutSeconds}. */
    static void stopSources(CamelContext camel, long timeoutSeconds) {
        List<Route> sources = camel.getRoutes().stream().filter(r -> !INTERNAL.contains(scheme(r))).toList();
        for (Route r : sources) {
            try {
                camel.getRouteController().stopRoute(r.getRouteId(), timeoutSeconds, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("Stopping route '{}' first failed ({}); Camel stops it with the rest", r.getRouteId(), e.getMessage());
            }
        }
    }

    private static String scheme(Route r) {
        String uri = r.getEndpoint().getEndpointUri();
        int colon = uri.indexOf(':');
        return colon < 0 ? uri : uri.substring(0, colon);
    }
}
