package io.caravan.erspan.wire;

/**
 * The GRE header ERSPAN rides in (RFC 2784 with RFC 2890's sequence number), always with the S
 * bit set so the sequence number is on the wire: 8 bytes, big-endian.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |C| |K|S| Reserved0       | Ver |         Protocol Type         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * C and K are clear, S is set, version 0. Skydive's target leaves S clear (and sets a reserved
 * bit), so its sequence counter never reaches the wire; analyzers then read the packet as ERSPAN
 * type I.
 */
public final class GreHeader {
    public static final int SIZE = 8;
    /** The S (sequence number present) bit of the first 16-bit word. */
    public static final int FLAG_SEQUENCE = 0x1000;
    /** Protocol type of ERSPAN type II (Cisco's ERSPAN EtherType). */
    public static final int PROTOCOL_ERSPAN_II = 0x88BE;
    /** Protocol type of ERSPAN type III. */
    public static final int PROTOCOL_ERSPAN_III = 0x22EB;

    private GreHeader() {
    }

    /** Writes the header at {@code at}; {@code sequence} is taken as unsigned 32 bits. */
    public static void write(byte[] b, int at, int protocol, int sequence) {
        Bytes.u16(b, at, FLAG_SEQUENCE);
        Bytes.u16(b, at + 2, protocol);
        Bytes.u32(b, at + 4, sequence);
    }
}
