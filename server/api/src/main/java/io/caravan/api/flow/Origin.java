package io.caravan.api.flow;

import java.net.InetSocketAddress;

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
}
