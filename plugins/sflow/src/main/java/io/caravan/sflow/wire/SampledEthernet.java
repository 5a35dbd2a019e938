package io.caravan.sflow.wire;

import io.caravan.api.decode.DecodeException;

/**
 * Sampled Ethernet frame (flow record format 2, sflow.h {@code SFLSampled_ethernet}), 24 bytes:
 * eth_len (FCS included), src_mac (6 + 2 pad), dst_mac (6 + 2 pad), eth_type.
 */
public record SampledEthernet(long length, long srcMac, long dstMac, long etherType) implements FlowData {
    public static final int SIZE = 24;

    static SampledEthernet parse(byte[] b, int at, int end) throws DecodeException {
        Xdr.require(b, at, SIZE, end, DecodeException.Reason.BAD_LENGTH, "sampled Ethernet");
        return new SampledEthernet(Xdr.u32(b, at), Xdr.mac(b, at + 4), Xdr.mac(b, at + 12), Xdr.u32(b, at + 20));
    }
}
