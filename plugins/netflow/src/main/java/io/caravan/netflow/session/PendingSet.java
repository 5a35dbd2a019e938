package io.caravan.netflow.session;

/**
 * A data set that arrived before its template, copied out of its datagram with the header values it needs to
 * be decoded later.
 *
 * @param version    9 or 10
 * @param domain     source id / observation domain
 * @param templateId the set id (template it waits for)
 * @param body       the set's records (without the set header)
 * @param exportMs   the datagram's export time, epoch ms
 * @param sysUptime  the v9 header's sysUptime (0 for IPFIX)
 * @param sequence   the datagram's header sequence
 * @param receivedMs when the datagram was received
 */
public record PendingSet(int version, long domain, int templateId, byte[] body, long exportMs, long sysUptime,
                         long sequence, long receivedMs) {
}
