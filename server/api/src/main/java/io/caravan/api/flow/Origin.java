package io.caravan.api.flow;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where a batch came from.
 *
 * @param exporter          the sending exporter (address and port), or null when not from the network
 * @param observationDomain the NetFlow v9 source id, IPFIX observation domain or sFlow sub-agent; 0 if none
 * @param receivedMs        epoch milliseconds when the batch was received
 */
public record Origin(InetSocketAddress exporter, long observationDomain, long receivedMs) {
    public static final Origin UNKNOWN = new Origin(null, 0, 0);

    @Override
    public String toString() {
        return exporter == null ? "unknown" : exporter.getAddress().getHostAddress() + ":" + exporter.getPort()
                + (observationDomain == 0 ? "" : "/" + observationDomain);
    }

    /**
     * The origin of two batches' records put together: the same source (exporter and domain)
     * keeps its earliest receive time; different sources give {@link #UNKNOWN}, since no single
     * exporter sent them (each record still names its own in {@code samplerAddress}).
     */
    public static Origin merge(Origin kept, Origin added) {
        if (!Objects.equals(kept.exporter(), added.exporter())
                || kept.observationDomain() != added.observationDomain()) {
            return UNKNOWN;
        }
        return added.receivedMs() < kept.receivedMs()
                ? new Origin(kept.exporter(), kept.observationDomain(), added.receivedMs()) : kept;
    }
}
