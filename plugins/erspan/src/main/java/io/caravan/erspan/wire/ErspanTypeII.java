package io.caravan.erspan.wire;

/**
 * The ERSPAN type II header (draft-foschiano-erspan-03 §4.1), 8 bytes after GRE protocol 0x88BE:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Ver  |          VLAN         | COS | En|T|    Session ID     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Reserved         |                  Index                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Ver is 1. En (trunk encapsulation): 0 untagged, 3 VLAN tag preserved in the frame. T: the frame
 * was truncated. The session id keeps all 10 bits (Skydive masks it with 0x2FF, losing bit 8).
 */
public final class ErspanTypeII {
    public static final int SIZE = 8;
    public static final int VERSION = 1;
    public static final int EN_UNTAGGED = 0;
    public static final int EN_TAG_PRESERVED = 3;

    private ErspanTypeII() {
    }

    /** Writes the header at {@code at}; every value is masked to its field's width. */
    public static void write(byte[] b, int at, int vlan, int cos, int en, boolean truncated, int sessionId, long index) {
        Bytes.u16(b, at, VERSION << 12 | vlan & 0xFFF);
        Bytes.u16(b, at + 2, (cos & 7) << 13 | (en & 3) << 11 | (truncated ? 1 : 0) << 10 | sessionId & 0x3FF);
        Bytes.u32(b, at + 4, index & 0xFFFFF);
    }
}
