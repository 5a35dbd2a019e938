package io.caravan.netflow.wire;

import io.caravan.api.decode.DecodeException;
import io.caravan.api.decode.DecodeException.Reason;
import io.caravan.netflow.wire.TemplateRecord.Kind;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the records of template and options template sets (v9 FlowSet ids 0 and 1, IPFIX set ids 2 and 3)
 * into {@link TemplateOp}s. Every count is checked against the bytes left in the set before anything is
 * allocated, so a huge field_count costs nothing. Trailing bytes too short for a record header, or a header
 * of zeros, are padding.
 */
public final class TemplateSets {
    private TemplateSets() {
    }

    /**
     * v9 template FlowSet (RFC 3954 §5.2).
     * <pre>
     * | template_id(2) ≥ 256 | field_count(2) | field_count × { type(2) | length(2) } | ...
     * </pre>
     */
    public static void v9Templates(ByteBuffer b, SetHeader set, List<TemplateOp> out) throws DecodeException {
        int pos = set.bodyOffset();
        int end = set.end();
        while (end - pos >= 4) {
            int id = b.getShort(pos) & 0xFFFF;
            int count = b.getShort(pos + 2) & 0xFFFF;
            if (id == 0 && count == 0) {
                return; // padding
            }
            if (id < 256) {
                throw new DecodeException(Reason.BAD_TEMPLATE, pos, "template id " + id + " is below 256", b);
            }
            if (count == 0) {
                throw new DecodeException(Reason.BAD_TEMPLATE, pos + 2, "v9 template " + id + " has no fields", b);
            }
            pos += 4;
            if ((long) count * 4 > end - pos) {
                throw new DecodeException(Reason.TRUNCATED, pos, "template " + id + " declares " + count
                        + " fields but its FlowSet has " + (end - pos) + " bytes left", b);
            }
            List<FieldSpecifier> fields = new ArrayList<>(count);
            for (int i = 0; i < count; i++, pos += 4) {
                fields.add(new FieldSpecifier(b.getShort(pos) & 0xFFFF, b.getShort(pos + 2) & 0xFFFF, 0));
            }
            out.add(new TemplateOp.Define(new TemplateRecord(V9Header.VERSION, id, Kind.TEMPLATE, 0, fields)));
        }
    }

    /**
     * v9 options template FlowSet (RFC 3954 §6.1); scope and option lengths are in bytes. A zero-length scope
     * (bare system scope) is accepted.
     * <pre>
     * | template_id(2) | option_scope_length(2) | option_length(2) | scopes {type(2) length(2)} | options {...} | pad
     * </pre>
     */
    public static void v9OptionsTemplates(ByteBuffer b, SetHeader set, List<TemplateOp> out) throws DecodeException {
        int pos = set.bodyOffset();
        int end = set.end();
        while (end - pos >= 6) {
            int id = b.getShort(pos) & 0xFFFF;
            int scopeLength = b.getShort(pos + 2) & 0xFFFF;
            int optionLength = b.getShort(pos + 4) & 0xFFFF;
            if (id == 0 && scopeLength == 0 && optionLength == 0) {
                return; // padding
            }
            if (id < 256) {
                throw new DecodeException(Reason.BAD_TEMPLATE, pos, "options template id " + id + " is below 256", b);
            }
            if (scopeLength % 4 != 0 || optionLength % 4 != 0) {
                throw new DecodeException(Reason.BAD_TEMPLATE, pos + 2, "options template " + id + " scope length "
                        + scopeLength + " / option length " + optionLength + " are not multiples of 4", b);
            }
            pos += 6;
            if (scopeLength + optionLength > end - pos) {
                throw new DecodeException(Reason.TRUNCATED, pos, "options template " + id + " declares "
                        + (scopeLength + optionLength) + " bytes of fields but its FlowSet has " + (end - pos) + " left", b);
            }
            int count = (scopeLength + optionLength) / 4;
            List<FieldSpecifier> fields = new ArrayList<>(count);
            for (int i = 0; i < count; i++, pos += 4) {
                fields.add(new FieldSpecifier(b.getShort(pos) & 0xFFFF, b.getShort(pos + 2) & 0xFFFF, 0));
            }
            out.add(new TemplateOp.Define(new TemplateRecord(V9Header.VERSION, id, Kind.OPTIONS, scopeLength / 4, fields)));
        }
    }

