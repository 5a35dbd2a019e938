package io.caravan.sflow.map;

/**
 * An address as text without {@link java.net.InetAddress} (no lookups): IPv4 dotted, IPv6 in RFC
 * 5952 form ({@code 2001:db8::1}), IPv4-mapped IPv6 as {@code ::ffff:a.b.c.d}.
 */
public final class AddressText {
    private AddressText() {
    }

    /** @throws IllegalArgumentException when the address is neither 4 nor 16 bytes */
    public static String format(byte[] a) {
        if (a.length == 4) {
            return v4(a, 0, new StringBuilder(15)).toString();
        }
        if (a.length != 16) {
            throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + a.length);
        }
        StringBuilder sb = new StringBuilder(39);
        if (isV4Mapped(a)) {
            return v4(a, 12, sb.append("::ffff:")).toString();
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
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(group(a, i)));
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

    private static StringBuilder v4(byte[] a, int off, StringBuilder sb) {
        return sb.append(a[off] & 0xFF).append('.').append(a[off + 1] & 0xFF).append('.').append(a[off + 2] & 0xFF)
                .append('.').append(a[off + 3] & 0xFF);
    }
}
