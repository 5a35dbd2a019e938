package io.caravan.api.net;

/**
 * Addresses and MACs as text, both ways, without {@link java.net.InetAddress} (which folds
 * IPv4-mapped IPv6 addresses to 4 bytes, writes IPv6 uncompressed and may resolve names).
 * IPv6 is written in RFC 5952 canonical form; an IPv4-mapped address as {@code ::ffff:a.b.c.d}.
 * Text with a ':' always parses to 16 bytes, dotted text to 4, so every address round-trips.
 */
public final class AddressText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private AddressText() {
    }

    /** @throws IllegalArgumentException when the address is neither 4 nor 16 bytes */
    public static String format(byte[] address) {
        if (address.length == 4) {
            return formatV4(address, 0, new StringBuilder(15)).toString();
        }
        if (address.length != 16) {
            throw new IllegalArgumentException("has " + address.length + " bytes; an address has 4 or 16");
        }
        StringBuilder sb = new StringBuilder(39);
        if (isV4Mapped(address)) {
            return formatV4(address, 12, sb.append("::ffff:")).toString();
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && group(address, j) == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(group(address, i)));
        }
        return sb.toString();
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

    private static StringBuilder formatV4(byte[] a, int off, StringBuilder sb) {
        return sb.append(a[off] & 0xFF).append('.').append(a[off + 1] & 0xFF).append('.')
                .append(a[off + 2] & 0xFF).append('.').append(a[off + 3] & 0xFF);
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
        char[] out = new char[17];
        for (int i = 0; i < 6; i++) {
            int b = (int) (mac >>> (40 - 8 * i)) & 0xFF;
            out[3 * i] = HEX[b >>> 4];
            out[3 * i + 1] = HEX[b & 0xF];
            if (i < 5) {
                out[3 * i + 2] = ':';
            }
        }
        return new String(out);
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
