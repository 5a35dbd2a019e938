package io.caravan.sflow.wire;

import io.caravan.api.decode.DecodeException;

/**
 * Sampled IPv4 (flow record format 3, sflow.h {@code SFLSampled_ipv4}), 32 bytes: length (IP
 * packet, no link layer), protocol, src_ip, dst_ip, src_port, dst_port, tcp_flags, tos.
 */
public record SampledIpv4(long length, long protocol, byte[] srcAddress, byte[] dstAddress, long srcPort, long dstPort,
                          long tcpFlags, long tos) implements FlowData {
    public static final int SIZE = 32;

    static SampledIpv4 parse(byte[] b, int at, int end) throws DecodeException {
        Xdr.require(b, at, SIZE, end, DecodeException.Reason.BAD_LENGTH, "sampled IPv4");
        return new SampledIpv4(Xdr.u32(b, at), Xdr.u32(b, at + 4), Xdr.bytes(b, at + 8, 4), Xdr.bytes(b, at + 12, 4),
                Xdr.u32(b, at + 16), Xdr.u32(b, at + 20), Xdr.u32(b, at + 24), Xdr.u32(b, at + 28));
    }
}
