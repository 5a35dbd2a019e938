package io.caravan.sflow.wire;

import io.caravan.api.decode.DecodeException;

/**
 * Ethernet interface counters (counter record format 2, sflow.h {@code SFLEthernet_counters},
 * RFC 2358 dot3Stats), 13 × u32 = 52 bytes, in this order.
 */
public record EthernetCounters(long dot3StatsAlignmentErrors, long dot3StatsFCSErrors,
                               long dot3StatsSingleCollisionFrames, long dot3StatsMultipleCollisionFrames,
                               long dot3StatsSQETestErrors, long dot3StatsDeferredTransmissions,
                               long dot3StatsLateCollisions, long dot3StatsExcessiveCollisions,
                               long dot3StatsInternalMacTransmitErrors, long dot3StatsCarrierSenseErrors,
                               long dot3StatsFrameTooLongs, long dot3StatsInternalMacReceiveErrors,
                               long dot3StatsSymbolErrors) implements CounterData {
    public static final int SIZE = 52;

    static EthernetCounters parse(byte[] b, int at, int end) throws DecodeException {
        Xdr.require(b, at, SIZE, end, DecodeException.Reason.BAD_LENGTH, "Ethernet counters");
        return new EthernetCounters(Xdr.u32(b, at), Xdr.u32(b, at + 4), Xdr.u32(b, at + 8), Xdr.u32(b, at + 12),
                Xdr.u32(b, at + 16), Xdr.u32(b, at + 20), Xdr.u32(b, at + 24), Xdr.u32(b, at + 28),
                Xdr.u32(b, at + 32), Xdr.u32(b, at + 36), Xdr.u32(b, at + 40), Xdr.u32(b, at + 44),
                Xdr.u32(b, at + 48));
    }
}
