package io.caravan.pipeline.json;

/**
 * Numbers written as ASCII straight into a byte array, in the text Jackson gives them, without a
 * String on the way, two digits per table lookup (addresses and MACs: {@link
 * io.caravan.api.net.AddressText#write} and {@code writeMac}). Each method writes at {@code b[p]},
 * which the caller has made room for, and returns the position after.
 */
final class TextBytes {
    /** The most bytes each method writes: a uint64, an int with its sign. */
    static final int MAX_U64 = 20;
    static final int MAX_I32 = 11;

    /** "00", "01" .. "99": two digits per lookup instead of a division and a remainder each. */
    private static final byte[] PAIRS = new byte[200];
    /** 10^0 .. 10^18, for counting digits. */
    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    private TextBytes() {
    }

    /** The long as unsigned decimal: above Long.MAX_VALUE as Long.toUnsignedString writes it. */
    static int unsigned(byte[] b, int p, long v) {
        if (v >= 0) {
            return decimal(b, p, v);
        }
        long q = (v >>> 1) / 5; // v / 10 unsigned
        p = decimal(b, p, q);
        b[p] = (byte) ('0' + (v - q * 10));
        return p + 1;
    }

    /** The int signed, as Jackson's writeNumber(int). */
    static int signed(byte[] b, int p, int v) {
        if (v >= 0) {
            return decimal(b, p, v);
        }
        b[p] = '-';
        return decimal(b, p + 1, -(long) v);
    }

    /** A non-negative long in decimal, two digits per division, from its last digit back. */
    private static int decimal(byte[] b, int p, long v) {
        int end = p + digits(v);
        int i = end;
        while (v > Integer.MAX_VALUE) {
            long q = v / 100;
            int r = (int) (v - q * 100) << 1;
            b[--i] = PAIRS[r + 1];
            b[--i] = PAIRS[r];
            v = q;
        }
        // Int division from here on: cheaper than long.
        int w = (int) v;
        while (w >= 100) {
            int q = w / 100;
            int r = (w - q * 100) << 1;
            b[--i] = PAIRS[r + 1];
            b[--i] = PAIRS[r];
            w = q;
        }
        if (w >= 10) {
            b[i - 1] = PAIRS[2 * w + 1];
            b[i - 2] = PAIRS[2 * w];
        } else {
            b[i - 1] = (byte) ('0' + w);
        }
        return end;
    }

    /** Decimal digits of a non-negative long: from its bit length, corrected by one comparison. */
    private static int digits(long v) {
        int t = (64 - Long.numberOfLeadingZeros(v)) * 1233 >>> 12; // ~ bits * log10(2)
        return Math.max(1, t + (v >= POW10[t] ? 1 : 0));
    }
}
