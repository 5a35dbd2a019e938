package io.caravan.pipeline.protobuf;

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

    /** Writes {@code v} at {@code b[p]}, which must have room for it; returns the position after it. */
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

    private static int putLongVarint(byte[] b, int p, long v) {
        while ((v & ~0x7FL) != 0) {
            b[p++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        return p;
    }
}
