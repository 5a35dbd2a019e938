package io.caravan.traffic.datagram.sflow;

import java.util.Arrays;

/** A {@code sampled_header} flow record (format 1): the first bytes of a sampled packet, as the agent took them. */
public final class SampledHeader {
    public static final int FORMAT = 1;

    /** header_protocol values. */
    public static final int HEADER_PROTOCOL_ETHERNET = 1;
    public static final int HEADER_PROTOCOL_IPV4 = 11;
    public static final int HEADER_PROTOCOL_IPV6 = 12;
    public static final int HEADER_PROTOCOL_MPLS = 13;

    /** Bytes added to a frame's length for the FCS that sFlow agents count and strip. */
    public static final int FCS = 4;

    private long headerProtocol = HEADER_PROTOCOL_ETHERNET;
    private long frameLength;
    private long stripped;
    private byte[] header = new byte[0];
    private int headerLengthOverride = -1;
    int declaredLength = -1;

    /** header_protocol: 1 Ethernet, 11 IPv4, 12 IPv6, 13 MPLS, ... */
    public SampledHeader headerProtocol(long protocol) {
        this.headerProtocol = protocol;
        return this;
    }

    /** Original frame length, FCS included. */
    public SampledHeader frameLength(long length) {
        this.frameLength = length;
        return this;
    }

    /** Bytes removed before the header was taken (4 for a stripped FCS). */
    public SampledHeader stripped(long stripped) {
        this.stripped = stripped;
        return this;
    }

    /** The header bytes, as given. */
    public SampledHeader header(byte[] bytes) {
        this.header = bytes.clone();
        return this;
    }

    /** A whole frame without FCS: frame_length = frame + 4, stripped = 4, header = its first {@code headerLength} bytes. */
    public SampledHeader frame(byte[] frame, int headerLength) {
        this.frameLength = frame.length + FCS;
        this.stripped = FCS;
        this.header = Arrays.copyOf(frame, Math.min(Math.max(headerLength, 0), frame.length));
        return this;
    }

    /** Writes this header_length instead of the header's real length. */
    public SampledHeader headerLengthOverride(int length) {
        this.headerLengthOverride = length;
        return this;
    }

    /** Writes this record length instead of the real one. */
    public SampledHeader declaredLength(int length) {
        this.declaredLength = length;
        return this;
    }

    public void write(Xdr x) {
        x.u32(headerProtocol);
        x.u32(frameLength);
        x.u32(stripped);
        x.u32(headerLengthOverride >= 0 ? headerLengthOverride : header.length);
        x.bytes(header);
        x.pad();
    }
}
