package io.caravan.netflow.encode;

/**
 * The state one sequence-number space carries between datagrams: a v9 source id or an IPFIX observation
 * domain (v5 has one stream per endpoint). Guarded by its own monitor: the encoder holds it for a whole
 * batch, so a stream's datagrams are numbered in the order they are built.
 */
final class ExportStream {
    /** v5: flows sent before the next datagram; v9: datagrams sent; IPFIX: data records sent (all mod 2^32). */
    long sequence;
    /** When templates were last sent, epoch ms; meaningless until {@link #templatesSent}. */
    long templatesAtMs;
    /** Datagrams built since templates were last sent. */
    int datagramsSinceTemplates;
    boolean templatesSent;
    final long domain;

    ExportStream(long domain) {
        this.domain = domain;
    }

    /** Whether the next datagram must carry templates: the first one, then by time and/or datagram count. */
    boolean templatesDue(long nowMs, long intervalMs, int everyDatagrams) {
        return !templatesSent
                || intervalMs > 0 && nowMs - templatesAtMs >= intervalMs
                || everyDatagrams > 0 && datagramsSinceTemplates >= everyDatagrams;
    }

    void templatesSent(long nowMs) {
        templatesSent = true;
        templatesAtMs = nowMs;
        datagramsSinceTemplates = 0;
    }
}
