package io.caravan.netflow.wire;

import io.caravan.api.decode.DecodeException;
import io.caravan.api.decode.DecodeException.Reason;
import java.nio.ByteBuffer;

/**
 * NetFlow v5 header (flow-protocols §1), 24 bytes, followed by {@code count} 48-byte records.
 * <pre>
 * | version(2)=5 | count(2) | sys_uptime(4) | unix_secs(4) | unix_nsecs(4) | flow_sequence(4) |
 * | engine_type(1) | engine_id(1) | sampling_interval(2): mode(2 bits) interval(14 bits) |
 * </pre>
 *
 * @param count            records in the datagram
 * @param sysUptime        ms since the exporter booted (u32)
 * @param unixSecs         export time, seconds (u32)
 * @param unixNsecs        residual nanoseconds (u32)
 * @param flowSequence     flows sent before this datagram (u32)
 * @param engineType       engine type
 * @param engineId         engine id
 * @param samplingMode     top 2 bits of the sampling field
 * @param samplingInterval low 14 bits of the sampling field (0 = not announced)
 */
public record V5Header(int count, long sysUptime, long unixSecs, long unixNsecs, long flowSequence, int engineType,
                       int engineId, int samplingMode, int samplingInterval) {
    public static final int VERSION = 5;
    public static final int SIZE = 24;
    public static final int RECORD_SIZE = 48;

    /** Parses and checks the header at offset 0: version, and that {@code count} records fit in the datagram. */
    public static V5Header parse(ByteBuffer b) throws DecodeException {
        if (b.limit() < SIZE) {
            throw new DecodeException(Reason.TRUNCATED, b.limit(), "NetFlow v5 header needs " + SIZE + " bytes, got "
                    + b.limit(), b);
        }
        int version = b.getShort(0) & 0xFFFF;
        if (version != VERSION) {
            throw new DecodeException(Reason.BAD_VERSION, 0, "version " + version + " is not 5", b);
        }
        int count = b.getShort(2) & 0xFFFF;
        if (SIZE + (long) count * RECORD_SIZE > b.limit()) {
            throw new DecodeException(Reason.TRUNCATED, b.limit(), "count " + count + " needs "
                    + (SIZE + (long) count * RECORD_SIZE) + " bytes, got " + b.limit(), b);
        }
        int sampling = b.getShort(22) & 0xFFFF;
        return new V5Header(count, u32(b, 4), u32(b, 8), u32(b, 12), u32(b, 16), b.get(20) & 0xFF, b.get(21) & 0xFF,
                sampling >>> 14, sampling & 0x3FFF);
    }

    /** Export time in epoch ms: unix_secs·1000 + unix_nsecs/10^6. */
    public long exportMs() {
        return unixSecs * 1000 + unixNsecs / 1_000_000L;
    }

    static long u32(ByteBuffer b, int at) {
        return b.getInt(at) & 0xFFFFFFFFL;
    }
}
