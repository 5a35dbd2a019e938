package io.caravan.sflow.wire;

import io.caravan.api.decode.DecodeException;

/**
 * Sampled IPv6 (flow record format 4, sflow.h {@code SFLSampled_ipv6}), 56 bytes: length (IP
 * packet, no link layer), protocol, src_ip (16), dst_ip (16), src_port, dst_port, tcp_flags, priority.
 */
public record SampledIpv6(long length, long protocol, byte[] srcAddress, byte[] dstAddress, long srcPort, long dstPort,
                          long tcpFlags, long priority) implements FlowData {
    public static final int SIZE = 56;

    static SampledIpv6 parse(byte[] b, int at, int end) throws DecodeException {
        Xdr.require(b, at, SIZE, end, DecodeException.Reason.BAD_LENGTH, "sampled IPv6");
        return new SampledIpv6(Xdr.u32(b, at), Xdr.u32(b, at + 4), Xdr.bytes(b, at + 8, 16), Xdr.bytes(b, at + 24, 16),
                Xdr.u32(b, at + 40), Xdr.u32(b, at + 44), Xdr.u32(b, at + 48), Xdr.u32(b, at + 52));
    }
}
