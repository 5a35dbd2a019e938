package io.caravan.pipeline.protobuf;

/**
 * The protobuf wire format's reading half over a byte array, bounded by a limit that a
 * length-delimited message pushes and pops; nothing is ever read past the limit. Offsets in error
 * messages are from the start of the array. Not thread-safe.
 */
final class ProtoReader {
    static final int WIRE_VARINT = 0;
    static final int WIRE_FIXED64 = 1;
    static final int WIRE_LENGTH_DELIMITED = 2;
    static final int WIRE_START_GROUP = 3;
    static final int WIRE_END_GROUP = 4;
    static final int WIRE_FIXED32 = 5;

    private final byte[] buf;
    private int pos;
    private int limit;

    ProtoReader(byte[] buf) {
        this.buf = buf;
        this.limit = buf.length;
    }

    int position() {
        return pos;
    }

    boolean hasRemaining() {
        return pos < limit;
    }

    /** An unsigned varint of up to 10 bytes (64 bits; bits beyond them are an error). */
    long varint() throws ProtoException {
        int start = pos;
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= limit) {
                throw new ProtoException("truncated varint at byte " + start);
            }
            byte b = buf[pos++];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                if (shift == 63 && b > 1) {
                    break;
                }
                return v;
            }
        }
        throw new ProtoException("varint at byte " + start + " is longer than 64 bits");
    }

    /** A length for a length-delimited value: a varint that must fit in the bytes left. */
    int length() throws ProtoException {
        int at = pos;
        long n = varint();
        if (n < 0 || n > limit - pos) {
            throw new ProtoException("length " + Long.toUnsignedString(n) + " at byte " + at + " runs past the end ("
                    + (limit - pos) + " bytes left)");
        }
        return (int) n;
    }

    /** The value of a length-delimited field. */
    byte[] bytes() throws ProtoException {
        int n = length();
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    /** Limits reading to the next {@code n} bytes (checked by {@link #length()}); returns the limit to restore. */
    int pushLimit(int n) {
        int old = limit;
        limit = pos + n;
        return old;
    }

    void popLimit(int old) {
        limit = old;
    }

    /** Skips the value of an unknown field whose tag is at byte {@code at}. */
    void skip(int wireType, long number, int at) throws ProtoException {
        switch (wireType) {
            case WIRE_VARINT -> varint();
            case WIRE_FIXED64 -> advance(8, number, at);
            case WIRE_LENGTH_DELIMITED -> {
                int n = length();
                pos += n;
            }
            case WIRE_FIXED32 -> advance(4, number, at);
            default -> throw new ProtoException("field " + number + " at byte " + at + " has wire type " + wireType
                    + (wireType == WIRE_START_GROUP || wireType == WIRE_END_GROUP ? " (group), which FlowMessage never uses"
                    : ", which does not exist"));
        }
    }

    private void advance(int n, long number, int at) throws ProtoException {
        if (limit - pos < n) {
            throw new ProtoException("field " + number + " at byte " + at + ": truncated " + n * 8 + "-bit value");
        }
        pos += n;
    }
}
