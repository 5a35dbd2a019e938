package io.caravan.api.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** An IPv4 or IPv6 prefix such as {@code 10.0.0.0/8} or {@code fd00::/8}, matched against raw address bytes. */
public final class Cidr {
    private final byte[] network;
    private final int prefixLength;
    private final String text;

    private Cidr(byte[] network, int prefixLength, String text) {
        this.network = network;
        this.prefixLength = prefixLength;
        this.text = text;
    }

    /**
     * Parses {@code address/length}; a bare address is a host prefix. Only numeric addresses are
     * accepted (no DNS lookups).
     *
     * @throws IllegalArgumentException with a message saying what is wrong
     */
    public static Cidr parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        String addressPart = slash < 0 ? s : s.substring(0, slash);
        if (addressPart.isEmpty() || !(addressPart.indexOf(':') >= 0 || addressPart.matches("[0-9.]+"))) {
            throw new IllegalArgumentException("'" + text + "' is not a numeric IPv4 or IPv6 prefix");
        }
        byte[] address;
        try {
            address = InetAddress.getByName(addressPart).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not a numeric IPv4 or IPv6 prefix");
        }
        int max = address.length * 8;
        int length = max;
        if (slash >= 0) {
            try {
                length = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' has a prefix length that is not a number");
            }
            if (length < 0 || length > max) {
                throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0.." + max);
            }
        }
        return new Cidr(mask(address, length), length, s);
    }

    private static byte[] mask(byte[] address, int length) {
        byte[] out = Arrays.copyOf(address, address.length);
        for (int bit = length; bit < out.length * 8; bit++) {
            out[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return out;
    }

    /** True when {@code address} (4 or 16 bytes) lies inside this prefix; an address of the other family never does. */
    public boolean contains(byte[] address) {
        if (address == null || address.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int m = (0xFF << (8 - rest)) & 0xFF;
        return (address[full] & m) == (network[full] & 0xFF);
    }

    public int prefixLength() {
        return prefixLength;
    }

    @Override
    public String toString() {
        return text;
    }
}
