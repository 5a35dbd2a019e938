package io.caravan.api.decode;

import java.nio.ByteBuffer;

/** Hex rendering of byte ranges for error messages and attribute values. */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    /** Lower-case hex of {@code length} bytes at absolute {@code offset}. */
    public static String of(ByteBuffer b, int offset, int length) {
        char[] out = new char[length * 2];
        for (int i = 0; i < length; i++) {
            int v = b.get(offset + i) & 0xFF;
            out[2 * i] = DIGITS[v >>> 4];
            out[2 * i + 1] = DIGITS[v & 0xF];
        }
        return new String(out);
    }

    /** Lower-case hex of {@code length} bytes of {@code b} from {@code offset}. */
    public static String of(byte[] b, int offset, int length) {
        return of(ByteBuffer.wrap(b), offset, length);
    }

    /** Hex of up to {@code around} bytes each side of {@code offset} (clamped to the buffer), '|' at the offset. */
    public static String excerpt(ByteBuffer b, int offset, int around) {
        if (b == null || b.limit() == 0) {
            return "";
        }
        int at = Math.max(0, Math.min(offset, b.limit()));
        int from = Math.max(0, at - around);
        int to = Math.min(b.limit(), at + around);
        return of(b, from, at - from) + "|" + of(b, at, to - at);
    }
}
