package io.caravan.pipeline.protobuf;

import java.util.Arrays;

/**
 * The protobuf wire format's writing half, over a growable byte array that is reset and reused
 * (the encoder keeps one per call for the message being built). Varints are written minimal
 * (LEB128, 7 bits a byte, low group first); a negative {@code long} is its unsigned 64-bit value,
 * 10 bytes. Not thread-safe.
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

    void varint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) (v & 0x7F | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
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

    /** Appends what {@code other} holds. */
    void append(ProtoWriter other) {
        raw(other.buf, 0, other.size);
    }

    int size() {
        return size;
    }

    void reset() {
        size = 0;
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
