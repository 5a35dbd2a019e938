package io.caravan.sflow.wire;

/**
 * A datagram that cannot be decoded: why ({@link Reason}), where (byte offset into the datagram)
 * and a short hex excerpt of the bytes there. The whole datagram is dropped; nothing else (no
 * per-agent state) is touched by the decoder.
 */
public final class DecodeException extends Exception {
    /** Bytes shown from the failing offset. */
    public static final int EXCERPT_BYTES = 16;

    /** What is wrong with a datagram. */
    public enum Reason {
        /** The datagram ends before a field or before the end of a sample it declares. */
        TRUNCATED,
        /** The datagram version is not 5. */
        BAD_VERSION,
        /** A declared length is past the end of its enclosing sample or record, or too short for its structure. */
        BAD_LENGTH,
        /** An address type other than 0 (unknown), 1 (IPv4) or 2 (IPv6). */
        BAD_ADDRESS_TYPE,
        /** A sample or record count above the cap (1000). */
        COUNT_TOO_LARGE
    }

    private final Reason reason;
    private final int offset;
    private final String excerpt;

    public DecodeException(Reason reason, int offset, String detail, byte[] datagram) {
        this(reason, offset, detail, excerpt(datagram, offset));
    }

    private DecodeException(Reason reason, int offset, String detail, String excerpt) {
        super(reason + " at offset " + offset + ": " + detail + " [" + excerpt + "]", null, false, false);
        this.reason = reason;
        this.offset = offset;
        this.excerpt = excerpt;
    }

    public Reason reason() {
        return reason;
    }

    /** Byte offset into the datagram where the problem is. */
    public int offset() {
        return offset;
    }

    /** Up to {@value #EXCERPT_BYTES} bytes from the offset as spaced hex ("" at the end). */
    public String excerpt() {
        return excerpt;
    }

    static String excerpt(byte[] b, int offset) {
        if (b == null || offset < 0 || offset >= b.length) {
            return "";
        }
        int end = Math.min(b.length, offset + EXCERPT_BYTES);
        StringBuilder sb = new StringBuilder(3 * (end - offset));
        for (int i = offset; i < end; i++) {
            if (i > offset) {
                sb.append(' ');
            }
            sb.append(Character.forDigit((b[i] >> 4) & 0xF, 16)).append(Character.forDigit(b[i] & 0xF, 16));
        }
        return sb.toString();
    }
}
