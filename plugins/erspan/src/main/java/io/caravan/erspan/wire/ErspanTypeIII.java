package io.caravan.erspan.wire;

/**
 * The ERSPAN type III header (draft-foschiano-erspan-03 §4.2), 12 bytes after GRE protocol
 * 0x22EB, then the optional 8-byte platform specific subheader when O is set:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Ver  |          VLAN         | COS |BSO|T|     Session ID    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          Timestamp                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |             SGT               |P|    FT   |   Hw ID   |D|Gra|O|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * Platform specific subheader, platform id 3 (only when O = 1):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Platf ID |    Reserved           |     Port ID / Index      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Timestamp (upper 32 bits: seconds)            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Ver is 2. BSO 0 (a good frame). FT 0 (Ethernet) with P 0. D: 0 ingress, 1 egress. Gra: the
 * timestamp's unit, see {@link Granularity}.
 */
public final class ErspanTypeIII {
    public static final int SIZE = 12;
    public static final int SUBHEADER_SIZE = 8;
    public static final int VERSION = 2;
    /** Platform id 3: port index and the upper 32 bits of a 64-bit IEEE 1588 timestamp. */
    public static final int PLATFORM_ID_3 = 3;

    /** Timestamp granularity (the Gra field), and how an epoch time in nanoseconds becomes the 32-bit timestamp. */
    public enum Granularity {
        /** Gra 0: units of 100 µs, low 32 bits (what Linux's erspan tunnels send). */
        US_100(0),
        /** Gra 1: units of 100 ns, low 32 bits. */
        NS_100(1),
        /** Gra 2: IEEE 1588 form: nanoseconds of the second here, seconds in the platform subheader. */
        IEEE_1588(2);

        private final int gra;

        Granularity(int gra) {
            this.gra = gra;
        }

        public int gra() {
            return gra;
        }

        /** The 32-bit timestamp field for a time in epoch nanoseconds. */
        public long timestamp(long epochNs) {
            return switch (this) {
                case US_100 -> epochNs / 100_000L & 0xFFFFFFFFL;
                case NS_100 -> epochNs / 100L & 0xFFFFFFFFL;
                case IEEE_1588 -> Math.floorMod(epochNs, 1_000_000_000L);
            };
        }

        /** Whether the platform specific subheader (seconds) follows. */
        public boolean subheader() {
            return this == IEEE_1588;
        }
    }

    private ErspanTypeIII() {
    }

    /** The header's size with or without the subheader. */
    public static int size(Granularity granularity) {
        return SIZE + (granularity.subheader() ? SUBHEADER_SIZE : 0);
    }

    /**
     * Writes the header (and, for IEEE 1588, the platform id 3 subheader carrying {@code index}'s
     * low 14 bits and the seconds) at {@code at}; every value is masked to its field's width.
     */
    public static void write(byte[] b, int at, int vlan, int cos, boolean truncated, int sessionId,
                             Granularity granularity, long epochNs, int sgt, int hwId, boolean egress, long index) {
        boolean sub = granularity.subheader();
        Bytes.u16(b, at, VERSION << 12 | vlan & 0xFFF);
        Bytes.u16(b, at + 2, (cos & 7) << 13 | (truncated ? 1 : 0) << 10 | sessionId & 0x3FF);
        Bytes.u32(b, at + 4, granularity.timestamp(epochNs));
        Bytes.u16(b, at + 8, sgt & 0xFFFF);
        Bytes.u16(b, at + 10, (hwId & 0x3F) << 4 | (egress ? 1 : 0) << 3 | granularity.gra() << 1 | (sub ? 1 : 0));
        if (sub) {
            Bytes.u32(b, at + 12, (long) PLATFORM_ID_3 << 26 | index & 0x3FFF);
            Bytes.u32(b, at + 16, Math.floorDiv(epochNs, 1_000_000_000L));
        }
    }
}
