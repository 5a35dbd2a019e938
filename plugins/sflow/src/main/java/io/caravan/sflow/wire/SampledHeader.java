package io.caravan.sflow.wire;

import io.caravan.api.decode.DecodeException;

/**
 * Raw packet header (flow record format 1, sflow.h {@code SFLSampled_header}), 16 bytes then the
 * header bytes padded to 4:
 *
 * <pre>
 * header_protocol   1 Ethernet, 11 IPv4, 12 IPv6, 13 MPLS, ...
 * frame_length      original length of the packet, FCS included
 * stripped          bytes removed before the header was taken (typically the 4-byte FCS)
 * header_length     bytes of header that follow
 * header[header_length], zero-padded to 4
 * </pre>
 *
 * The header bytes are not copied: {@code data[offset, offset + headerLength)} of the datagram.
 */
public record SampledHeader(long headerProtocol, long frameLength, long stripped, int headerLength, byte[] data,
                            int offset) implements FlowData {
    public static final int SIZE = 16;

    public static final int PROTOCOL_ETHERNET = 1;
    public static final int PROTOCOL_IPV4 = 11;
    public static final int PROTOCOL_IPV6 = 12;
    public static final int PROTOCOL_MPLS = 13;

    public static SampledHeader parse(byte[] b, int at, int end) throws DecodeException {
        Xdr.require(b, at, SIZE, end, DecodeException.Reason.BAD_LENGTH, "raw packet header");
        long headerLength = Xdr.u32(b, at + 12);
        Xdr.require(b, at + SIZE, headerLength, end, DecodeException.Reason.BAD_LENGTH, "raw packet header bytes");
        return new SampledHeader(Xdr.u32(b, at), Xdr.u32(b, at + 4), Xdr.u32(b, at + 8), (int) headerLength, b,
                at + SIZE);
    }
}
