package io.caravan.traffic.datagram.sflow;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Consumer;

/**
 * An XDR writer (RFC 4506) as sFlow uses it: big-endian 32-bit words, opaque data zero-padded to a
 * multiple of 4, and the sFlow framing of samples and records (data format, length, body).
 */
public final class Xdr {
    /** address type: unknown (no address bytes follow). */
    public static final int ADDRESS_UNKNOWN = 0;
    public static final int ADDRESS_IPV4 = 1;
    public static final int ADDRESS_IPV6 = 2;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    public void u32(long v) {
        out.write((int) (v >>> 24) & 0xFF);
        out.write((int) (v >>> 16) & 0xFF);
        out.write((int) (v >>> 8) & 0xFF);
        out.write((int) v & 0xFF);
    }

    public void u64(long v) {
        u32(v >>> 32);
        u32(v);
    }

    public void bytes(byte[] b) {
        out.writeBytes(b);
    }

    /** Zero bytes up to the next multiple of 4. */
    public void pad() {
        while (out.size() % 4 != 0) {
            out.write(0);
        }
    }

    /** A 6-byte MAC padded to 8. */
    public void mac(long mac) {
        for (int shift = 40; shift >= 0; shift -= 8) {
            out.write((int) (mac >>> shift) & 0xFF);
        }
        out.write(0);
        out.write(0);
    }

    /** An sFlow {@code address}: type (1 IPv4, 2 IPv6) then the address. */
    public void address(byte[] a) {
        u32(a.length == 4 ? ADDRESS_IPV4 : ADDRESS_IPV6);
        bytes(a);
    }

    /** A sample or record: data format, length (declared, or the body's when negative), body. */
    public void tlv(int dataFormat, int declaredLength, Consumer<Xdr> body) {
        Xdr inner = new Xdr();
        body.accept(inner);
        byte[] b = inner.toByteArray();
        u32(dataFormat);
        u32(declaredLength >= 0 ? declaredLength : b.length);
        bytes(b);
    }

    /** A sample or record written as given: data format word, declared length (whatever the body's), body bytes. */
    public static Consumer<Xdr> raw(int dataFormat, int declaredLength, byte[] body) {
        byte[] b = body.clone();
        return out -> {
            out.u32(dataFormat);
            out.u32(declaredLength);
            out.bytes(b);
        };
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    /** enterprise (20 bits) &lt;&lt; 12 | format (12 bits). */
    public static int dataFormat(int enterprise, int format) {
        return (enterprise << 12) | (format & 0xFFF);
    }

    /** A numeric IPv4 or IPv6 literal as bytes (never a name lookup). */
    public static byte[] ipAddress(String text) {
        if (!text.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("'" + text + "' is not a numeric address");
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not a numeric address", e);
        }
    }
}
