package io.caravan.api.decode;

import java.nio.ByteBuffer;

/**
 * Input that cannot be decoded: why ({@link Reason}), where (byte offset from the start of the
 * datagram or message) and a hex excerpt of {@value #EXCERPT} bytes either side of that offset,
 * the offset marked with '|'. Checked, and cheap (no stack trace): a decoder throws it, its stage
 * counts it by reason ({@code caravan.decoder.errors{reason}}) and drops only that input. Every
 * decoder plugin uses this one class, so excerpts and reason tags read the same everywhere.
 */
public final class DecodeException extends Exception {
    /** Bytes shown either side of the offset in the excerpt. */
    public static final int EXCERPT = 8;

    /** Why input was rejected; also the {@code reason} tag of {@code caravan.decoder.errors}. */
    public enum Reason {
        /** Shorter than its header, or than a count or length in it says. */
        TRUNCATED,
        /** A version this decoder does not speak. */
        BAD_VERSION,
        /** A message, set, sample or record length is 0, below its structure's size, or beyond what remains. */
        BAD_LENGTH,
        /** A set id reserved by the protocol (IPFIX 0, 1, 4-255). */
        UNKNOWN_SET,
        /** A template or options template record that breaks its own rules (id below 256, scope count 0, ...). */
        BAD_TEMPLATE,
        /** A template with more fields, or a larger record, than any real exporter sends; refused. */
        TEMPLATE_TOO_LARGE,
        /** A variable-length field longer than the rest of its set. */
        FIELD_TOO_LONG,
        /** Data whose template never arrived within the pending timeout, or that a full pending buffer pushed out. */
        MISSING_TEMPLATE,
        /** A template the store refused because its budget (count or bytes) is spent; the datagram is still decoded. */
        TEMPLATE_LIMIT,
        /** An address type other than those the protocol defines. */
        BAD_ADDRESS_TYPE,
        /** A sample, record or element count above the decoder's cap. */
        COUNT_TOO_LARGE,
        /** Text input (JSON, a message envelope) that does not parse or lacks required fields. */
        MALFORMED,
        /** Input larger than the configured limit. */
        TOO_LARGE,
        /** A bug in the decoder (an unchecked exception); the input is dropped. */
        INTERNAL
    }

    private final Reason reason;
    private final int offset;
    private final String excerpt;

    public DecodeException(Reason reason, int offset, String detail, ByteBuffer input) {
        this(reason, offset, detail, Hex.excerpt(input, offset, EXCERPT));
    }

    public DecodeException(Reason reason, int offset, String detail, byte[] input) {
        this(reason, offset, detail, input == null ? "" : Hex.excerpt(ByteBuffer.wrap(input), offset, EXCERPT));
    }

    /** For input that has no bytes to show (text messages): no excerpt. */
    public DecodeException(Reason reason, int offset, String detail) {
        this(reason, offset, detail, "");
    }

    private DecodeException(Reason reason, int offset, String detail, String excerpt) {
        super(reason + " at offset " + offset + ": " + detail + (excerpt.isEmpty() ? "" : " [" + excerpt + "]"),
                null, false, false);
        this.reason = reason;
        this.offset = offset;
        this.excerpt = excerpt;
    }

    public Reason reason() {
        return reason;
    }

    /** Byte offset from the start of the input where the problem was found. */
    public int offset() {
        return offset;
    }

    /** Hex of up to {@value #EXCERPT} bytes before and after the offset, the offset marked with '|'. */
    public String excerpt() {
        return excerpt;
    }
}
