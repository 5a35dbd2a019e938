package io.caravan.sflow.session;

/**
 * What one datagram added to an agent's loss accounting, for the caller's metrics.
 *
 * @param datagrams datagrams lost (sequence gaps)
 * @param samples   samples lost (per data source sequence gaps)
 * @param drops     growth of the agents' own cumulative drop counters
 */
public record LossDelta(long datagrams, long samples, long drops) {
    public static final LossDelta NONE = new LossDelta(0, 0, 0);
}
