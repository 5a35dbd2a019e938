package io.caravan.traffic.generate;

import java.net.InetSocketAddress;

/**
 * What to send.
 *
 * @param rate               datagrams per second over all exporters; 0 = as fast as possible
 * @param count              datagrams to send in total
 * @param exporters          distinct exporters (source addresses 127.0.0.1.. on loopback, else source ports)
 * @param recordsPerDatagram flow records (or sFlow samples) per datagram
 * @param seed               seeds the flow contents, so two runs send the same bytes
 */
public record GeneratorPlan(Protocol protocol, InetSocketAddress target, long rate, long count, int exporters,
                            int recordsPerDatagram, long seed) {
    public GeneratorPlan {
        if (rate < 0 || count < 0 || exporters < 1 || exporters > 250 || recordsPerDatagram < 1) {
            throw new IllegalArgumentException("rate and count must be >= 0, exporters 1..250, records >= 1");
        }
        int max = switch (protocol) {
            case NETFLOW_V5 -> 30;
            case NETFLOW_V9, IPFIX -> 25;
            case SFLOW -> 10;
        };
        if (recordsPerDatagram > max) {
            throw new IllegalArgumentException(protocol + " carries at most " + max + " records per datagram here");
        }
    }
}
