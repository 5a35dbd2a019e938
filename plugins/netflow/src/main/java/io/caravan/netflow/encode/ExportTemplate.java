package io.caravan.netflow.encode;

import static io.caravan.netflow.encode.ExportField.*;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A data template the exporter announces: its id, its fields in order, and the fixed length of one data
 * record (every field has a fixed length, so no variable-length encoding is needed). One IPv4 and one IPv6
 * template per format; v9 carries flow times relative to the exporter's boot (FIRST/LAST_SWITCHED), IPFIX
 * absolute milliseconds (flowStart/EndMilliseconds).
 */
final class ExportTemplate {
    static final int IPV4_ID = 256;
    static final int IPV6_ID = 257;
    /** Template record header: template id and field count. */
    static final int RECORD_HEADER = 4;
    /** One field specifier: type and length (no enterprise numbers are used). */
    static final int SPECIFIER = 4;

    final int id;
    final List<ExportField> fields;
    final int recordLength;

    private ExportTemplate(int id, List<ExportField> fields) {
        this.id = id;
        this.fields = List.copyOf(fields);
        this.recordLength = fields.stream().mapToInt(f -> f.length).sum();
    }

    static ExportTemplate ipv4(ExportVersion version) {
        return new ExportTemplate(IPV4_ID, List.of(SRC_IPV4, DST_IPV4, NEXT_HOP_IPV4, IN_IF, OUT_IF, PACKETS, BYTES,
                start(version), end(version), SRC_PORT, DST_PORT, PROTOCOL, TCP_FLAGS, TOS, SRC_MASK_IPV4,
                DST_MASK_IPV4, SRC_AS, DST_AS, SRC_VLAN, DST_VLAN, SRC_MAC, DST_MAC, ICMP_IPV4, DIRECTION));
    }

    static ExportTemplate ipv6(ExportVersion version) {
        return new ExportTemplate(IPV6_ID, List.of(SRC_IPV6, DST_IPV6, NEXT_HOP_IPV6, IN_IF, OUT_IF, PACKETS, BYTES,
                start(version), end(version), SRC_PORT, DST_PORT, PROTOCOL, TCP_FLAGS, TOS, SRC_MASK_IPV6,
                DST_MASK_IPV6, SRC_AS, DST_AS, SRC_VLAN, DST_VLAN, SRC_MAC, DST_MAC, icmpV6(version), DIRECTION));
    }

    /** v9 has one ICMP_TYPE (32) for both families (RFC 3954 §8); IPFIX has icmpTypeCodeIPv6 (139). */
    private static ExportField icmpV6(ExportVersion version) {
        return version == ExportVersion.IPFIX ? ICMP_IPV6 : ICMP_IPV4;
    }

    private static ExportField start(ExportVersion version) {
        return version == ExportVersion.IPFIX ? START_MS : START_UPTIME;
    }

    private static ExportField end(ExportVersion version) {
        return version == ExportVersion.IPFIX ? END_MS : END_UPTIME;
    }

    /** Bytes of this template's record inside a template set. */
    int templateRecordLength() {
        return RECORD_HEADER + SPECIFIER * fields.size();
    }

    void writeTemplateRecord(ByteBuffer out) {
        out.putShort((short) id);
        out.putShort((short) fields.size());
        for (ExportField f : fields) {
            out.putShort((short) f.ie);
            out.putShort((short) f.length);
        }
    }

    void writeDataRecord(ByteBuffer out, ExportRecord r) {
        for (ExportField f : fields) {
            f.write(out, r);
        }
    }
}
