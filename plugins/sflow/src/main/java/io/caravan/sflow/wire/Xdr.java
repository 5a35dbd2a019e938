package io.caravan.sflow.wire;

import io.caravan.api.decode.DecodeException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Absolute big-endian reads from a byte array, XDR style (RFC 4506: 4-byte units, opaque data
 * zero-padded to 4). Reads do not check bounds themselves: every structure first checks with
 * {@link #require} that its bytes lie inside its bounded slice, then reads. Nothing is copied
 * except addresses.
 */
public final class Xdr {
    // One bounds-checked load per value instead of one per byte.
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

    private Xdr() {
    }

    public static long u32(byte[] b, int at) {
        return (int) INT.get(b, at) & 0xFFFFFFFFL;
    }

    /** An unsigned 64-bit value in a long (values above 2^63-1 read negative). */
    public static long u64(byte[] b, int at) {
        return (u32(b, at) << 32) | u32(b, at + 4);
    }

    public static int u16(byte[] b, int at) {
        return (short) SHORT.get(b, at) & 0xFFFF;
    }

    /** Six bytes as the low 48 bits of a long. */
    public static long mac(byte[] b, int at) {
        return ((long) u16(b, at) << 32) | u32(b, at + 2);
    }

    /** {@code n} rounded up to a multiple of 4. */
    public static long padded(long n) {
        return (n + 3) & ~3L;
    }

    /**
     * Checks that {@code n} bytes starting at {@code at} lie before {@code end}.
     *
     * @throws DecodeException with {@code reason} when they don't
     */
    public static void require(byte[] b, int at, long n, int end, DecodeException.Reason reason, String what)
            throws DecodeException {
        if (n < 0 || at + n > end) {
            throw new DecodeException(reason, at, what + " needs " + n + " bytes, " + Math.max(0, end - at) + " left", b);
        }
    }

    /** A copy of {@code n} bytes. */
    public static byte[] bytes(byte[] b, int at, int n) {
        byte[] out = new byte[n];
        System.arraycopy(b, at, out, 0, n);
        return out;
    }
}
