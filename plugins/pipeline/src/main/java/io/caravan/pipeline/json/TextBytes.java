package io.caravan.pipeline.json;

import io.caravan.api.net.AddressText;

/**
 * Numbers, addresses and MACs written as ASCII straight into a byte array, in the text Jackson
 * and {@link io.caravan.api.net.AddressText} give them, without a String on the way. Each method
 * writes at {@code b[p]}, which the caller has made room for, and returns the position after.
 */
final class TextBytes {
    /** The most bytes each method writes: a uint64, an int with its sign, an address (IPv6), a MAC. */
    static final int MAX_U64 = 20;
    static final int MAX_I32 = 11;
    static final int MAX_ADDRESS = 39;
    static final int MAX_MAC = 17;

    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};

    /** 10^0 .. 10^18, for counting digits. */
    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
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
            int r = (int) (v - q * 100);
            b[--i] = (byte) ('0' + r % 10);
            b[--i] = (byte) ('0' + r / 10);
            v = q;
        }
        // Int division from here on: cheaper than long.
        int w = (int) v;
        while (w >= 100) {
            int q = w / 100;
            int r = w - q * 100;
            b[--i] = (byte) ('0' + r % 10);
            b[--i] = (byte) ('0' + r / 10);
            w = q;
        }
        if (w >= 10) {
            b[--i] = (byte) ('0' + w % 10);
            w /= 10;
        }
        b[i - 1] = (byte) ('0' + w);
        return end;
    }

    /** Decimal digits of a non-negative long: from its bit length, corrected by one comparison. */
    private static int digits(long v) {
        int t = (64 - Long.numberOfLeadingZeros(v)) * 1233 >>> 12; // ~ bits * log10(2)
        return Math.max(1, t + (v >= POW10[t] ? 1 : 0));
    }

    /** An address of 4 or 16 bytes (the caller checks), as {@link AddressText#format} writes it. */
    static int address(byte[] b, int p, byte[] a) {
        return AddressText.write(a, b, p);
    }

    /** The low 48 bits as {@code aa:bb:cc:dd:ee:ff}, as AddressText.formatMac. */
    static int mac(byte[] b, int p, long mac) {
        for (int shift = 40; shift > 0; shift -= 8) {
            int v = (int) (mac >>> shift);
            b[p] = HEX[v >>> 4 & 0xF];
            b[p + 1] = HEX[v & 0xF];
            b[p + 2] = ':';
            p += 3;
        }
        b[p] = HEX[(int) mac >>> 4 & 0xF];
        b[p + 1] = HEX[(int) mac & 0xF];
        return p + 2;
    }
}
