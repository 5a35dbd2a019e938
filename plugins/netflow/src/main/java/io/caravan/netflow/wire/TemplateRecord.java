package io.caravan.netflow.wire;

import java.util.List;

/**
 * A parsed template or options template record, the same for v9 and IPFIX (RFC 3954 §5.2/§6.1, RFC 7011 §3.4.1/§3.4.2).
 * Equality is by content, so a re-announcement can be told from a redefinition.
 *
 * @param version     9 (NetFlow v9) or 10 (IPFIX): only IPFIX knows variable-length fields
 * @param templateId  the template id (≥ 256)
 * @param kind        data template or options template
 * @param scopeCount  how many leading fields are scope fields (0 for data templates; v9 scope fields are
 *                    scope types, not information elements)
 * @param fields      the field specifiers in order
 */
public record TemplateRecord(int version, int templateId, Kind kind, int scopeCount, List<FieldSpecifier> fields) {
    /** Whether records of this template carry flows or options. */
    public enum Kind { TEMPLATE, OPTIONS }

    public TemplateRecord {
        fields = List.copyOf(fields);
    }

    /** Whether field {@code i} is variable length (IPFIX length 65535; never in v9). */
    public boolean isVariable(int i) {
        return version == IpfixHeader.VERSION && fields.get(i).length() == FieldSpecifier.VARIABLE;
    }

    /** Bytes of one record with every variable-length field empty (1-byte length prefix). */
    public int minRecordLength() {
        int n = 0;
        for (int i = 0; i < fields.size(); i++) {
            n += isVariable(i) ? 1 : fields.get(i).length();
        }
        return n;
    }
}
