package io.caravan.netflow.map;

import static io.caravan.netflow.ie.InformationElements.*;

import io.caravan.netflow.ie.InformationElements;
import io.caravan.netflow.wire.FieldSpecifier;
import io.caravan.netflow.wire.IpfixHeader;
import io.caravan.netflow.wire.TemplateRecord;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A template turned into what the per-record loop needs: for each field a {@link FieldCode}, its length (-1 =
 * variable) and, for fields kept as attributes, the attribute key. Immutable, shared by every thread decoding with it.
 *
 * <p>Choices made here, once per template, instead of per record:
 * <ul>
 *   <li>v9 options scope fields are scope types (1 System, 2 Interface, ...), never elements: skipped.</li>
 *   <li>An element repeated in a template maps only its first occurrence (outer by convention).</li>
 *   <li>Fallbacks yield to the preferred element when both are present: 10/14 over 252/253, 1/2 over 23/24,
 *       192 over 52, 256 over 60, 56/80 over 81/57, 59 over 254.</li>
 *   <li>Integer elements longer than 8 bytes are not read as integers (reduced-size integers of 1-8 bytes are).</li>
 *   <li>What no record field takes is kept as a record attribute in data templates, so nothing an exporter sends
 *       is lost (only 210 paddingOctets is dropped): enterprise elements (IPFIX E bit) as {@code pen:<PEN>:ie:<ID>};
 *       standard elements without a field of their own, repeated occurrences, yielding fallbacks and over-long
 *       integers under their IANA name ({@link InformationElements#attributeKey}); v9 vendor types (≥ 32768,
 *       never read as an enterprise bit) as {@code v9:<TYPE>}.</li>
 * </ul>
 */
public final class CompiledTemplate {
    /** Heap of what every template holds whatever its size: this object, its record, arrays' headers, store entry. */
    static final int FIXED_BYTES = 288;
    /** Heap per field: a FieldSpecifier, its list slot, and one slot in each of the three arrays. */
    static final int FIELD_BYTES = 48;

    private final TemplateRecord template;
    final int[] codes;
    /** Field length, or -1 for variable length. */
    final int[] lengths;
    /** Attribute keys of fields kept as attributes, else null. */
    final String[] attributeKeys;
    final int minRecordLength;
    /** No variable-length field: every record is {@link #minRecordLength} bytes, each field at a fixed offset. */
    final boolean fixedLayout;
    final boolean hasSamplerId;
    final boolean hasExplicitRate;
    private final int bytes;

    private CompiledTemplate(TemplateRecord template, int[] codes, int[] lengths, String[] attributeKeys) {
        this.template = template;
        this.codes = codes;
        this.lengths = lengths;
        this.attributeKeys = attributeKeys;
        this.minRecordLength = template.minRecordLength();
        boolean fixed = true;
        for (int len : lengths) {
            fixed &= len >= 0;
        }
        this.fixedLayout = fixed;
        boolean sampler = false;
        boolean rate = false;
        for (int c : codes) {
            sampler |= c == FieldCode.SAMPLER_ID;
            rate |= c == FieldCode.SAMPLING_INTERVAL || c == FieldCode.SAMPLER_RANDOM_INTERVAL
                    || c == FieldCode.PACKET_INTERVAL || c == FieldCode.SAMPLING_SIZE
                    || c == FieldCode.SAMPLING_PROBABILITY;
        }
        this.hasSamplerId = sampler;
        this.hasExplicitRate = rate;
        this.bytes = estimateBytes(template);
    }

    /**
     * What a template costs on the heap once compiled and stored, in bytes: an estimate (64-bit JVM, compressed
     * references) of its field specifiers, decoder tables and attribute key strings of its own, plus the store's
     * entry. Computed from the record alone, so a store can decide before compiling. The budget options of the
     * stage are counted in these bytes.
     */
    public static int estimateBytes(TemplateRecord t) {
        List<FieldSpecifier> fields = t.fields();
        long n = FIXED_BYTES + (long) FIELD_BYTES * fields.size();
        for (FieldSpecifier f : fields) {
            if (f.isEnterprise()) {
                n += 40 + 24; // a String and its array of about 20 characters: "pen:4294967295:ie:32767"
            } else if (InformationElements.name(f.id()) == null) {
                n += 40 + 16; // "ie:<ID>" or "v9:<TYPE>"; names from the table are shared constants
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, n);
    }

    public static CompiledTemplate compile(TemplateRecord t) {
        List<FieldSpecifier> fields = t.fields();
        int n = fields.size();
        boolean v9 = t.version() != IpfixHeader.VERSION;
        boolean data = t.kind() == TemplateRecord.Kind.TEMPLATE;
        Set<Integer> present = new HashSet<>();
        for (int i = 0; i < n; i++) {
            FieldSpecifier f = fields.get(i);
            if (!f.isEnterprise() && !(v9 && i < t.scopeCount())) {
                present.add(f.id());
            }
        }
        int[] codes = new int[n];
        int[] lengths = new int[n];
        String[] keys = new String[n];
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            FieldSpecifier f = fields.get(i);
            lengths[i] = t.isVariable(i) ? -1 : f.length();
            if (v9 && i < t.scopeCount()) {
                codes[i] = FieldCode.SKIP;
            } else if (f.isEnterprise()) {
                long pen = f.enterprise() == io.caravan.netflow.wire.TemplateSets.ENTERPRISE_ZERO ? 0 : f.enterprise();
                keys[i] = "pen:" + pen + ":ie:" + f.id();
            } else if (v9 && f.id() >= InformationElements.V9_VENDOR_TYPE_MIN) {
                keys[i] = "v9:" + f.id();
            } else if (!seen.add(f.id())) {
                keys[i] = InformationElements.attributeKey(f.id());
            } else {
                codes[i] = code(f.id(), present);
                if (lengths[i] > 8 && integer(codes[i])) {
                    codes[i] = FieldCode.SKIP;
                }
                if (codes[i] == FieldCode.SKIP && f.id() != PADDING_OCTETS) {
                    keys[i] = InformationElements.attributeKey(f.id());
                }
            }
            if (keys[i] != null) {
                if (data) {
                    codes[i] = FieldCode.ATTRIBUTE;
                } else {
                    keys[i] = null; // options records become no flow record: nothing to keep them in
                }
            }
        }
        return new CompiledTemplate(t, codes, lengths, keys);
    }

    private static int code(int id, Set<Integer> present) {
        return switch (id) {
            case OCTET_DELTA_COUNT -> FieldCode.BYTES;
            case PACKET_DELTA_COUNT -> FieldCode.PACKETS;
            case POST_OCTET_DELTA_COUNT -> present.contains(OCTET_DELTA_COUNT) ? FieldCode.SKIP : FieldCode.BYTES;
            case POST_PACKET_DELTA_COUNT -> present.contains(PACKET_DELTA_COUNT) ? FieldCode.SKIP : FieldCode.PACKETS;
            case PROTOCOL_IDENTIFIER -> FieldCode.PROTO;
            case IP_CLASS_OF_SERVICE -> FieldCode.TOS;
            case TCP_CONTROL_BITS -> FieldCode.TCP_FLAGS;
            case SOURCE_TRANSPORT_PORT -> FieldCode.SRC_PORT;
            case DESTINATION_TRANSPORT_PORT -> FieldCode.DST_PORT;
            case SOURCE_IPV4_ADDRESS, SOURCE_IPV6_ADDRESS -> FieldCode.SRC_ADDR;
            case DESTINATION_IPV4_ADDRESS, DESTINATION_IPV6_ADDRESS -> FieldCode.DST_ADDR;
            case SOURCE_IPV4_PREFIX_LENGTH, SOURCE_IPV6_PREFIX_LENGTH -> FieldCode.SRC_NET;
            case DESTINATION_IPV4_PREFIX_LENGTH, DESTINATION_IPV6_PREFIX_LENGTH -> FieldCode.DST_NET;
            case INGRESS_INTERFACE -> FieldCode.IN_IF;
            case EGRESS_INTERFACE -> FieldCode.OUT_IF;
            case INGRESS_PHYSICAL_INTERFACE -> present.contains(INGRESS_INTERFACE) ? FieldCode.SKIP : FieldCode.IN_IF;
            case EGRESS_PHYSICAL_INTERFACE -> present.contains(EGRESS_INTERFACE) ? FieldCode.SKIP : FieldCode.OUT_IF;
            case IP_NEXT_HOP_IPV4_ADDRESS, IP_NEXT_HOP_IPV6_ADDRESS -> FieldCode.NEXT_HOP;
            case BGP_NEXT_HOP_IPV4_ADDRESS, BGP_NEXT_HOP_IPV6_ADDRESS -> FieldCode.BGP_NEXT_HOP;
            case BGP_SOURCE_AS_NUMBER -> FieldCode.SRC_AS;
            case BGP_DESTINATION_AS_NUMBER -> FieldCode.DST_AS;
            case FLOW_END_SYS_UP_TIME -> FieldCode.END_UPTIME;
            case FLOW_START_SYS_UP_TIME -> FieldCode.START_UPTIME;
            case FLOW_LABEL_IPV6 -> FieldCode.FLOW_LABEL;
            case ICMP_TYPE_CODE_IPV4, ICMP_TYPE_CODE_IPV6 -> FieldCode.ICMP_TYPE_CODE;
            case ICMP_TYPE_IPV4, ICMP_TYPE_IPV6 -> FieldCode.ICMP_TYPE;
            case ICMP_CODE_IPV4, ICMP_CODE_IPV6 -> FieldCode.ICMP_CODE;
            case IP_TTL -> FieldCode.TTL;
            case MINIMUM_TTL -> present.contains(IP_TTL) ? FieldCode.SKIP : FieldCode.TTL;
            case FRAGMENT_IDENTIFICATION -> FieldCode.FRAGMENT_ID;
            case FRAGMENT_OFFSET -> FieldCode.FRAGMENT_OFFSET;
            case SOURCE_MAC_ADDRESS -> FieldCode.SRC_MAC;
            case DESTINATION_MAC_ADDRESS -> FieldCode.DST_MAC;
            case POST_SOURCE_MAC_ADDRESS -> present.contains(SOURCE_MAC_ADDRESS) ? FieldCode.SKIP : FieldCode.SRC_MAC;
            case POST_DESTINATION_MAC_ADDRESS ->
                    present.contains(DESTINATION_MAC_ADDRESS) ? FieldCode.SKIP : FieldCode.DST_MAC;
            case VLAN_ID -> present.contains(DOT1Q_VLAN_ID) ? FieldCode.SRC_VLAN_ONLY : FieldCode.SRC_VLAN;
            case POST_VLAN_ID -> FieldCode.DST_VLAN;
            case DOT1Q_VLAN_ID -> FieldCode.VLAN_ID;
            case POST_DOT1Q_VLAN_ID -> present.contains(POST_VLAN_ID) ? FieldCode.SKIP : FieldCode.DST_VLAN;
            case IP_VERSION -> present.contains(ETHERNET_TYPE) ? FieldCode.SKIP : FieldCode.IP_VERSION;
            case ETHERNET_TYPE -> FieldCode.ETYPE;
            case FLOW_DIRECTION -> FieldCode.DIRECTION;
            case FORWARDING_STATUS -> FieldCode.FORWARDING_STATUS;
            case FLOW_START_SECONDS -> FieldCode.START_SECONDS;
            case FLOW_END_SECONDS -> FieldCode.END_SECONDS;
            case FLOW_START_MILLISECONDS -> FieldCode.START_MILLIS;
            case FLOW_END_MILLISECONDS -> FieldCode.END_MILLIS;
            case FLOW_START_MICROSECONDS, FLOW_START_NANOSECONDS -> FieldCode.START_NTP;
            case FLOW_END_MICROSECONDS, FLOW_END_NANOSECONDS -> FieldCode.END_NTP;
            case FLOW_START_DELTA_MICROSECONDS -> FieldCode.START_DELTA_MICROS;
            case FLOW_END_DELTA_MICROSECONDS -> FieldCode.END_DELTA_MICROS;
            case SYSTEM_INIT_TIME_MILLISECONDS -> FieldCode.SYS_INIT_MILLIS;
            case FLOW_DURATION_MILLISECONDS -> FieldCode.DURATION_MILLIS;
            case FLOW_DURATION_MICROSECONDS -> FieldCode.DURATION_MICROS;
            case SAMPLING_INTERVAL -> FieldCode.SAMPLING_INTERVAL;
            case SAMPLER_ID -> FieldCode.SAMPLER_ID;
            case SELECTOR_ID -> present.contains(SAMPLER_ID) ? FieldCode.SKIP : FieldCode.SAMPLER_ID;
            case SAMPLER_RANDOM_INTERVAL -> FieldCode.SAMPLER_RANDOM_INTERVAL;
            case SAMPLING_PACKET_INTERVAL -> FieldCode.PACKET_INTERVAL;
            case SAMPLING_PACKET_SPACE -> FieldCode.PACKET_SPACE;
            case SAMPLING_SIZE -> FieldCode.SAMPLING_SIZE;
            case SAMPLING_POPULATION -> FieldCode.SAMPLING_POPULATION;
            case SAMPLING_PROBABILITY -> FieldCode.SAMPLING_PROBABILITY;
            case OBSERVATION_POINT_ID -> FieldCode.OBSERVATION_POINT_ID;
            default -> FieldCode.SKIP;
        };
    }

    /** Codes read as unsigned integers (of at most 8 bytes). */
    private static boolean integer(int code) {
        return switch (code) {
            case FieldCode.SRC_ADDR, FieldCode.DST_ADDR, FieldCode.NEXT_HOP, FieldCode.BGP_NEXT_HOP, FieldCode.SKIP,
                    FieldCode.ATTRIBUTE, FieldCode.SAMPLING_PROBABILITY -> false;
            default -> true;
        };
    }

    public TemplateRecord template() {
        return template;
    }

    public boolean isOptions() {
        return template.kind() == TemplateRecord.Kind.OPTIONS;
    }

    /** Estimated heap bytes of this template once stored ({@link #estimateBytes}). */
    public int bytes() {
        return bytes;
    }

    /** Bytes of the shortest possible record (at least 1 for any template with a data field). */
    public int minRecordLength() {
        return minRecordLength;
    }
}
