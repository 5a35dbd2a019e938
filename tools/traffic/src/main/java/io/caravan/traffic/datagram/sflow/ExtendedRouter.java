package io.caravan.traffic.datagram.sflow;

/** An {@code extended_router} flow record (format 1002): next hop and prefix lengths. */
public final class ExtendedRouter {
    public static final int FORMAT = 1002;

    private byte[] nextHop = new byte[4];
    private long srcMaskLen;
    private long dstMaskLen;

    public ExtendedRouter nextHop(String address) {
        return nextHop(Xdr.ipAddress(address));
    }

    public ExtendedRouter nextHop(byte[] address) {
        this.nextHop = address.clone();
        return this;
    }

    public ExtendedRouter srcMaskLen(long bits) {
        this.srcMaskLen = bits;
        return this;
    }

    public ExtendedRouter dstMaskLen(long bits) {
        this.dstMaskLen = bits;
        return this;
    }

    public void write(Xdr x) {
        x.address(nextHop);
        x.u32(srcMaskLen);
        x.u32(dstMaskLen);
    }
}
