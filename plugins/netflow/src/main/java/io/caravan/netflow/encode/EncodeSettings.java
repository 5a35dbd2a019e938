package io.caravan.netflow.encode;

/**
 * What one {@code encode-netflow} endpoint was configured with.
 *
 * @param version            the wire format
 * @param mtu                the largest datagram payload written, in bytes
 * @param templateIntervalMs re-send templates when this long passed since they were last sent; 0 = never by time
 * @param templatePackets    re-send templates every this many datagrams of a stream; 0 = never by count
 * @param domain             the v9 source id / IPFIX observation domain of every datagram, or -1 to keep
 *                           each record's own (one stream per domain)
 * @param engineType         v5 header engine_type
 * @param engineId           v5 header engine_id
 */
public record EncodeSettings(ExportVersion version, int mtu, long templateIntervalMs, int templatePackets,
                             long domain, int engineType, int engineId) {
}
