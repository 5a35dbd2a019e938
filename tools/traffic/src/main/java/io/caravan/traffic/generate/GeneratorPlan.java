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
    /** Exporters play 127.0.0.1 to 127.0.0.250 on loopback. */
    public static final int MAX_EXPORTERS = 250;

    public GeneratorPlan {
        if (rate < 0 || count < 0 || exporters < 1 || exporters > MAX_EXPORTERS) {
            throw new IllegalArgumentException("rate and count must be >= 0, exporters 1.." + MAX_EXPORTERS);
        }
        if (recordsPerDatagram < 1 || recordsPerDatagram > protocol.maxRecords()) {
            throw new IllegalArgumentException(protocol.cliName() + " carries 1 to " + protocol.maxRecords()
                    + " records per datagram here");
        }
    }
}
