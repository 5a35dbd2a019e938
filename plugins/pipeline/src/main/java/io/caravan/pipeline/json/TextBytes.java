package io.caravan.pipeline.json;

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
    private static final byte[] V4_MAPPED = {':', ':', 'f', 'f', 'f', 'f', ':'};

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

    /**
     * An address of 4 or 16 bytes (the caller checks) as {@link io.caravan.api.net.AddressText#format}
     * writes it: dotted IPv4, IPv6 in RFC 5952 form, IPv4-mapped IPv6 as {@code ::ffff:a.b.c.d}.
     */
    static int address(byte[] b, int p, byte[] a) {
        return a.length == 4 ? ipv4(b, p, a, 0) : ipv6(b, p, a);
    }

    private static int ipv4(byte[] b, int p, byte[] a, int off) {
        p = octet(b, p, a[off] & 0xFF);
        b[p++] = '.';
        p = octet(b, p, a[off + 1] & 0xFF);
        b[p++] = '.';
        p = octet(b, p, a[off + 2] & 0xFF);
        b[p++] = '.';
        return octet(b, p, a[off + 3] & 0xFF);
    }

    private static int octet(byte[] b, int p, int v) {
        if (v >= 100) {
            b[p++] = (byte) ('0' + v / 100);
            v %= 100;
            b[p++] = (byte) ('0' + v / 10);
        } else if (v >= 10) {
            b[p++] = (byte) ('0' + v / 10);
        }
        b[p] = (byte) ('0' + v % 10);
        return p + 1;
    }

    /** AddressText's algorithm step for step: the first longest run of two or more zero groups becomes "::". */
    private static int ipv6(byte[] b, int p, byte[] a) {
        if (isV4Mapped(a)) {
            System.arraycopy(V4_MAPPED, 0, b, p, V4_MAPPED.length);
            return ipv4(b, p + V4_MAPPED.length, a, 12);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && group(a, j) == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        int start = p;
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b[p++] = ':';
                b[p++] = ':';
                i += bestLength - 1;
                continue;
            }
            if (p > start && b[p - 1] != ':') {
                b[p++] = ':';
            }
            p = hexGroup(b, p, group(a, i));
        }
        return p;
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
    }

    private static int group(byte[] a, int i) {
        return (a[2 * i] & 0xFF) << 8 | a[2 * i + 1] & 0xFF;
    }

    /** As Integer.toHexString: lower case, no leading zeros. */
    private static int hexGroup(byte[] b, int p, int v) {
        for (int shift = v >= 0x1000 ? 12 : v >= 0x100 ? 8 : v >= 0x10 ? 4 : 0; shift >= 0; shift -= 4) {
            b[p++] = HEX[v >>> shift & 0xF];
        }
        return p;
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
