package io.caravan.netflow.wire;

import java.nio.ByteBuffer;

/**
 * A datagram that cannot be decoded: why ({@link Reason}), where (byte offset from the datagram's start) and a
 * short hex excerpt of the bytes there. Checked: callers count it by reason and drop only that datagram.
 */
public final class DecodeException extends Exception {
    /** Bytes shown either side of the offset in the excerpt. */
    private static final int EXCERPT = 8;

    /** Why a datagram was rejected; also the {@code reason} tag of {@code caravan.decoder.errors}. */
    public enum Reason {
        /** Shorter than its header, or than a count or length in it says. */
        TRUNCATED,
        /** Version is not 5, 9 or 10. */
        BAD_VERSION,
        /** A message, set or FlowSet length is 0, below its header size, or beyond the bytes that remain. */
        BAD_LENGTH,
        /** A set id reserved by the protocol (IPFIX 0, 1, 4-255). */
        UNKNOWN_SET,
        /** A template or options template record that breaks its own rules (id below 256, scope count 0, ...). */
        BAD_TEMPLATE,
        /** A variable-length field longer than the rest of its set. */
        FIELD_TOO_LONG,
        /** Data whose template never arrived within the pending timeout, or that a full pending buffer pushed out. */
        MISSING_TEMPLATE,
        /** A template the store refused because the total template cap is reached (the datagram is still decoded). */
        TEMPLATE_LIMIT,
        /** A bug in the decoder (an unchecked exception); the datagram is dropped. */
        INTERNAL
    }

    private final Reason reason;
    private final int offset;
    private final String excerpt;

    public DecodeException(Reason reason, int offset, String detail, ByteBuffer datagram) {
        super(reason + " at offset " + offset + ": " + detail + excerptSuffix(datagram, offset));
        this.reason = reason;
        this.offset = offset;
        this.excerpt = Hex.excerpt(datagram, offset, EXCERPT);
    }

    public Reason reason() {
        return reason;
    }

    /** Byte offset from the start of the datagram where the problem was found. */
    public int offset() {
        return offset;
    }

    /** Hex of up to 8 bytes before and after the offset, the offset marked with '|'. */
    public String excerpt() {
        return excerpt;
    }

    private static String excerptSuffix(ByteBuffer datagram, int offset) {
        String e = Hex.excerpt(datagram, offset, EXCERPT);
        return e.isEmpty() ? "" : " [" + e + "]";
    }
}
