package io.caravan.traffic.datagram.sflow;

/** Ethernet interface counters ({@code ethernet_counters}, counter record format 2), named as in RFC 2358 dot3Stats. */
public final class EthernetCounters {
    public static final int FORMAT = 2;

    private long alignmentErrors;
    private long fcsErrors;
    private long singleCollisionFrames;
    private long multipleCollisionFrames;
    private long sqeTestErrors;
    private long deferredTransmissions;
    private long lateCollisions;
    private long excessiveCollisions;
    private long internalMacTransmitErrors;
    private long carrierSenseErrors;
    private long frameTooLongs;
    private long internalMacReceiveErrors;
    private long symbolErrors;

    public EthernetCounters dot3StatsAlignmentErrors(long v) { alignmentErrors = v; return this; }
    public EthernetCounters dot3StatsFCSErrors(long v) { fcsErrors = v; return this; }
    public EthernetCounters dot3StatsSingleCollisionFrames(long v) { singleCollisionFrames = v; return this; }
    public EthernetCounters dot3StatsMultipleCollisionFrames(long v) { multipleCollisionFrames = v; return this; }
    public EthernetCounters dot3StatsSQETestErrors(long v) { sqeTestErrors = v; return this; }
    public EthernetCounters dot3StatsDeferredTransmissions(long v) { deferredTransmissions = v; return this; }
    public EthernetCounters dot3StatsLateCollisions(long v) { lateCollisions = v; return this; }
    public EthernetCounters dot3StatsExcessiveCollisions(long v) { excessiveCollisions = v; return this; }
    public EthernetCounters dot3StatsInternalMacTransmitErrors(long v) { internalMacTransmitErrors = v; return this; }
    public EthernetCounters dot3StatsCarrierSenseErrors(long v) { carrierSenseErrors = v; return this; }
    public EthernetCounters dot3StatsFrameTooLongs(long v) { frameTooLongs = v; return this; }
    public EthernetCounters dot3StatsInternalMacReceiveErrors(long v) { internalMacReceiveErrors = v; return this; }
    public EthernetCounters dot3StatsSymbolErrors(long v) { symbolErrors = v; return this; }

    public void write(Xdr x) {
        x.u32(alignmentErrors);
        x.u32(fcsErrors);
        x.u32(singleCollisionFrames);
        x.u32(multipleCollisionFrames);
        x.u32(sqeTestErrors);
        x.u32(deferredTransmissions);
        x.u32(lateCollisions);
        x.u32(excessiveCollisions);
        x.u32(internalMacTransmitErrors);
        x.u32(carrierSenseErrors);
        x.u32(frameTooLongs);
        x.u32(internalMacReceiveErrors);
        x.u32(symbolErrors);
    }
}
