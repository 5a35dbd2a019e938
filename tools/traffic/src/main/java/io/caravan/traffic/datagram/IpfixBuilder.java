package io.caravan.traffic.datagram;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one IPFIX message (RFC 7011; flow-protocols §3) set by set, in call order.
 *
 * <pre>{@code
 * IpfixBuilder b = new IpfixBuilder().observationDomain(1).sequence(100).exportTime(1_700_000_000L)
 *         .template(256, IpfixBuilder.field(OCTET_DELTA_COUNT, 4), IpfixBuilder.varField(INTERFACE_NAME),
 *                 IpfixBuilder.field(1, 4, 9))                 // enterprise element 1 of PEN 9
 *         .optionsTemplate(300, 1, IpfixBuilder.field(SELECTOR_ID, 4), IpfixBuilder.field(SAMPLING_PACKET_INTERVAL, 4));
 * byte[] message = b.data(256, b.record(256).set(OCTET_DELTA_COUNT, 1500).set(INTERFACE_NAME, "ge-0/0/1".getBytes())
 *                 .set(9, 1, 42).bytes())
 *         .build();
 *
 * byte[] flows = new IpfixBuilder().observationDomain(1).standardTemplates(256).addFlows(256, syntheticFlows).build();
 * }</pre>
 *
 * <ul>
 *   <li>Consecutive {@link #template} calls share one template set (id 2), consecutive {@link #optionsTemplate}
 *       calls one options template set (id 3); withdrawals go into the same kind of set.</li>
 *   <li>Data sets are zero-padded so their length is a multiple of {@link #setPadding(int)} (default 4; 1 = none).</li>
 *   <li>The message length is filled in unless {@link #lengthOverride(int)} says otherwise; the sequence is
 *       what {@link #sequence(long)} says (data records sent before this message).</li>
 *   <li>Defaults: exportTime 1,700,000,000, sequence and observation domain 0.</li>
 * </ul>
 * Not thread-safe.
 */
public final class IpfixBuilder {
    public static final int VERSION = 10;
    public static final int HEADER_SIZE = 16;
    public static final int TEMPLATE_SET_ID = 2;
    public static final int OPTIONS_TEMPLATE_SET_ID = 3;
    /** Field length meaning "variable length" (RFC 7011 §7). */
    public static final int VARIABLE = 65535;

    // Information elements (IANA) used by the standard templates and helpers.
    public static final int OCTET_DELTA_COUNT = 1;
    public static final int PACKET_DELTA_COUNT = 2;
    public static final int PROTOCOL_IDENTIFIER = 4;
    public static final int IP_CLASS_OF_SERVICE = 5;
    public static final int TCP_CONTROL_BITS = 6;
    public static final int SOURCE_TRANSPORT_PORT = 7;
    public static final int SOURCE_IPV4_ADDRESS = 8;
    public static final int SOURCE_IPV4_PREFIX_LENGTH = 9;
    public static final int INGRESS_INTERFACE = 10;
    public static final int DESTINATION_TRANSPORT_PORT = 11;
    public static final int DESTINATION_IPV4_ADDRESS = 12;
    public static final int DESTINATION_IPV4_PREFIX_LENGTH = 13;
    public static final int EGRESS_INTERFACE = 14;
    public static final int IP_NEXT_HOP_IPV4_ADDRESS = 15;
    public static final int BGP_SOURCE_AS_NUMBER = 16;
    public static final int BGP_DESTINATION_AS_NUMBER = 17;
    public static final int SOURCE_IPV6_ADDRESS = 27;
    public static final int DESTINATION_IPV6_ADDRESS = 28;
    public static final int SOURCE_IPV6_PREFIX_LENGTH = 29;
    public static final int DESTINATION_IPV6_PREFIX_LENGTH = 30;
    public static final int IP_NEXT_HOP_IPV6_ADDRESS = 62;
    public static final int INTERFACE_NAME = 82;
    public static final int FLOW_START_MILLISECONDS = 152;
    public static final int FLOW_END_MILLISECONDS = 153;
    public static final int SELECTOR_ID = 302;
    public static final int SELECTOR_ALGORITHM = 304;
    public static final int SAMPLING_PACKET_INTERVAL = 305;
    public static final int SAMPLING_PACKET_SPACE = 306;

    /** The standard IPv4 data template: 8-byte counters, 4-byte ifIndex and AS, flowStart/EndMilliseconds. */
    public static final List<Field> STANDARD_IPV4 = List.of(field(OCTET_DELTA_COUNT, 8), field(PACKET_DELTA_COUNT, 8),
            field(PROTOCOL_IDENTIFIER, 1), field(IP_CLASS_OF_SERVICE, 1), field(TCP_CONTROL_BITS, 1),
            field(SOURCE_TRANSPORT_PORT, 2), field(SOURCE_IPV4_ADDRESS, 4), field(SOURCE_IPV4_PREFIX_LENGTH, 1),
            field(INGRESS_INTERFACE, 4), field(DESTINATION_TRANSPORT_PORT, 2), field(DESTINATION_IPV4_ADDRESS, 4),
            field(DESTINATION_IPV4_PREFIX_LENGTH, 1), field(EGRESS_INTERFACE, 4), field(IP_NEXT_HOP_IPV4_ADDRESS, 4),
            field(BGP_SOURCE_AS_NUMBER, 4), field(BGP_DESTINATION_AS_NUMBER, 4), field(FLOW_START_MILLISECONDS, 8),
            field(FLOW_END_MILLISECONDS, 8));
    /** The standard IPv6 data template. */
    public static final List<Field> STANDARD_IPV6 = List.of(field(OCTET_DELTA_COUNT, 8), field(PACKET_DELTA_COUNT, 8),
            field(PROTOCOL_IDENTIFIER, 1), field(IP_CLASS_OF_SERVICE, 1), field(TCP_CONTROL_BITS, 1),
            field(SOURCE_TRANSPORT_PORT, 2), field(SOURCE_IPV6_ADDRESS, 16), field(SOURCE_IPV6_PREFIX_LENGTH, 1),
            field(INGRESS_INTERFACE, 4), field(DESTINATION_TRANSPORT_PORT, 2), field(DESTINATION_IPV6_ADDRESS, 16),
            field(DESTINATION_IPV6_PREFIX_LENGTH, 1), field(EGRESS_INTERFACE, 4), field(IP_NEXT_HOP_IPV6_ADDRESS, 16),
            field(BGP_SOURCE_AS_NUMBER, 4), field(BGP_DESTINATION_AS_NUMBER, 4), field(FLOW_START_MILLISECONDS, 8),
            field(FLOW_END_MILLISECONDS, 8));

    /**
     * One field specifier.
     *
     * @param ie     information element id (0-32767)
     * @param length field length, {@link #VARIABLE} for variable length
     * @param pen    private enterprise number; non-zero sets the enterprise bit
     */
    public record Field(int ie, int length, long pen) {
    }

    private long exportTime = 1_700_000_000L;
    private long sequence;
    private long observationDomain;
    private Integer lengthOverride;
    private int version = VERSION;
    private int setPadding = 4;
    private final List<Object> sets = new ArrayList<>();
    private OpenSet open;
    private final Map<Integer, NetflowV9Builder.Layout> layouts = new HashMap<>();

    /** A fixed-length IANA field. */
    public static Field field(int ie, int length) {
        return new Field(ie, length, 0);
    }

    /** A fixed-length enterprise field (E bit set, then the PEN). */
    public static Field field(int ie, int length, long pen) {
        return new Field(ie, length, pen);
    }

    /** A variable-length IANA field. */
    public static Field varField(int ie) {
        return new Field(ie, VARIABLE, 0);
    }

    /** A variable-length enterprise field. */
    public static Field varField(int ie, long pen) {
        return new Field(ie, VARIABLE, pen);
    }

    /** Export time, seconds since the epoch. */
    public IpfixBuilder exportTime(long secs) {
        this.exportTime = secs;
        return this;
    }

    /** Data records sent before this message in this observation domain (u32). */
    public IpfixBuilder sequence(long sequence) {
        this.sequence = sequence;
        return this;
    }

    public IpfixBuilder observationDomain(long id) {
        this.observationDomain = id;
        return this;
    }

    /** Pads data sets to a multiple of this many bytes (1 = no padding). */
    public IpfixBuilder setPadding(int multiple) {
        this.setPadding = multiple;
        return this;
    }

    /** Overrides the header's message length (malformed messages). */
    public IpfixBuilder lengthOverride(int length) {
        this.lengthOverride = length;
        return this;
    }

    /** Overrides the version field (malformed messages). */
    public IpfixBuilder version(int version) {
        this.version = version;
        return this;
    }

    /** Adds a template record to the current template set. */
    public IpfixBuilder template(int id, Field... fields) {
        layouts.put(id, layout(List.of(fields), 0));
        ByteBuffer b = ByteBuffer.allocate(4 + specifiersSize(fields));
        b.putShort((short) id).putShort((short) fields.length);
        putSpecifiers(b, fields);
        append(TEMPLATE_SET_ID, b.array());
        return this;
    }

    /** A template of IANA fields given as (ie, length) pairs. */
    public IpfixBuilder template(int id, int... ieLenPairs) {
        Field[] fields = new Field[ieLenPairs.length / 2];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = field(ieLenPairs[2 * i], ieLenPairs[2 * i + 1]);
        }
        return template(id, fields);
    }

    /** A template from a field list (e.g. {@link #STANDARD_IPV4}). */
    public IpfixBuilder template(int id, List<Field> fields) {
        return template(id, fields.toArray(Field[]::new));
    }

    public IpfixBuilder standardTemplateIpv4(int id) {
        return template(id, STANDARD_IPV4);
    }

    public IpfixBuilder standardTemplateIpv6(int id) {
        return template(id, STANDARD_IPV6);
    }

    /** Both standard templates: IPv4 as {@code ipv4Id}, IPv6 as {@code ipv4Id + 1} (the ids {@link #addFlows} uses). */
    public IpfixBuilder standardTemplates(int ipv4Id) {
        return standardTemplateIpv4(ipv4Id).standardTemplateIpv6(ipv4Id + 1);
    }

    /** Adds an options template record; the first {@code scopeCount} fields are scopes (field_count counts all). */
    public IpfixBuilder optionsTemplate(int id, int scopeCount, Field... fields) {
        layouts.put(id, layout(List.of(fields), scopeCount));
        ByteBuffer b = ByteBuffer.allocate(6 + specifiersSize(fields));
        b.putShort((short) id).putShort((short) fields.length).putShort((short) scopeCount);
        putSpecifiers(b, fields);
        append(OPTIONS_TEMPLATE_SET_ID, b.array());
        return this;
    }

    /**
     * PSAMP systematic count-based sampler options: options template {@code templateId} (scope selectorId/8;
     * selectorAlgorithm/2, samplingPacketInterval/4, samplingPacketSpace/4) and one record: rate = (interval + space) / interval.
     */
    public IpfixBuilder optionsSelector(int templateId, long selectorId, long interval, long space) {
        optionsTemplate(templateId, 1, field(SELECTOR_ID, 8), field(SELECTOR_ALGORITHM, 2),
                field(SAMPLING_PACKET_INTERVAL, 4), field(SAMPLING_PACKET_SPACE, 4));
        return data(templateId, record(templateId).set(SELECTOR_ID, selectorId).set(SELECTOR_ALGORITHM, 1)
                .set(SAMPLING_PACKET_INTERVAL, interval).set(SAMPLING_PACKET_SPACE, space).bytes());
    }

    /** A template withdrawal (field_count 0) for one template id in a template set. */
    public IpfixBuilder withdrawTemplate(int id) {
        append(TEMPLATE_SET_ID, ByteBuffer.allocate(4).putShort((short) id).putShort((short) 0).array());
        return this;
    }

    /** A withdrawal for one options template id in an options template set. */
    public IpfixBuilder withdrawOptionsTemplate(int id) {
        append(OPTIONS_TEMPLATE_SET_ID, ByteBuffer.allocate(4).putShort((short) id).putShort((short) 0).array());
        return this;
    }

    /** Withdraws every template of the domain (template id 2 in a template set). */
    public IpfixBuilder withdrawAllTemplates() {
        return withdrawTemplate(TEMPLATE_SET_ID);
    }

    /** Withdraws every options template of the domain (template id 3 in an options template set). */
    public IpfixBuilder withdrawAllOptionsTemplates() {
        return withdrawOptionsTemplate(OPTIONS_TEMPLATE_SET_ID);
    }

    /** Adds a data set for {@code templateId} with the given encoded records, padded per {@link #setPadding}. */
    public IpfixBuilder data(int templateId, byte[]... encodedRecords) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] r : encodedRecords) {
            body.writeBytes(r);
        }
        sets.add(set(templateId, NetflowV9Builder.pad(body.toByteArray(), setPadding)));
        open = null;
        return this;
    }

    /** A record writer for a template or options template added to this builder. */
    public Record record(int templateId) {
        NetflowV9Builder.Layout layout = layouts.get(templateId);
        if (layout == null) {
            throw new IllegalArgumentException("template " + templateId + " was not added to this builder");
        }
        return new Record(layout);
    }

    /** A record writer for a template not added to this builder (data sent before its template). */
    public static Record record(Field... fields) {
        return new Record(layout(List.of(fields), 0));
    }

    /**
     * Adds the flows as data records in the standard layouts (flowStart/EndMilliseconds from the flow's times):
     * IPv4 flows in a set for {@code templateId}, IPv6 flows in a set for {@code templateId + 1}. Templates are
     * not added: call {@link #standardTemplates(int)} in the messages that should carry them.
     */
    public IpfixBuilder addFlows(int templateId, List<SyntheticFlow> flows) {
        List<byte[]> v4 = new ArrayList<>();
        List<byte[]> v6 = new ArrayList<>();
        NetflowV9Builder.Layout l4 = layout(STANDARD_IPV4, 0);
        NetflowV9Builder.Layout l6 = layout(STANDARD_IPV6, 0);
        for (SyntheticFlow f : flows) {
            boolean isV4 = f.srcAddr().length == 4;
            Record r = new Record(isV4 ? l4 : l6);
            r.set(OCTET_DELTA_COUNT, f.bytes()).set(PACKET_DELTA_COUNT, f.packets()).set(PROTOCOL_IDENTIFIER, f.proto())
                    .set(IP_CLASS_OF_SERVICE, f.tos()).set(TCP_CONTROL_BITS, f.tcpFlags())
                    .set(SOURCE_TRANSPORT_PORT, f.srcPort()).set(DESTINATION_TRANSPORT_PORT, f.dstPort())
                    .set(isV4 ? SOURCE_IPV4_ADDRESS : SOURCE_IPV6_ADDRESS, f.srcAddr())
                    .set(isV4 ? DESTINATION_IPV4_ADDRESS : DESTINATION_IPV6_ADDRESS, f.dstAddr())
                    .set(isV4 ? SOURCE_IPV4_PREFIX_LENGTH : SOURCE_IPV6_PREFIX_LENGTH, f.srcMask())
                    .set(isV4 ? DESTINATION_IPV4_PREFIX_LENGTH : DESTINATION_IPV6_PREFIX_LENGTH, f.dstMask())
                    .set(INGRESS_INTERFACE, f.inIf()).set(EGRESS_INTERFACE, f.outIf())
                    .set(BGP_SOURCE_AS_NUMBER, f.srcAs()).set(BGP_DESTINATION_AS_NUMBER, f.dstAs())
                    .set(FLOW_START_MILLISECONDS, f.startMs()).set(FLOW_END_MILLISECONDS, f.endMs());
            if (f.nextHop() != null && f.nextHop().length == (isV4 ? 4 : 16)) {
                r.set(isV4 ? IP_NEXT_HOP_IPV4_ADDRESS : IP_NEXT_HOP_IPV6_ADDRESS, f.nextHop());
            }
            (isV4 ? v4 : v6).add(r.bytes());
        }
        if (!v4.isEmpty()) {
            data(templateId, v4.toArray(byte[][]::new));
        }
        if (!v6.isEmpty()) {
            data(templateId + 1, v6.toArray(byte[][]::new));
        }
        return this;
    }

    /** Adds a set with the given id and body as is; length = 4 + body length. */
    public IpfixBuilder rawSet(int setId, byte[] body) {
        return rawSet(setId, 4 + body.length, body);
    }

    /** Adds a set whose declared length need not match its body (malformed messages). */
    public IpfixBuilder rawSet(int setId, int declaredLength, byte[] body) {
        sets.add(ByteBuffer.allocate(4 + body.length).putShort((short) setId).putShort((short) declaredLength)
                .put(body).array());
        open = null;
        return this;
    }

    public byte[] build() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Object s : sets) {
            body.writeBytes(s instanceof OpenSet o ? set(o.id, o.body.toByteArray()) : (byte[]) s);
        }
        int length = HEADER_SIZE + body.size();
        ByteBuffer h = ByteBuffer.allocate(HEADER_SIZE);
        h.putShort((short) version).putShort((short) (lengthOverride != null ? lengthOverride : length))
                .putInt((int) exportTime).putInt((int) sequence).putInt((int) observationDomain);
        ByteArrayOutputStream out = new ByteArrayOutputStream(length);
        out.writeBytes(h.array());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private void append(int setId, byte[] record) {
        if (open == null || open.id != setId) {
            open = new OpenSet(setId, new ByteArrayOutputStream());
            sets.add(open);
        }
        open.body.writeBytes(record);
    }

    private static byte[] set(int id, byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putShort((short) id).putShort((short) (4 + body.length)).put(body)
                .array();
    }

    private static int specifiersSize(Field[] fields) {
        int n = 0;
        for (Field f : fields) {
            n += f.pen() != 0 ? 8 : 4;
        }
        return n;
    }

    private static void putSpecifiers(ByteBuffer b, Field[] fields) {
        for (Field f : fields) {
            b.putShort((short) (f.pen() != 0 ? 0x8000 | f.ie() : f.ie())).putShort((short) f.length());
            if (f.pen() != 0) {
                b.putInt((int) f.pen());
            }
        }
    }

    private static NetflowV9Builder.Layout layout(List<Field> fields, int scopes) {
        int n = fields.size();
        int[] t = new int[n];
        int[] l = new int[n];
        long[] p = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = fields.get(i).ie();
            l[i] = fields.get(i).length();
            p[i] = fields.get(i).pen();
        }
        return new NetflowV9Builder.Layout(t, l, p, scopes, true);
    }

    private record OpenSet(int id, ByteArrayOutputStream body) {
    }

    /**
     * Encodes one data record by element id. {@code set} fills the first not yet set field with that id (and PEN),
     * so duplicate elements are filled in order (outer first). Numbers are written big endian in the field length
     * (reduced size when the template says so); variable-length fields get a 1-byte length prefix below 255 bytes
     * and the 3-byte form (255, u16) from 255 on, or always with {@link #setLongForm}. Unset fields are zero
     * (variable ones: empty).
     */
    public static final class Record {
        private final NetflowV9Builder.Layout layout;
        private final byte[][] values;
        private final boolean[] used;

        Record(NetflowV9Builder.Layout layout) {
            this.layout = layout;
            this.values = new byte[layout.size()][];
            this.used = new boolean[layout.size()];
        }

        public Record set(int ie, long value) {
            return set(0, ie, value);
        }

        public Record set(int ie, byte[] value) {
            return set(0, ie, value);
        }

        /** An enterprise field as an unsigned number. */
        public Record set(long pen, int ie, long value) {
            int i = index(ie, pen);
            if (layout.variable(i)) {
                values[i] = variable(NetflowV9Builder.Record.number(value, 8), false);
            } else {
                values[i] = NetflowV9Builder.Record.number(value, layout.lengths[i]);
            }
            return this;
        }

        /** An enterprise field as raw bytes (exact length, or any length for a variable field). */
        public Record set(long pen, int ie, byte[] value) {
            int i = index(ie, pen);
            values[i] = layout.variable(i) ? variable(value, false)
                    : NetflowV9Builder.Record.exact(value, layout.lengths[i], ie);
            return this;
        }

        /** A variable-length IANA field in the 3-byte length form (255, u16 length) whatever its length. */
        public Record setLongForm(int ie, byte[] value) {
            int i = index(ie, 0);
            if (!layout.variable(i)) {
                throw new IllegalArgumentException("field " + ie + " is not variable length");
            }
            values[i] = variable(value, true);
            return this;
        }

        private int index(int ie, long pen) {
            int i = layout.find(ie, pen, used, 0, layout.size());
            if (i < 0) {
                throw new IllegalArgumentException("no unset field " + ie + (pen != 0 ? " of PEN " + pen : "")
                        + " in the template");
            }
            used[i] = true;
            return i;
        }

        private static byte[] variable(byte[] value, boolean longForm) {
            ByteBuffer b;
            if (!longForm && value.length < 255) {
                b = ByteBuffer.allocate(1 + value.length).put((byte) value.length);
            } else {
                b = ByteBuffer.allocate(3 + value.length).put((byte) 255).putShort((short) value.length);
            }
            return b.put(value).array();
        }

        /** The encoded record. */
        public byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < layout.size(); i++) {
                if (values[i] != null) {
                    out.writeBytes(values[i]);
                } else {
                    out.writeBytes(layout.variable(i) ? new byte[1] : new byte[layout.lengths[i]]);
                }
            }
            return out.toByteArray();
        }
    }
}
