package io.caravan.traffic.datagram.sflow;

/** Generic interface counters ({@code if_counters}, counter record format 1), named as in RFC 2863 / sFlow. */
public final class IfCounters {
    public static final int FORMAT = 1;

    private long ifIndex;
    private long ifType;
    private long ifSpeed;
    private long ifDirection;
    private long ifStatus;
    private long ifInOctets;
    private long ifInUcastPkts;
    private long ifInMulticastPkts;
    private long ifInBroadcastPkts;
    private long ifInDiscards;
    private long ifInErrors;
    private long ifInUnknownProtos;
    private long ifOutOctets;
    private long ifOutUcastPkts;
    private long ifOutMulticastPkts;
    private long ifOutBroadcastPkts;
    private long ifOutDiscards;
    private long ifOutErrors;
    private long ifPromiscuousMode;

    public IfCounters ifIndex(long v) { ifIndex = v; return this; }
    public IfCounters ifType(long v) { ifType = v; return this; }
    /** Bits per second (u64). */
    public IfCounters ifSpeed(long v) { ifSpeed = v; return this; }
    /** 0 unknown, 1 full duplex, 2 half duplex, 3 in, 4 out. */
    public IfCounters ifDirection(long v) { ifDirection = v; return this; }
    /** Bit 0 admin up, bit 1 operational up. */
    public IfCounters ifStatus(long v) { ifStatus = v; return this; }
    public IfCounters ifInOctets(long v) { ifInOctets = v; return this; }
    public IfCounters ifInUcastPkts(long v) { ifInUcastPkts = v; return this; }
    public IfCounters ifInMulticastPkts(long v) { ifInMulticastPkts = v; return this; }
    public IfCounters ifInBroadcastPkts(long v) { ifInBroadcastPkts = v; return this; }
    public IfCounters ifInDiscards(long v) { ifInDiscards = v; return this; }
    public IfCounters ifInErrors(long v) { ifInErrors = v; return this; }
    public IfCounters ifInUnknownProtos(long v) { ifInUnknownProtos = v; return this; }
    public IfCounters ifOutOctets(long v) { ifOutOctets = v; return this; }
    public IfCounters ifOutUcastPkts(long v) { ifOutUcastPkts = v; return this; }
    public IfCounters ifOutMulticastPkts(long v) { ifOutMulticastPkts = v; return this; }
    public IfCounters ifOutBroadcastPkts(long v) { ifOutBroadcastPkts = v; return this; }
    public IfCounters ifOutDiscards(long v) { ifOutDiscards = v; return this; }
    public IfCounters ifOutErrors(long v) { ifOutErrors = v; return this; }
    public IfCounters ifPromiscuousMode(long v) { ifPromiscuousMode = v; return this; }

    public void write(Xdr x) {
        x.u32(ifIndex);
        x.u32(ifType);
        x.u64(ifSpeed);
        x.u32(ifDirection);
        x.u32(ifStatus);
        x.u64(ifInOctets);
        x.u32(ifInUcastPkts);
        x.u32(ifInMulticastPkts);
        x.u32(ifInBroadcastPkts);
        x.u32(ifInDiscards);
        x.u32(ifInErrors);
        x.u32(ifInUnknownProtos);
        x.u64(ifOutOctets);
        x.u32(ifOutUcastPkts);
        x.u32(ifOutMulticastPkts);
        x.u32(ifOutBroadcastPkts);
        x.u32(ifOutDiscards);
        x.u32(ifOutErrors);
        x.u32(ifPromiscuousMode);
    }
}
