package io.caravan.traffic.skydive;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the analyzer's protobuf WebSocket envelope, graffiti's {@code StructMessage}
 * ({@code 1 Namespace string, 2 Type string, 3 UUID string, 4 Status int64, 5 Format enum, 6 Obj bytes}),
 * by hand, as protoc-generated Go code would: fields in number order, zero values left out.
 */
public final class StructMessages {
    private StructMessages() {
    }

    public static byte[] encode(String namespace, String type, String uuid, long status, int format, byte[] obj) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(obj.length + 64);
        string(out, 1, namespace);
        string(out, 2, type);
        string(out, 3, uuid);
        if (status != 0) {
            varint(out, 4L << 3);
            varint(out, status);
        }
        if (format != 0) {
            varint(out, 5L << 3);
            varint(out, format);
        }
        if (obj.length > 0) {
            varint(out, 6L << 3 | 2);
            varint(out, obj.length);
            out.writeBytes(obj);
        }
        return out.toByteArray();
    }

    private static void string(ByteArrayOutputStream out, int field, String s) {
        if (s == null || s.isEmpty()) {
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        varint(out, (long) field << 3 | 2);
        varint(out, b.length);
        out.writeBytes(b);
    }

    /** Appends a base-128 varint (negative numbers take 10 bytes, as in protobuf). */
    public static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) (v & 0x7F | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
