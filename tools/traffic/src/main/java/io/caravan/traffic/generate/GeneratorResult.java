package io.caravan.traffic.generate;

/**
 * What was sent.
 *
 * @param datagrams  datagrams sent
 * @param records    flow records (or samples) in them
 * @param refused    datagrams not sent because the target refused an earlier one (ICMP port unreachable:
 *                   nothing was listening)
 * @param elapsedNs  wall time
 */
public record GeneratorResult(long datagrams, long records, long refused, long elapsedNs) {
    public double datagramsPerSecond() {
        return elapsedNs == 0 ? 0 : datagrams * 1e9 / elapsedNs;
    }
}
