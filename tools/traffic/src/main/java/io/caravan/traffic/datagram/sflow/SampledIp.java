package io.caravan.traffic.datagram.sflow;

/** A {@code sampled_ipv4} (format 3) or {@code sampled_ipv6} (format 4) flow record. */
public final class SampledIp {
    public static final int FORMAT_IPV4 = 3;
    public static final int FORMAT_IPV6 = 4;

    private final int addressLength;
    private long length;
    private long protocol;
    private byte[] src;
    private byte[] dst;
    private long srcPort;
    private long dstPort;
    private long tcpFlags;
    private long tos;
    int declaredLength = -1;

    SampledIp(int addressLength) {
        this.addressLength = addressLength;
        this.src = new byte[addressLength];
        this.dst = new byte[addressLength];
    }

    /** IP packet length (the IP header and what follows, no link layer). */
    public SampledIp length(long length) {
        this.length = length;
        return this;
    }

    public SampledIp protocol(long protocol) {
        this.protocol = protocol;
        return this;
    }

    public SampledIp src(String address) {
        return src(Xdr.ipAddress(address));
    }

    public SampledIp src(byte[] address) {
        this.src = checked(address);
        return this;
    }

    public SampledIp dst(String address) {
        return dst(Xdr.ipAddress(address));
    }

    public SampledIp dst(byte[] address) {
        this.dst = checked(address);
        return this;
    }

    public SampledIp srcPort(long port) {
        this.srcPort = port;
        return this;
    }

    public SampledIp dstPort(long port) {
        this.dstPort = port;
        return this;
    }

    public SampledIp tcpFlags(long flags) {
        this.tcpFlags = flags;
        return this;
    }

    /** IPv4 TOS; for IPv6 the priority (traffic class) field. */
    public SampledIp tos(long tos) {
        this.tos = tos;
        return this;
    }

    public SampledIp priority(long priority) {
        return tos(priority);
    }

    public SampledIp declaredLength(int length) {
        this.declaredLength = length;
        return this;
    }

    private byte[] checked(byte[] address) {
        if (address.length != addressLength) {
            throw new IllegalArgumentException("expected a " + addressLength + "-byte address");
        }
        return address.clone();
    }

    public void write(Xdr x) {
        x.u32(length);
        x.u32(protocol);
        x.bytes(src);
        x.bytes(dst);
        x.u32(srcPort);
        x.u32(dstPort);
        x.u32(tcpFlags);
        x.u32(tos);
    }
}
