package io.caravan.traffic.datagram;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one NetFlow v9 export packet (RFC 3954; flow-protocols §2) FlowSet by FlowSet, in call order.
 *
 * <pre>{@code
 * NetflowV9Builder b = new NetflowV9Builder().sourceId(7).sequence(41).unixSecs(1_700_000_000L).sysUptime(3_600_000L)
 *         .template(256, IN_BYTES, 4, IPV4_SRC_ADDR, 4);
 * byte[] packet = b.data(256, b.record(256).set(IN_BYTES, 1500).set(IPV4_SRC_ADDR, addr).bytes()).build();
 *
 * byte[] flows = new NetflowV9Builder().sourceId(7).sequence(42)
 *         .standardTemplates(256)        // IPv4 layout as 256, IPv6 layout as 257
 *         .addFlows(256, syntheticFlows) // IPv4 flows under 256, IPv6 flows under 257
 *         .build();
 * }</pre>
 *
 * <ul>
 *   <li>Consecutive {@link #template} calls share one template FlowSet (id 0); options templates get their own
 *       FlowSet (id 1), padded to 4 bytes. Data FlowSets are padded to 4 bytes.</li>
 *   <li>The header {@code count} is the number of records written (templates, options templates and data
 *       records) unless {@link #count(int)} overrides it.</li>
 *   <li>{@code FIRST_SWITCHED}/{@code LAST_SWITCHED} of {@link #addFlows} are computed at {@link #build()} as
 *       sysUptime − (unixSecs·1000 − start/end ms), mod 2^32, so header setters may come after them.</li>
 *   <li>Defaults: sysUptime 1 h, unixSecs 1,700,000,000, sequence and sourceId 0.</li>
 * </ul>
 * Not thread-safe.
 */
public final class NetflowV9Builder {
    public static final int VERSION = 9;
    public static final int HEADER_SIZE = 20;
    public static final int TEMPLATE_FLOWSET_ID = 0;
    public static final int OPTIONS_TEMPLATE_FLOWSET_ID = 1;

    // Field types (RFC 3954 §8), the ones the standard templates and tests use.
    public static final int IN_BYTES = 1;
    public static final int IN_PKTS = 2;
    public static final int PROTOCOL = 4;
    public static final int SRC_TOS = 5;
    public static final int TCP_FLAGS = 6;
    public static final int L4_SRC_PORT = 7;
    public static final int IPV4_SRC_ADDR = 8;
    public static final int SRC_MASK = 9;
    public static final int INPUT_SNMP = 10;
    public static final int L4_DST_PORT = 11;
    public static final int IPV4_DST_ADDR = 12;
    public static final int DST_MASK = 13;
    public static final int OUTPUT_SNMP = 14;
    public static final int IPV4_NEXT_HOP = 15;
    public static final int SRC_AS = 16;
    public static final int DST_AS = 17;
    public static final int BGP_IPV4_NEXT_HOP = 18;
    public static final int LAST_SWITCHED = 21;
    public static final int FIRST_SWITCHED = 22;
    public static final int IPV6_SRC_ADDR = 27;
    public static final int IPV6_DST_ADDR = 28;
    public static final int IPV6_SRC_MASK = 29;
    public static final int IPV6_DST_MASK = 30;
    public static final int SAMPLING_INTERVAL = 34;
    public static final int SAMPLING_ALGORITHM = 35;
    public static final int FLOW_SAMPLER_ID = 48;
    public static final int FLOW_SAMPLER_MODE = 49;
    public static final int FLOW_SAMPLER_RANDOM_INTERVAL = 50;
    public static final int IPV6_NEXT_HOP = 62;
    // Options scope types (RFC 3954 §6.1).
    public static final int SCOPE_SYSTEM = 1;
    public static final int SCOPE_INTERFACE = 2;

    /** The standard IPv4 data template as (type, length) pairs: 8-byte counters, 4-byte ifIndex and AS. */
    public static final List<Integer> STANDARD_IPV4 = List.of(IN_BYTES, 8, IN_PKTS, 8, PROTOCOL, 1, SRC_TOS, 1,
            TCP_FLAGS, 1, L4_SRC_PORT, 2, IPV4_SRC_ADDR, 4, SRC_MASK, 1, INPUT_SNMP, 4, L4_DST_PORT, 2,
            IPV4_DST_ADDR, 4, DST_MASK, 1, OUTPUT_SNMP, 4, IPV4_NEXT_HOP, 4, SRC_AS, 4, DST_AS, 4,
            LAST_SWITCHED, 4, FIRST_SWITCHED, 4);
    /** The standard IPv6 data template as (type, length) pairs. */
    public static final List<Integer> STANDARD_IPV6 = List.of(IN_BYTES, 8, IN_PKTS, 8, PROTOCOL, 1, SRC_TOS, 1,
            TCP_FLAGS, 1, L4_SRC_PORT, 2, IPV6_SRC_ADDR, 16, IPV6_SRC_MASK, 1, INPUT_SNMP, 4, L4_DST_PORT, 2,
            IPV6_DST_ADDR, 16, IPV6_DST_MASK, 1, OUTPUT_SNMP, 4, IPV6_NEXT_HOP, 16, SRC_AS, 4, DST_AS, 4,
            LAST_SWITCHED, 4, FIRST_SWITCHED, 4);

    private long sysUptime = 3_600_000L;
    private long unixSecs = 1_700_000_000L;
    private long sequence;
    private long sourceId;
    private Integer count;
    private int version = VERSION;
    private int records;
    /** FlowSets in order: byte[] (ready) or FlowDeferred (times computed at build). */
    private final List<Object> flowSets = new ArrayList<>();
    private ByteArrayOutputStream openTemplateSet;
    private final Map<Integer, Layout> layouts = new HashMap<>();

    public NetflowV9Builder sysUptime(long ms) {
        this.sysUptime = ms;
        return this;
    }

    /** Export time, seconds since the epoch. */
    public NetflowV9Builder unixSecs(long secs) {
        this.unixSecs = secs;
        return this;
    }

    /** Export packets sent before this one for this source id (u32). */
    public NetflowV9Builder sequence(long sequence) {
        this.sequence = sequence;
        return this;
    }

    public NetflowV9Builder sourceId(long sourceId) {
        this.sourceId = sourceId;
        return this;
    }

    /** Overrides the header count (malformed packets). */
    public NetflowV9Builder count(int count) {
        this.count = count;
        return this;
    }

    /** Overrides the version field (malformed packets). */
    public NetflowV9Builder version(int version) {
        this.version = version;
        return this;
    }

    /** Adds a template record {@code id} with the given (type, length) pairs to the current template FlowSet. */
    public NetflowV9Builder template(int id, int... typeLenPairs) {
        Layout layout = Layout.of(typeLenPairs, 0, false);
        layouts.put(id, layout);
        if (openTemplateSet == null) {
            openTemplateSet = new ByteArrayOutputStream();
            flowSets.add(openTemplateSet);
        }
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * layout.size());
        b.putShort((short) id).putShort((short) layout.size());
        for (int i = 0; i < layout.size(); i++) {
            b.putShort((short) layout.types[i]).putShort((short) layout.lengths[i]);
        }
        openTemplateSet.writeBytes(b.array());
        records++;
        return this;
    }

    /** {@link #template(int, int...)} with the pairs as a list (e.g. {@link #STANDARD_IPV4}). */
    public NetflowV9Builder template(int id, List<Integer> typeLenPairs) {
        return template(id, typeLenPairs.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The standard IPv4 template ({@link #STANDARD_IPV4}) as {@code id}. */
    public NetflowV9Builder standardTemplateIpv4(int id) {
        return template(id, STANDARD_IPV4);
    }

    /** The standard IPv6 template ({@link #STANDARD_IPV6}) as {@code id}. */
    public NetflowV9Builder standardTemplateIpv6(int id) {
        return template(id, STANDARD_IPV6);
    }

    /** Both standard templates: IPv4 as {@code ipv4Id}, IPv6 as {@code ipv4Id + 1} (the ids {@link #addFlows} uses). */
    public NetflowV9Builder standardTemplates(int ipv4Id) {
        return standardTemplateIpv4(ipv4Id).standardTemplateIpv6(ipv4Id + 1);
    }

    /**
     * Adds an options template FlowSet: scope and option specifiers as (type, length) pairs; the record's
     * option_scope_length and option_length are in bytes (4 per pair). A FlowSet of its own, padded to 4.
     */
    public NetflowV9Builder optionsTemplate(int id, int[] scopeTypeLenPairs, int[] optionTypeLenPairs) {
        int scopes = scopeTypeLenPairs.length / 2;
        int[] all = new int[scopeTypeLenPairs.length + optionTypeLenPairs.length];
        System.arraycopy(scopeTypeLenPairs, 0, all, 0, scopeTypeLenPairs.length);
        System.arraycopy(optionTypeLenPairs, 0, all, scopeTypeLenPairs.length, optionTypeLenPairs.length);
        Layout layout = Layout.of(all, scopes, false);
        layouts.put(id, layout);
        ByteBuffer b = ByteBuffer.allocate(6 + 4 * layout.size());
        b.putShort((short) id).putShort((short) (4 * scopes)).putShort((short) (4 * (layout.size() - scopes)));
        for (int i = 0; i < layout.size(); i++) {
            b.putShort((short) layout.types[i]).putShort((short) layout.lengths[i]);
        }
        records++;
        return addFlowSet(OPTIONS_TEMPLATE_FLOWSET_ID, b.array());
    }

    /**
     * Cisco-style sampler options: an options template {@code templateId} (scope System/4; FLOW_SAMPLER_ID/2,
     * FLOW_SAMPLER_MODE/1, FLOW_SAMPLER_RANDOM_INTERVAL/4) and one options data record for it.
     */
    public NetflowV9Builder optionsSampling(int templateId, int samplerId, int mode, long interval) {
        optionsTemplate(templateId, new int[] {SCOPE_SYSTEM, 4},
                new int[] {FLOW_SAMPLER_ID, 2, FLOW_SAMPLER_MODE, 1, FLOW_SAMPLER_RANDOM_INTERVAL, 4});
        return data(templateId, record(templateId).scope(SCOPE_SYSTEM, 0).set(FLOW_SAMPLER_ID, samplerId)
                .set(FLOW_SAMPLER_MODE, mode).set(FLOW_SAMPLER_RANDOM_INTERVAL, interval).bytes());
    }

    /** Adds a data FlowSet for {@code templateId} holding the given encoded records, padded to 4 bytes. */
    public NetflowV9Builder data(int templateId, byte[]... encodedRecords) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] r : encodedRecords) {
            body.writeBytes(r);
        }
        records += encodedRecords.length;
        return addFlowSet(templateId, pad(body.toByteArray(), 4));
    }

    /**
     * A record writer for a template (or options template) added to this builder: values are placed by field
     * type at the template's lengths; unset fields are zero.
     */
    public Record record(int templateId) {
        Layout layout = layouts.get(templateId);
        if (layout == null) {
            throw new IllegalArgumentException("template " + templateId + " was not added to this builder");
        }
        return new Record(layout);
    }

    /** A record writer for a template not added to this builder (data sent before its template). */
    public static Record record(int... typeLenPairs) {
        return new Record(Layout.of(typeLenPairs, 0, false));
    }

    /**
     * Adds the flows as data records in the standard layouts: IPv4 flows in one FlowSet under {@code templateId},
     * IPv6 flows in another under {@code templateId + 1}. Templates are not added: call
     * {@link #standardTemplates(int)} in the packets that should carry them.
     */
    public NetflowV9Builder addFlows(int templateId, List<SyntheticFlow> flows) {
        List<SyntheticFlow> v4 = new ArrayList<>();
        List<SyntheticFlow> v6 = new ArrayList<>();
        for (SyntheticFlow f : flows) {
            (f.srcAddr().length == 4 ? v4 : v6).add(f);
        }
        if (!v4.isEmpty()) {
            flowSets.add(new FlowsDeferred(templateId, Layout.of(toArray(STANDARD_IPV4), 0, false), v4));
            openTemplateSet = null;
            records += v4.size();
        }
        if (!v6.isEmpty()) {
            flowSets.add(new FlowsDeferred(templateId + 1, Layout.of(toArray(STANDARD_IPV6), 0, false), v6));
            openTemplateSet = null;
            records += v6.size();
        }
        return this;
    }

    /** Adds a FlowSet with the given id and body as is; length = 4 + body length. */
    public NetflowV9Builder rawFlowSet(int flowSetId, byte[] body) {
        return rawFlowSet(flowSetId, 4 + body.length, body);
    }

    /** Adds a FlowSet with a declared length that need not match its body (malformed packets). */
    public NetflowV9Builder rawFlowSet(int flowSetId, int declaredLength, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(4 + body.length);
        b.putShort((short) flowSetId).putShort((short) declaredLength).put(body);
        flowSets.add(b.array());
        openTemplateSet = null;
        return this;
    }

    /** Records written so far (templates, options templates, data records). */
    public int recordCount() {
        return records;
    }

    public byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(HEADER_SIZE);
        h.putShort((short) version).putShort((short) (count != null ? count : records)).putInt((int) sysUptime)
                .putInt((int) unixSecs).putInt((int) sequence).putInt((int) sourceId);
        out.writeBytes(h.array());
        for (Object set : flowSets) {
            if (set instanceof byte[] bytes) {
                out.writeBytes(bytes);
            } else if (set instanceof ByteArrayOutputStream templates) {
                out.writeBytes(flowSet(TEMPLATE_FLOWSET_ID, templates.toByteArray()));
            } else {
                FlowsDeferred d = (FlowsDeferred) set;
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                for (SyntheticFlow f : d.flows) {
                    body.writeBytes(encode(d.layout, f));
                }
                out.writeBytes(flowSet(d.templateId, pad(body.toByteArray(), 4)));
            }
        }
        return out.toByteArray();
    }

    private byte[] encode(Layout layout, SyntheticFlow f) {
        long exportMs = unixSecs * 1000;
        Record r = new Record(layout);
        boolean v4 = f.srcAddr().length == 4;
        r.set(IN_BYTES, f.bytes()).set(IN_PKTS, f.packets()).set(PROTOCOL, f.proto()).set(SRC_TOS, f.tos())
                .set(TCP_FLAGS, f.tcpFlags()).set(L4_SRC_PORT, f.srcPort()).set(L4_DST_PORT, f.dstPort())
                .set(v4 ? IPV4_SRC_ADDR : IPV6_SRC_ADDR, f.srcAddr()).set(v4 ? IPV4_DST_ADDR : IPV6_DST_ADDR, f.dstAddr())
                .set(v4 ? SRC_MASK : IPV6_SRC_MASK, f.srcMask()).set(v4 ? DST_MASK : IPV6_DST_MASK, f.dstMask())
                .set(INPUT_SNMP, f.inIf()).set(OUTPUT_SNMP, f.outIf()).set(SRC_AS, f.srcAs()).set(DST_AS, f.dstAs())
                .set(FIRST_SWITCHED, (sysUptime - (exportMs - f.startMs())) & 0xFFFFFFFFL)
                .set(LAST_SWITCHED, (sysUptime - (exportMs - f.endMs())) & 0xFFFFFFFFL);
        if (f.nextHop() != null && f.nextHop().length == (v4 ? 4 : 16)) {
            r.set(v4 ? IPV4_NEXT_HOP : IPV6_NEXT_HOP, f.nextHop());
        }
        return r.bytes();
    }

    private NetflowV9Builder addFlowSet(int id, byte[] body) {
        flowSets.add(flowSet(id, body));
        openTemplateSet = null;
        return this;
    }

    private static byte[] flowSet(int id, byte[] body) {
        byte[] padded = pad(body, 4);
        ByteBuffer b = ByteBuffer.allocate(4 + padded.length);
        b.putShort((short) id).putShort((short) (4 + padded.length)).put(padded);
        return b.array();
    }

    /** {@code body} zero-padded so that (4 + length) is a multiple of {@code multiple} (1 = no padding). */
    static byte[] pad(byte[] body, int multiple) {
        if (multiple <= 1) {
            return body;
        }
        int rem = (4 + body.length) % multiple;
        return rem == 0 ? body : Arrays.copyOf(body, body.length + multiple - rem);
    }

    private static int[] toArray(List<Integer> pairs) {
        return pairs.stream().mapToInt(Integer::intValue).toArray();
    }

    private record FlowsDeferred(int templateId, Layout layout, List<SyntheticFlow> flows) {
    }

    /**
     * Field layout of a template: types (IPFIX: element ids), lengths (65535 = variable in IPFIX), enterprise
     * numbers, and how many leading fields are scopes. Shared with {@link IpfixBuilder}.
     */
    static final class Layout {
        final int[] types;
        final int[] lengths;
        final long[] pens;
        final int scopes;
        final boolean variableAllowed;

        Layout(int[] types, int[] lengths, long[] pens, int scopes, boolean variableAllowed) {
            this.types = types;
            this.lengths = lengths;
            this.pens = pens;
            this.scopes = scopes;
            this.variableAllowed = variableAllowed;
        }

        static Layout of(int[] typeLenPairs, int scopes, boolean variableAllowed) {
            if (typeLenPairs.length % 2 != 0) {
                throw new IllegalArgumentException("fields are (type, length) pairs; got an odd count");
            }
            int n = typeLenPairs.length / 2;
            int[] t = new int[n];
            int[] l = new int[n];
            for (int i = 0; i < n; i++) {
                t[i] = typeLenPairs[2 * i];
                l[i] = typeLenPairs[2 * i + 1];
            }
            return new Layout(t, l, new long[n], scopes, variableAllowed);
        }

        int size() {
            return types.length;
        }

        boolean variable(int i) {
            return variableAllowed && lengths[i] == 0xFFFF;
        }

        /** Index of the first not yet set field with this type and enterprise number among [from, to), or -1. */
        int find(int type, long pen, boolean[] used, int from, int to) {
            for (int i = from; i < to; i++) {
                if (!used[i] && types[i] == type && pens[i] == pen) {
                    return i;
                }
            }
            return -1;
        }
    }

    /**
     * Encodes one data record by field type. {@code set} fills the first not yet set field of that type, so a
     * template repeating a type (outer, inner) is filled in order. Numbers are written big endian in the field's
     * length (truncated); byte values must match the field length. Unset fields are zero.
     */
    public static final class Record {
        private final Layout layout;
        private final byte[][] values;
        private final boolean[] used;

        Record(Layout layout) {
            this.layout = layout;
            this.values = new byte[layout.size()][];
            this.used = new boolean[layout.size()];
        }

        /** Sets the next field of this type (an option field in an options record) to an unsigned number. */
        public Record set(int type, long value) {
            int i = index(type, layout.scopes, layout.size());
            values[i] = number(value, layout.lengths[i]);
            return this;
        }

        /** Sets the next field of this type to raw bytes (addresses, MACs); the length must match. */
        public Record set(int type, byte[] value) {
            int i = index(type, layout.scopes, layout.size());
            values[i] = exact(value, layout.lengths[i], type);
            return this;
        }

        /** Sets the next scope field of this scope type (options records) to an unsigned number. */
        public Record scope(int scopeType, long value) {
            int i = index(scopeType, 0, layout.scopes);
            values[i] = number(value, layout.lengths[i]);
            return this;
        }

        private int index(int type, int from, int to) {
            int i = layout.find(type, 0, used, from, to);
            if (i < 0) {
                throw new IllegalArgumentException("no unset field of type " + type + " in the template");
            }
            used[i] = true;
            return i;
        }

        /** The encoded record. */
        public byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < layout.size(); i++) {
                out.writeBytes(values[i] != null ? values[i] : new byte[layout.lengths[i]]);
            }
            return out.toByteArray();
        }

        static byte[] number(long value, int length) {
            byte[] b = new byte[length];
            for (int i = length - 1, shift = 0; i >= 0 && shift < 64; i--, shift += 8) {
                b[i] = (byte) (value >>> shift);
            }
            return b;
        }

        static byte[] exact(byte[] value, int length, int type) {
            if (value.length != length) {
                throw new IllegalArgumentException("field " + type + " is " + length + " bytes; got " + value.length);
            }
            return value.clone();
        }
    }
}
