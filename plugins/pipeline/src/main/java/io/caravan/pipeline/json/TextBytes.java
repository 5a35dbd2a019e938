package io.caravan.pipeline.json;

/**
 * Numbers and IPv4 addresses written as ASCII straight into a byte array, in the text Jackson
 * (numbers) and {@link io.caravan.api.net.AddressText#write} (addresses) give them, without a
 * String on the way, by table lookups rather than a division per digit (IPv6 addresses and MACs:
 * {@code AddressText.write} and {@code writeMac}). Each method writes at {@code b[p]}, which the
 * caller has made room for, and returns the position after.
 */
final class TextBytes {
    /** The most bytes each method writes: a uint64, an int with its sign. */
    static final int MAX_U64 = 20;
    static final int MAX_I32 = 11;

    /** "00", "01" .. "99": two digits per lookup instead of a division and a remainder each. */
    private static final byte[] PAIRS = new byte[200];
    /** Each octet's text in 4 bytes: its length, then its 1 to 3 digits (padded with NUL bytes). */
    private static final byte[] OCTETS = new byte[256 * 4];
    /** 10^0 .. 10^18, for counting digits. */
    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
        for (int i = 0; i < 256; i++) {
            String text = Integer.toString(i);
            OCTETS[4 * i] = (byte) text.length();
            for (int k = 0; k < text.length(); k++) {
                OCTETS[4 * i + 1 + k] = (byte) text.charAt(k);
            }
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

    /**
     * A 4-byte address as dotted decimal, as {@link io.caravan.api.net.AddressText#write} writes
     * it: each octet from a table, three bytes copied whatever its length (b needs room for two
     * more bytes after the text; the caller writes over them).
     */
    static int ipv4(byte[] b, int p, byte[] a) {
        p = octet(b, p, a[0] & 0xFF);
        b[p++] = '.';
        p = octet(b, p, a[1] & 0xFF);
        b[p++] = '.';
        p = octet(b, p, a[2] & 0xFF);
        b[p++] = '.';
        return octet(b, p, a[3] & 0xFF);
    }

    private static int octet(byte[] b, int p, int v) {
        int t = v << 2;
        b[p] = OCTETS[t + 1];
        b[p + 1] = OCTETS[t + 2];
        b[p + 2] = OCTETS[t + 3];
        return p + OCTETS[t];
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
