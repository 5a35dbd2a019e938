package io.caravan.traffic.datagram.sflow;

/** A {@code sampled_ethernet} flow record (format 2). */
public final class SampledEthernet {
    public static final int FORMAT = 2;

    private long length;
    private long srcMac;
    private long dstMac;
    private long type;

    /** MAC frame length, FCS included. */
    public SampledEthernet length(long length) {
        this.length = length;
        return this;
    }

    public SampledEthernet srcMac(long mac) {
        this.srcMac = mac;
        return this;
    }

    public SampledEthernet dstMac(long mac) {
        this.dstMac = mac;
        return this;
    }

    public SampledEthernet type(long etherType) {
        this.type = etherType;
        return this;
    }

    public void write(Xdr x) {
        x.u32(length);
        x.mac(srcMac);
        x.mac(dstMac);
        x.u32(type);
    }
}
