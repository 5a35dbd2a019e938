package io.caravan.sflow.wire;

import io.caravan.api.decode.DecodeException;

/**
 * The sFlow v5 datagram header (sFlow version 5, section "sFlow Datagram Format";
 * sflow.h {@code SFLSample_datagram_hdr}):
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       version (= 5)                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        agent address type (0 unknown, 1 IPv4, 2 IPv6)         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              agent address (0, 4 or 16 bytes)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        sub_agent_id                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        sequence_number (datagrams per agent + sub-agent)      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     uptime (milliseconds)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        num_samples                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * All u32 values widened to long.
 *
 * @param agentAddress  4 or 16 bytes, or null for address type 0
 * @param samplesOffset where the first sample starts
 */
public record DatagramHeader(long version, long agentAddressType, byte[] agentAddress, long subAgentId,
                             long sequence, long uptimeMs, long sampleCount, int samplesOffset) {
    public static final int VERSION = 5;
    /** Size without the agent address bytes. */
    public static final int SIZE = 24;

    /** Parses the header at the start of {@code b}: version first, then the address type, then the rest. */
    public static DatagramHeader parse(byte[] b) throws DecodeException {
        int end = b.length;
        Xdr.require(b, 0, 4, end, DecodeException.Reason.TRUNCATED, "datagram version");
        long version = Xdr.u32(b, 0);
        if (version != VERSION) {
            throw new DecodeException(DecodeException.Reason.BAD_VERSION, 0, "version " + version + ", expected 5", b);
        }
        byte[] agent = Addresses.read(b, 4, end, DecodeException.Reason.TRUNCATED, "agent");
        int at = 4 + Addresses.size(b, 4);
        Xdr.require(b, at, 16, end, DecodeException.Reason.TRUNCATED, "datagram header");
        return new DatagramHeader(version, Xdr.u32(b, 4), agent, Xdr.u32(b, at), Xdr.u32(b, at + 4),
                Xdr.u32(b, at + 8), Xdr.u32(b, at + 12), at + 16);
    }
}
