package io.caravan.netflow.wire;

/**
 * One field of a template (RFC 7011 §3.2; RFC 3954 §5.2).
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |E|  Information Element ident. |        Field Length           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Enterprise Number (E = 1 only)           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * In NetFlow v9 the first word is a 16-bit type (vendor types ≥ 32768 included, no E bit) and there is no PEN.
 *
 * @param id         IPFIX element id without the E bit (0-32767), or the v9 type (0-65535)
 * @param length     field length in bytes; {@link #VARIABLE} (IPFIX only) for variable length
 * @param enterprise the private enterprise number, 0 for IANA elements and all v9 fields
 */
public record FieldSpecifier(int id, int length, long enterprise) {
    /** Length value meaning "variable length" in IPFIX. */
    public static final int VARIABLE = 65535;

    public boolean isEnterprise() {
        return enterprise != 0;
    }
}
