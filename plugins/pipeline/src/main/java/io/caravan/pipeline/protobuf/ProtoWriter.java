package io.caravan.pipeline.protobuf;

import java.util.Arrays;

/**
 * The protobuf wire format's writing half. Varints are written minimal (LEB128, 7 bits a byte,
 * low group first); a negative {@code long} is its unsigned 64-bit value, 10 bytes.
 *
 * <p>The static methods write into an array the caller has sized (the encoder's hot path, {@link
 * FlowWriter}); an instance is a growable buffer, which the generic {@link ProtoField}-driven
 * writer uses. Not thread-safe.
 */
final class ProtoWriter {
    static final int WIRE_VARINT = 0;
    static final int WIRE_LENGTH_DELIMITED = 2;

    private byte[] buf;
    private int size;

    ProtoWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
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

    void varint(long v) {
        ensure(10);
        size = putVarint(buf, size, v);
    }

    /** A varint field, left out when 0 (proto3). */
    void varintField(int tag, long v) {
        if (v != 0) {
            varint(tag);
            varint(v);
        }
    }

    /** A length-delimited field, left out when null. */
    void bytesField(int tag, byte[] value) {
        if (value != null) {
            varint(tag);
            varint(value.length);
            raw(value, 0, value.length);
        }
    }

    void raw(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
    }
}
