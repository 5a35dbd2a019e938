package io.caravan.udp;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoint's counts as Micrometer meters, in the registry the Camel registry holds. The only
 * class that touches Micrometer, so the component still works (without meters) where Micrometer
 * is missing.
 */
final class UdpMeters implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UdpMeters.class);

    private final MeterRegistry registry;
    private final List<Meter> meters;

    private UdpMeters(MeterRegistry registry, List<Meter> meters) {
        this.registry = registry;
        this.meters = meters;
    }

    /**
     * Registers the meters of {@code endpoint} when the Camel registry holds a {@link MeterRegistry}.
     *
     * @return what to close to remove them, or null when there is no registry
     */
    static AutoCloseable register(CamelContext camel, UdpEndpoint endpoint) {
        Set<MeterRegistry> found;
        try {
            found = camel.getRegistry().findByType(MeterRegistry.class);
        } catch (LinkageError e) {
            LOG.debug("{}: Micrometer is not available, no meters: {}", endpoint.getConfiguration().address(), e.toString());
            return null;
        }
        if (found == null || found.isEmpty()) {
            LOG.debug("{}: no MeterRegistry in the Camel registry, no meters", endpoint.getConfiguration().address());
            return null;
        }
        MeterRegistry registry = found.iterator().next();
        String tag = endpoint.getConfiguration().address();
        List<Meter> meters = List.of(
                FunctionCounter.builder(UdpConstants.METER_DATAGRAMS, endpoint, UdpEndpoint::getDatagrams)
                        .description("Datagrams read from the sockets: processed, queued or dropped")
                        .tag(UdpConstants.TAG_ENDPOINT, tag).register(registry),
                FunctionCounter.builder(UdpConstants.METER_QUEUE_DROPS, endpoint, UdpEndpoint::getQueueDrops)
                        .description("Datagrams dropped because the worker queue was full")
                        .tag(UdpConstants.TAG_ENDPOINT, tag).register(registry),
                FunctionCounter.builder(UdpConstants.METER_PROCESS_ERRORS, endpoint, UdpEndpoint::getProcessErrors)
                        .description("Datagrams whose exchange failed in the route")
                        .tag(UdpConstants.TAG_ENDPOINT, tag).register(registry),
                Gauge.builder(UdpConstants.METER_QUEUE_DEPTH, endpoint, UdpEndpoint::getQueueDepth)
                        .description("Datagrams waiting in the worker queue")
                        .tag(UdpConstants.TAG_ENDPOINT, tag).register(registry));
        return new UdpMeters(registry, meters);
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
