package io.caravan.netflow.wire;

import io.caravan.api.decode.DecodeException;
import io.caravan.api.decode.DecodeException.Reason;
import java.nio.ByteBuffer;

/**
 * Set (IPFIX, RFC 7011 §3.3.2) or FlowSet (v9, RFC 3954 §5.2) header, 4 bytes; the length covers the header,
 * the records and trailing padding.
 * <pre>
 * | Set ID / FlowSet ID (2) | Length (2) |
 * </pre>
 *
 * @param offset where the set starts in the datagram
 * @param setId  0/1 v9 (options) template, 2/3 IPFIX (options) template, ≥ 256 data (the template id)
 * @param length the set length in bytes, header included
 */
public record SetHeader(int offset, int setId, int length) {
    public static final int SIZE = 4;

    /**
     * Reads the set header at {@code offset} and checks its length: at least {@link #SIZE} (a length of 0 would
     * loop forever) and no further than {@code end}.
     */
    public static SetHeader parse(ByteBuffer b, int offset, int end) throws DecodeException {
        int id = b.getShort(offset) & 0xFFFF;
        int length = b.getShort(offset + 2) & 0xFFFF;
        if (length < SIZE) {
            throw new DecodeException(Reason.BAD_LENGTH, offset + 2, "set " + id + " has length " + length
                    + ", below its 4-byte header", b);
        }
        if (offset + length > end) {
            throw new DecodeException(Reason.BAD_LENGTH, offset + 2, "set " + id + " has length " + length + " but only "
                    + (end - offset) + " bytes remain", b);
        }
        return new SetHeader(offset, id, length);
    }

    /** First byte after the header. */
    public int bodyOffset() {
        return offset + SIZE;
    }

    /** First byte after the set. */
    public int end() {
        return offset + length;
    }
}