    /**
     * IPFIX template set (RFC 7011 §3.4.1) or options template set (§3.4.2). Field count 0 is a withdrawal
     * (template id 2 / 3 withdraws all of that kind); an options template needs a scope count of 1..field_count.
     * <pre>
     * | template_id(2) | field_count(2) | [scope_field_count(2)] | field specifiers (4 or 8 bytes each) | ...
     * </pre>
     */
    public static void ipfix(ByteBuffer b, SetHeader set, boolean options, List<TemplateOp> out)
            throws DecodeException {
        Kind kind = options ? Kind.OPTIONS : Kind.TEMPLATE;
        int pos = set.bodyOffset();
        int end = set.end();
        while (end - pos >= 4) {
            int id = b.getShort(pos) & 0xFFFF;
            int count = b.getShort(pos + 2) & 0xFFFF;
            if (id == 0 && count == 0) {
                return; // padding
            }
            if (count == 0) {
                if (id == set.setId()) {
                    out.add(new TemplateOp.WithdrawAll(kind));
                } else if (id >= 256) {
                    out.add(new TemplateOp.Withdraw(id, kind));
                } else {
                    throw new DecodeException(Reason.BAD_TEMPLATE, pos, "withdrawal of template id " + id, b);
                }
                pos += 4;
                continue;
            }
            if (id < 256) {
                throw new DecodeException(Reason.BAD_TEMPLATE, pos, "template id " + id + " is below 256", b);
            }
            int scopes = 0;
            if (options) {
                if (end - pos < 6) {
                    throw new DecodeException(Reason.TRUNCATED, pos, "options template " + id
                            + " header needs 6 bytes", b);
                }
                scopes = b.getShort(pos + 4) & 0xFFFF;
                if (scopes == 0 || scopes > count) {
                    throw new DecodeException(Reason.BAD_TEMPLATE, pos + 4, "options template " + id + " has scope count "
                            + scopes + " of " + count + " fields", b);
                }
                pos += 6;
            } else {
                pos += 4;
            }
            if ((long) count * 4 > end - pos) {
                throw new DecodeException(Reason.TRUNCATED, pos, "template " + id + " declares " + count
                        + " fields but its set has " + (end - pos) + " bytes left", b);
            }
            List<FieldSpecifier> fields = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                if (end - pos < 4) {
                    throw new DecodeException(Reason.TRUNCATED, pos, "template " + id + " field " + i
                            + " runs past its set", b);
                }
                int word = b.getShort(pos) & 0xFFFF;
                int length = b.getShort(pos + 2) & 0xFFFF;
                pos += 4;
                long pen = 0;
                if ((word & 0x8000) != 0) {
                    if (end - pos < 4) {
                        throw new DecodeException(Reason.TRUNCATED, pos, "template " + id + " field " + i
                                + " enterprise number runs past its set", b);
                    }
                    pen = b.getInt(pos) & 0xFFFFFFFFL;
                    pos += 4;
                    if (pen == 0) {
                        // E bit with PEN 0 (seen in the wild): keep it apart from the IANA element of the same id.
                        pen = ENTERPRISE_ZERO;
                    }
                }
                fields.add(new FieldSpecifier(word & 0x7FFF, length, pen));
            }
            out.add(new TemplateOp.Define(new TemplateRecord(IpfixHeader.VERSION, id, kind, scopes, fields)));
        }
    }

    /**
     * Stand-in enterprise number for a field with the E bit set and PEN 0 (flow-protocols §10.6): such a field is
     * kept as an enterprise attribute ({@code pen:0:ie:N}), never mapped as the IANA element.
     */
    public static final long ENTERPRISE_ZERO = 1L << 32;
}
