package io.caravan.sflow.wire;

import io.caravan.api.decode.DecodeException;

/**
 * Extended router data (flow record format 1002, sflow.h {@code SFLExtended_router}): next_hop
 * (address: type + 0/4/16 bytes), src_mask_len, dst_mask_len.
 *
 * @param nextHop 4 or 16 bytes, or null for address type 0
 */
public record ExtendedRouter(byte[] nextHop, long srcMaskLen, long dstMaskLen) implements FlowData {

    public static ExtendedRouter parse(byte[] b, int at, int end) throws DecodeException {
        byte[] nextHop = Addresses.read(b, at, end, DecodeException.Reason.BAD_LENGTH, "extended router next hop");
        int p = at + Addresses.size(b, at);
        Xdr.require(b, p, 8, end, DecodeException.Reason.BAD_LENGTH, "extended router masks");
        return new ExtendedRouter(nextHop, Xdr.u32(b, p), Xdr.u32(b, p + 4));
    }
}
