package io.caravan.pipeline.protobuf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The protobuf wire format's writing half. Varints are written minimal (LEB128, 7 bits a byte,
 * low group first); a negative {@code long} is its unsigned 64-bit value, 10 bytes.
 *
 * <p>The methods write into an array the caller has sized (the encoder's hot path, {@link
 * FlowWriter}).
 */
final class ProtoWriter {
    static final int WIRE_VARINT = 0;
    static final int WIRE_LENGTH_DELIMITED = 2;
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** The continuation bit of each of eight bytes. */
    private static final long CONTINUE = 0x8080_8080_8080_8080L;

    private ProtoWriter() {
    }

    /** The tag of field {@code number} with {@code wireType}, as written before each value. */
    static int tag(int number, int wireType) {
        return number << 3 | wireType;
    }

    /** The bytes {@link #putVarint} takes for {@code v}: 1 to 10. */
    static int varintSize(long v) {
        // ceil(significant bits / 7), at least 1, as protobuf-java computes it: times 9/64 instead of / 7.
        return (640 - 9 * Long.numberOfLeadingZeros(v)) >>> 6;
    }

    /**
     * Writes {@code v} at {@code b[p]}, which must have room for it; returns the position after it.
     * A value of three bytes or more may also overwrite up to five bytes after them; one or two
     * bytes (tags, and lengths under 16384) write nothing else.
     */
    static int putVarint(byte[] b, int p, long v) {
        // Tags, lengths and most values are 1 or 2 bytes: no loop for them.
        if ((v & ~0x7FL) == 0) {
            b[p] = (byte) v;
            return p + 1;
        }
        if ((v & ~0x3FFFL) == 0) {
            b[p] = (byte) (v | 0x80);
            b[p + 1] = (byte) (v >>> 7);
            return p + 2;
        }
        return putLongVarint(b, p, v);
    }

    /**
     * Three bytes or more: nanosecond times take 9, counters and MACs 3 to 7. The first eight
     * 7-bit groups are spread into the bytes of one long and stored with one write, which may
     * also write bytes past the varint (the caller writes on from the returned position); a byte
     * loop where fewer than eight bytes are left.
     */
    private static int putLongVarint(byte[] b, int p, long v) {
        if (b.length - p < Long.BYTES) {
            while ((v & ~0x7FL) != 0) {
                b[p++] = (byte) (v | 0x80);
                v >>>= 7;
            }
            b[p++] = (byte) v;
            return p;
        }
        long rest = v >>> 56;
        if (rest == 0) {
            int n = varintSize(v);
            // Continuation bits on all but the last of n bytes.
            LONG_LE.set(b, p, spread(v) | CONTINUE >>> (Long.SIZE - 8 * (n - 1)));
            return p + n;
        }
        LONG_LE.set(b, p, spread(v) | CONTINUE);
        p += Long.BYTES;
        if ((rest & ~0x7FL) == 0) {
            b[p] = (byte) rest;
            return p + 1;
        }
        b[p] = (byte) (rest | 0x80);
        b[p + 1] = (byte) (rest >>> 7);
        return p + 2;
    }

    /** The low 56 bits of {@code v} as eight 7-bit groups, one in each byte, low group first. */
    private static long spread(long v) {
        return v & 0x7FL
                | (v & 0x7FL << 7) << 1
                | (v & 0x7FL << 14) << 2
                | (v & 0x7FL << 21) << 3
                | (v & 0x7FL << 28) << 4
                | (v & 0x7FL << 35) << 5
                | (v & 0x7FL << 42) << 6
                | (v & 0x7FL << 49) << 7;
    }
}
