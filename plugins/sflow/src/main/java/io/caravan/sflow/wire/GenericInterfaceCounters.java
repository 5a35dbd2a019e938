package io.caravan.sflow.wire;

import io.caravan.api.decode.DecodeException;

/**
 * Generic interface counters (counter record format 1, sflow.h {@code SFLIf_counters}, RFC 2863
 * names), 88 bytes:
 *
 * <pre>
 * ifIndex, ifType, ifSpeed (u64, bits/s), ifDirection (0 unknown, 1 full, 2 half, 3 in, 4 out),
 * ifStatus (bit 0 admin up, bit 1 operationally up), ifInOctets (u64), ifInUcastPkts,
 * ifInMulticastPkts, ifInBroadcastPkts, ifInDiscards, ifInErrors, ifInUnknownProtos,
 * ifOutOctets (u64), ifOutUcastPkts, ifOutMulticastPkts, ifOutBroadcastPkts, ifOutDiscards,
 * ifOutErrors, ifPromiscuousMode
 * </pre>
 */
public record GenericInterfaceCounters(long ifIndex, long ifType, long ifSpeed, long ifDirection, long ifStatus,
                                       long ifInOctets, long ifInUcastPkts, long ifInMulticastPkts,
                                       long ifInBroadcastPkts, long ifInDiscards, long ifInErrors,
                                       long ifInUnknownProtos, long ifOutOctets, long ifOutUcastPkts,
                                       long ifOutMulticastPkts, long ifOutBroadcastPkts, long ifOutDiscards,
                                       long ifOutErrors, long ifPromiscuousMode) implements CounterData {
    public static final int SIZE = 88;

    static GenericInterfaceCounters parse(byte[] b, int at, int end) throws DecodeException {
        Xdr.require(b, at, SIZE, end, DecodeException.Reason.BAD_LENGTH, "generic interface counters");
        return new GenericInterfaceCounters(Xdr.u32(b, at), Xdr.u32(b, at + 4), Xdr.u64(b, at + 8),
                Xdr.u32(b, at + 16), Xdr.u32(b, at + 20), Xdr.u64(b, at + 24), Xdr.u32(b, at + 32),
                Xdr.u32(b, at + 36), Xdr.u32(b, at + 40), Xdr.u32(b, at + 44), Xdr.u32(b, at + 48),
                Xdr.u32(b, at + 52), Xdr.u64(b, at + 56), Xdr.u32(b, at + 64), Xdr.u32(b, at + 68),
                Xdr.u32(b, at + 72), Xdr.u32(b, at + 76), Xdr.u32(b, at + 80), Xdr.u32(b, at + 84));
    }
}
