package io.caravan.netflow.wire;

import io.caravan.api.decode.DecodeException;
import io.caravan.api.decode.DecodeException.Reason;
import java.nio.ByteBuffer;

/**
 * IPFIX message header (RFC 7011 §3.1; flow-protocols §3), 16 bytes.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |       Version Number = 10     |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           Export Time                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Sequence Number                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Observation Domain ID                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param length            the whole message in bytes, header included (≤ the datagram)
 * @param exportTime        seconds since the epoch (u32)
 * @param sequence          data records sent before this message in this domain (u32)
 * @param observationDomain the observation domain id (u32)
 */
public record IpfixHeader(int length, long exportTime, long sequence, long observationDomain) {
    public static final int VERSION = 10;
    public static final int SIZE = 16;

    /** Parses and checks version and length: at least the header, at most the datagram (extra bytes are ignored). */
    public static IpfixHeader parse(ByteBuffer b) throws DecodeException {
        if (b.limit() < SIZE) {
            throw new DecodeException(Reason.TRUNCATED, b.limit(), "IPFIX header needs " + SIZE + " bytes, got "
                    + b.limit(), b);
        }
        int version = b.getShort(0) & 0xFFFF;
        if (version != VERSION) {
            throw new DecodeException(Reason.BAD_VERSION, 0, "version " + version + " is not 10", b);
        }
        int length = b.getShort(2) & 0xFFFF;
        if (length < SIZE) {
            throw new DecodeException(Reason.BAD_LENGTH, 2, "message length " + length + " is below the header size", b);
        }
        if (length > b.limit()) {
            throw new DecodeException(Reason.TRUNCATED, b.limit(), "message length " + length + " but the datagram has "
                    + b.limit() + " bytes", b);
        }
        return new IpfixHeader(length, V5Header.u32(b, 4), V5Header.u32(b, 8), V5Header.u32(b, 12));
    }
}
