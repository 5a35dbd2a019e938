package io.caravan.netflow.map;

import io.caravan.api.flow.FlowType;

/**
 * What data records of one datagram share: the header values they are decoded against and the sampling
 * knowledge at hand. Built once per datagram (or per buffered data set), read-only.
 *
 * @param type           NETFLOW_V9 or IPFIX
 * @param exportMs       export time, epoch ms (v9 unix_secs·1000, IPFIX export_time·1000)
 * @param sysUptime      v9 header sysUptime ms (anchor of 21/22), 0 for IPFIX
 * @param sequence       header sequence, copied to every record
 * @param domain         v9 source id / IPFIX observation domain id
 * @param receivedMs     when the datagram was received (time fallback and timeReceivedNs)
 * @param samplerAddress the exporter address bytes, copied by reference into every record
 * @param sysInitMs      IPFIX systemInitTimeMilliseconds (160) known from options data, 0 if unknown
 * @param rates          announced rates by sampler id for this exporter and domain
 * @param defaultRate    rate for records that name no sampler: system-scope options rate, else the
 *                       configured per-exporter rate, else 0 (unknown)
 */
public record DataContext(FlowType type, long exportMs, long sysUptime, long sequence, long domain, long receivedMs,
                          byte[] samplerAddress, long sysInitMs, SamplerRates rates, long defaultRate) {

    public boolean isV9() {
        return type == FlowType.NETFLOW_V9;
    }
}
