package io.caravan.sflow.wire;

import io.caravan.api.decode.DecodeException;

/**
 * sFlow {@code address}: a type word (0 unknown, 1 IPv4, 2 IPv6) then 0, 4 or 16 bytes.
 */
public final class Addresses {
    public static final int UNKNOWN = 0;
    public static final int IPV4 = 1;
    public static final int IPV6 = 2;

    private Addresses() {
    }

    /** Bytes the address body takes for {@code type}, or -1 for an invalid type. */
    public static int length(long type) {
        if (type == UNKNOWN) {
            return 0;
        }
        if (type == IPV4) {
            return 4;
        }
        return type == IPV6 ? 16 : -1;
    }

    /**
     * Reads the address at {@code at} (type word included) within {@code end}.
     *
     * @return the address bytes, or null for type 0
     */
    public static byte[] read(byte[] b, int at, int end, DecodeException.Reason shortReason, String what)
            throws DecodeException {
        check(b, at, end, shortReason, what);
        return readChecked(b, at);
    }

    /** The address at {@code at} once {@link #check} has passed it: its bytes, or null for type 0. */
    public static byte[] readChecked(byte[] b, int at) {
        int n = length(Xdr.u32(b, at));
        return n == 0 ? null : Xdr.bytes(b, at + 4, n);
    }

    /**
     * Checks the address at {@code at} (type word included) within {@code end}, as {@link #read}
     * does, without reading it.
     *
     * @return the bytes of its body: 0, 4 or 16
     */
    public static int check(byte[] b, int at, int end, DecodeException.Reason shortReason, String what)
            throws DecodeException {
        // The messages are built only on failure: this runs for every next hop of every sample.
        if (at + 4 > end) {
            Xdr.require(b, at, 4, end, shortReason, what + " address type");
        }
        long type = Xdr.u32(b, at);
        int n = length(type);
        if (n < 0) {
            throw new DecodeException(DecodeException.Reason.BAD_ADDRESS_TYPE, at, what + " address type " + type, b);
        }
        if (at + 4 + n > end) {
            Xdr.require(b, at + 4, n, end, shortReason, what + " address");
        }
        return n;
    }

    /** Bytes the address at {@code at} (type word included) takes; call after {@link #read}. */
    public static int size(byte[] b, int at) {
        return 4 + length(Xdr.u32(b, at));
    }
}
