package io.caravan.skydive.source;

import java.nio.charset.StandardCharsets;

/**
 * Just enough of the protobuf wire format to read a {@code StructMessage}: tags, varints,
 * length-delimited fields, and skipping fixed32/fixed64 fields it does not know. Every read is
 * bounds-checked; a truncated or malformed input gives a {@link MalformedEnvelopeException}.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] buf;
    private final int end;
    private int pos;

    ProtoReader(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    boolean hasMore() {
        return pos < end;
    }

    int position() {
        return pos;
    }

    /** The next tag: field number << 3 | wire type. */
    long readTag() throws MalformedEnvelopeException {
        long tag = readVarint();
        if (tag >>> 3 == 0) {
            throw new MalformedEnvelopeException("protobuf field number 0 at byte " + pos);
        }
        return tag;
    }

    long readVarint() throws MalformedEnvelopeException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw new MalformedEnvelopeException("protobuf varint truncated at byte " + pos);
            }
            byte b = buf[pos++];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
        throw new MalformedEnvelopeException("protobuf varint longer than 10 bytes at byte " + pos);
    }

    /** The length of a length-delimited field, checked against what is left; the position moves past the length. */
    int readLength() throws MalformedEnvelopeException {
        long len = readVarint();
        if (len < 0 || len > end - pos) {
            throw new MalformedEnvelopeException("protobuf length " + len + " runs past the end of the frame ("
                    + (end - pos) + " bytes left)");
        }
        return (int) len;
    }

    String readString() throws MalformedEnvelopeException {
        int len = readLength();
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    void skip(int wireType) throws MalformedEnvelopeException {
        switch (wireType) {
            case VARINT -> readVarint();
            case FIXED64 -> advance(8);
            case LENGTH_DELIMITED -> advance(readLength());
            case FIXED32 -> advance(4);
            default -> throw new MalformedEnvelopeException("protobuf wire type " + wireType + " is not supported");
        }
    }

    void advance(int n) throws MalformedEnvelopeException {
        if (n > end - pos) {
            throw new MalformedEnvelopeException("protobuf field runs past the end of the frame");
        }
        pos += n;
    }
}
