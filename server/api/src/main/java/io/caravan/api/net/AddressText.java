package io.caravan.api.net;

import java.nio.charset.StandardCharsets;

/**
 * Addresses and MACs as text, both ways, without {@link java.net.InetAddress} (which folds
 * IPv4-mapped IPv6 addresses to 4 bytes, writes IPv6 uncompressed and may resolve names).
 * IPv6 is written in RFC 5952 canonical form; an IPv4-mapped address as {@code ::ffff:a.b.c.d}.
 * Text with a ':' always parses to 16 bytes, dotted text to 4, so every address round-trips.
 */
public final class AddressText {
    /** The longest text {@link #write} gives: eight IPv6 groups of four digits and seven colons. */
    public static final int MAX_TEXT = 39;
    /** The length of a MAC's text, {@code aa:bb:cc:dd:ee:ff}. */
    public static final int MAC_TEXT = 17;
    private static final byte[] HEX_BYTES = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
    private static final byte[] V4_MAPPED = {':', ':', 'f', 'f', 'f', 'f', ':'};

    private AddressText() {
    }

    /** @throws IllegalArgumentException when the address is neither 4 nor 16 bytes */
    public static String format(byte[] address) {
        byte[] text = new byte[MAX_TEXT];
        return new String(text, 0, write(address, text, 0), StandardCharsets.US_ASCII);
    }

    /**
     * Writes the address as {@link #format} does, in ASCII, into {@code b} from {@code p}, for
     * encoders that write bytes (at most {@value #MAX_TEXT} of them); returns the position after it.
     *
     * @throws IllegalArgumentException when the address is neither 4 nor 16 bytes
     */
    public static int write(byte[] a, byte[] b, int p) {
        if (a.length == 4) {
            return ipv4(b, p, a, 0);
        }
        if (a.length != 16) {
            throw new IllegalArgumentException("has " + a.length + " bytes; an address has 4 or 16");
        }
        return ipv6(b, p, a);
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

    /** RFC 5952: the first longest run of two or more zero groups becomes "::". */
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
            b[p++] = HEX_BYTES[v >>> shift & 0xF];
        }
        return p;
    }

    /** @throws IllegalArgumentException saying what is wrong */
    public static byte[] parse(String text) {
        byte[] out;
        if (text.indexOf(':') < 0) {
            out = new byte[4];
            parseV4(text, out, 0);
        } else {
            out = parseV6(text);
        }
        return out;
    }

    private static void parseV4(String text, byte[] out, int off) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw notAnAddress(text);
        }
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw notAnAddress(text);
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw notAnAddress(text);
            }
            out[off + i] = (byte) v;
        }
    }

    private static byte[] parseV6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            throw notAnAddress(text);
        }
        byte[] head = new byte[16];
        byte[] tail = new byte[16];
        int headBytes = groups(gap < 0 ? text : text.substring(0, gap), gap < 0, text, head);
        int tailBytes = gap < 0 ? 0 : groups(text.substring(gap + 2), true, text, tail);
        if (gap < 0 ? headBytes != 16 : headBytes + tailBytes > 14) {
            throw notAnAddress(text);
        }
        System.arraycopy(tail, 0, head, 16 - tailBytes, tailBytes);
        return head;
    }

    /**
     * Parses ':'-separated hex groups into out; returns the bytes written. When {@code last}, the
     * part ends the address and its final group may be dotted IPv4.
     */
    private static int groups(String part, boolean last, String text, byte[] out) {
        if (part.isEmpty()) {
            return 0;
        }
        String[] groups = part.split(":", -1);
        int n = 0;
        for (int i = 0; i < groups.length; i++) {
            String g = groups[i];
            if (last && i == groups.length - 1 && g.indexOf('.') >= 0) {
                if (n + 4 > 16) {
                    throw notAnAddress(text);
                }
                parseV4(g, out, n);
                return n + 4;
            }
            if (g.isEmpty() || g.length() > 4 || n + 2 > 16) {
                throw notAnAddress(text);
            }
            int v = 0;
            for (int k = 0; k < g.length(); k++) {
                int d = Character.digit(g.charAt(k), 16);
                if (d < 0) {
                    throw notAnAddress(text);
                }
                v = v << 4 | d;
            }
            out[n++] = (byte) (v >>> 8);
            out[n++] = (byte) v;
        }
        return n;
    }

    private static IllegalArgumentException notAnAddress(String text) {
        return new IllegalArgumentException("'" + text + "' is not a numeric IPv4 or IPv6 address");
    }

    /** The low 48 bits as {@code aa:bb:cc:dd:ee:ff}. */
    public static String formatMac(long mac) {
        byte[] text = new byte[MAC_TEXT];
        writeMac(mac, text, 0);
        return new String(text, StandardCharsets.US_ASCII);
    }

    /**
     * Writes the MAC as {@link #formatMac} does, {@value #MAC_TEXT} ASCII bytes into {@code b} from
     * {@code p}, for encoders that write bytes; returns the position after it.
     */
    public static int writeMac(long mac, byte[] b, int p) {
        for (int shift = 40; shift >= 0; shift -= 8) {
            int v = (int) (mac >>> shift);
            b[p++] = HEX_BYTES[v >>> 4 & 0xF];
            b[p++] = HEX_BYTES[v & 0xF];
            if (shift > 0) {
                b[p++] = ':';
            }
        }
        return p;
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff} (either case) into the low 48 bits. */
    public static long parseMac(String text) {
        if (text.length() != 17) {
            throw notAMac(text);
        }
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            int hi = Character.digit(text.charAt(3 * i), 16);
            int lo = Character.digit(text.charAt(3 * i + 1), 16);
            if (hi < 0 || lo < 0 || i < 5 && text.charAt(3 * i + 2) != ':') {
                throw notAMac(text);
            }
            mac = mac << 8 | hi << 4 | lo;
        }
        return mac;
    }

    private static IllegalArgumentException notAMac(String text) {
        return new IllegalArgumentException("'" + text + "' is not a MAC address (aa:bb:cc:dd:ee:ff)");
    }
}
