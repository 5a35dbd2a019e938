package io.caravan.netflow.wire;

import io.caravan.api.decode.DecodeException;
import io.caravan.api.decode.DecodeException.Reason;
import java.nio.ByteBuffer;

/**
 * NetFlow v9 packet header (RFC 3954 §5.1; flow-protocols §2), 20 bytes.
 * <pre>
 * | version(2)=9 | count(2) | sysUptime(4) | unix_secs(4) | sequence(4) | source_id(4) |
 * </pre>
 * {@code count} is the total of records in the packet; it never bounds parsing (the datagram length does).
 *
 * @param count     records (templates, options templates, data) the exporter says it sent
 * @param sysUptime ms since boot (u32)
 * @param unixSecs  export time, seconds (u32)
 * @param sequence  export packets sent before this one for this source id (u32)
 * @param sourceId  the exporter's observation domain (u32)
 */
public record V9Header(int count, long sysUptime, long unixSecs, long sequence, long sourceId) {
    public static final int VERSION = 9;
    public static final int SIZE = 20;

    public static V9Header parse(ByteBuffer b) throws DecodeException {
        if (b.limit() < SIZE) {
            throw new DecodeException(Reason.TRUNCATED, b.limit(), "NetFlow v9 header needs " + SIZE + " bytes, got "
                    + b.limit(), b);
        }
        int version = b.getShort(0) & 0xFFFF;
        if (version != VERSION) {
            throw new DecodeException(Reason.BAD_VERSION, 0, "version " + version + " is not 9", b);
        }
        return new V9Header(b.getShort(2) & 0xFFFF, V5Header.u32(b, 4), V5Header.u32(b, 8), V5Header.u32(b, 12),
                V5Header.u32(b, 16));
    }

    /** Export time in epoch ms (v9 has no sub-second field). */
    public long exportMs() {
        return unixSecs * 1000;
    }
}
