package io.caravan.traffic.datagram.sflow;

/** An {@code extended_switch} flow record (format 1001): VLANs and priorities in and out. */
public final class ExtendedSwitch {
    public static final int FORMAT = 1001;

    private long srcVlan;
    private long srcPriority;
    private long dstVlan;
    private long dstPriority;

    public ExtendedSwitch srcVlan(long vlan) {
        this.srcVlan = vlan;
        return this;
    }

    public ExtendedSwitch srcPriority(long priority) {
        this.srcPriority = priority;
        return this;
    }

    public ExtendedSwitch dstVlan(long vlan) {
        this.dstVlan = vlan;
        return this;
    }

    public ExtendedSwitch dstPriority(long priority) {
        this.dstPriority = priority;
        return this;
    }

    public void write(Xdr x) {
        x.u32(srcVlan);
        x.u32(srcPriority);
        x.u32(dstVlan);
        x.u32(dstPriority);
    }
}
