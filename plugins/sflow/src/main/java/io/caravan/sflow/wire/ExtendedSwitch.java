package io.caravan.sflow.wire;

import io.caravan.api.decode.DecodeException;

/**
 * Extended switch data (flow record format 1001, sflow.h {@code SFLExtended_switch}), 16 bytes:
 * src_vlan, src_priority, dst_vlan, dst_priority.
 */
public record ExtendedSwitch(long srcVlan, long srcPriority, long dstVlan, long dstPriority) implements FlowData {
    public static final int SIZE = 16;

    public static ExtendedSwitch parse(byte[] b, int at, int end) throws DecodeException {
        Xdr.require(b, at, SIZE, end, DecodeException.Reason.BAD_LENGTH, "extended switch");
        return new ExtendedSwitch(Xdr.u32(b, at), Xdr.u32(b, at + 4), Xdr.u32(b, at + 8), Xdr.u32(b, at + 12));
    }
}
