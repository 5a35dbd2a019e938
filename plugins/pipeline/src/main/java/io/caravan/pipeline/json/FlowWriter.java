package io.caravan.pipeline.json;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.api.net.AddressText;
import java.util.Arrays;

/**
 * The encoder's hot path: one record's fields as JSON members, by straight-line code in {@link
 * FlowField} order that calls the record's getters directly and writes bytes without a generator.
 * The tests hold it to the bytes a generic Jackson writer driven by the {@link FlowField} table
 * writes, for every field. {@link FlowField} stays the one declaration of names, order and
 * codecs: a field added there must be added to {@link #write} too.
 *
 * <p>An instance is one thread's state for one batch at a time ({@link FlowJson} keeps it with
 * that thread's scratch array): the omitZero choice and, for the fields that repeat from record
 * to record, where the last value's text is, so that it is copied rather than written again.
 */
final class FlowWriter {
    // Each field's ',"name":' as constants, so that the JIT folds their length and contents into the code.
    private static final byte[] TYPE = key(FlowField.TYPE);
    private static final byte[] TIME_RECEIVED_NS = key(FlowField.TIME_RECEIVED_NS);
    private static final byte[] SEQUENCE_NUM = key(FlowField.SEQUENCE_NUM);
    private static final byte[] SAMPLING_RATE = key(FlowField.SAMPLING_RATE);
    private static final byte[] SAMPLER_ADDRESS = key(FlowField.SAMPLER_ADDRESS);
    private static final byte[] OBSERVATION_DOMAIN_ID = key(FlowField.OBSERVATION_DOMAIN_ID);
    private static final byte[] OBSERVATION_POINT_ID = key(FlowField.OBSERVATION_POINT_ID);
    private static final byte[] TIME_FLOW_START_NS = key(FlowField.TIME_FLOW_START_NS);
    private static final byte[] TIME_FLOW_END_NS = key(FlowField.TIME_FLOW_END_NS);
    private static final byte[] BYTES = key(FlowField.BYTES);
    private static final byte[] PACKETS = key(FlowField.PACKETS);
    private static final byte[] SRC_ADDR = key(FlowField.SRC_ADDR);
    private static final byte[] DST_ADDR = key(FlowField.DST_ADDR);
    private static final byte[] ETYPE = key(FlowField.ETYPE);
    private static final byte[] PROTO = key(FlowField.PROTO);
    private static final byte[] SRC_PORT = key(FlowField.SRC_PORT);
    private static final byte[] DST_PORT = key(FlowField.DST_PORT);
    private static final byte[] IN_IF = key(FlowField.IN_IF);
    private static final byte[] OUT_IF = key(FlowField.OUT_IF);
    private static final byte[] SRC_MAC = key(FlowField.SRC_MAC);
    private static final byte[] DST_MAC = key(FlowField.DST_MAC);
    private static final byte[] SRC_VLAN = key(FlowField.SRC_VLAN);
    private static final byte[] DST_VLAN = key(FlowField.DST_VLAN);
    private static final byte[] VLAN_ID = key(FlowField.VLAN_ID);
    private static final byte[] IP_TOS = key(FlowField.IP_TOS);
    private static final byte[] FORWARDING_STATUS = key(FlowField.FORWARDING_STATUS);
    private static final byte[] IP_TTL = key(FlowField.IP_TTL);
    private static final byte[] IP_FLAGS = key(FlowField.IP_FLAGS);
    private static final byte[] TCP_FLAGS = key(FlowField.TCP_FLAGS);
    private static final byte[] ICMP_TYPE = key(FlowField.ICMP_TYPE);
    private static final byte[] ICMP_CODE = key(FlowField.ICMP_CODE);
    private static final byte[] IPV6_FLOW_LABEL = key(FlowField.IPV6_FLOW_LABEL);
    private static final byte[] FRAGMENT_ID = key(FlowField.FRAGMENT_ID);
    private static final byte[] FRAGMENT_OFFSET = key(FlowField.FRAGMENT_OFFSET);
    private static final byte[] SRC_AS = key(FlowField.SRC_AS);
    private static final byte[] DST_AS = key(FlowField.DST_AS);
    private static final byte[] NEXT_HOP = key(FlowField.NEXT_HOP);
    private static final byte[] NEXT_HOP_AS = key(FlowField.NEXT_HOP_AS);
    private static final byte[] SRC_NET = key(FlowField.SRC_NET);
    private static final byte[] DST_NET = key(FlowField.DST_NET);
    private static final byte[] BGP_NEXT_HOP = key(FlowField.BGP_NEXT_HOP);
    private static final byte[] FLOW_DIRECTION = key(FlowField.FLOW_DIRECTION);
    /** Each FlowType's name in quotes, by ordinal. */
    private static final byte[][] TYPE_NAMES = Arrays.stream(FlowType.values())
            .map(t -> ('"' + t.name() + '"').getBytes(US_ASCII)).toArray(byte[][]::new);

    /** A MAC of 0, quoted: one copy instead of twelve hex digits. */
    private static final byte[] ZERO_MAC = ('"' + AddressText.formatMac(0) + '"').getBytes(US_ASCII);
    private static final long MAC_BITS = 0xFFFF_FFFF_FFFFL;

    /** The most bytes {@link #write} writes for one record: every field at its longest. */
    static final int MAX_SIZE = maxSize();

    // The fields whose value is often the previous record's: the same for every record of a
    // datagram (receive time, sequence number of v9/IPFIX, exporter) or of an export tick (times).
    private static final int RECEIVED = 0;
    private static final int SEQUENCE = 1;
    private static final int START = 2;
    private static final int END = 3;
    private static final int REPEATED = 4;

    /** Numbers equal to 0 and all-zero MACs are left out, for this batch. */
    private boolean omitZero;
    /**
     * Per {@link #REPEATED} field, the last value written in this batch and where its text is in
     * the batch's array (-1: none yet), so that the next record with that value copies the text.
     * The whole batch is written into one array, so the positions stay valid for it.
     */
    private final long[] lastValue = new long[REPEATED];
    private final int[] textAt = new int[REPEATED];
    private final int[] textLength = new int[REPEATED];
    private byte[] lastSampler;
    private int samplerAt;
    private int samplerLength;

    /** Starts a batch: whether it leaves out zeros; no text of an earlier batch is reused. */
    void begin(boolean omitZero) {
        this.omitZero = omitZero;
        Arrays.fill(textAt, -1);
        lastSampler = null;
    }

    /**
     * Writes the record's fields at {@code b[p]}, which has room for {@link #MAX_SIZE} bytes, each
     * as {@code ,"name":value} (the caller turns the first ',' into the object's '{'); returns the
     * position after them. Without omitZero at least one field is always written (numbers and MACs
     * are never left out); with it, none may be (a record with every field 0 or unset).
     *
     * @throws IllegalArgumentException an address of neither 4 nor 16 bytes
     */
    int write(FlowRecord r, byte[] b, int p) {
        p = type(b, p, TYPE, r.type());
        p = repeated(b, p, TIME_RECEIVED_NS, r.timeReceivedNs(), RECEIVED);
        p = repeated(b, p, SEQUENCE_NUM, r.sequenceNum(), SEQUENCE);
        p = u64(b, p, SAMPLING_RATE, r.samplingRate());
        p = sampler(b, p, r.samplerAddress());
        p = u64(b, p, OBSERVATION_DOMAIN_ID, r.observationDomainId());
        p = u64(b, p, OBSERVATION_POINT_ID, r.observationPointId());
        p = repeated(b, p, TIME_FLOW_START_NS, r.timeFlowStartNs(), START);
        p = repeated(b, p, TIME_FLOW_END_NS, r.timeFlowEndNs(), END);
        p = u64(b, p, BYTES, r.bytes());
        p = u64(b, p, PACKETS, r.packets());
        p = address(b, p, SRC_ADDR, r.srcAddr());
        p = address(b, p, DST_ADDR, r.dstAddr());
        p = i32(b, p, ETYPE, r.etype());
        p = i32(b, p, PROTO, r.proto());
        p = i32(b, p, SRC_PORT, r.srcPort());
        p = i32(b, p, DST_PORT, r.dstPort());
        p = u64(b, p, IN_IF, r.inIf());
        p = u64(b, p, OUT_IF, r.outIf());
        p = mac(b, p, SRC_MAC, r.srcMac());
        p = mac(b, p, DST_MAC, r.dstMac());
        p = i32(b, p, SRC_VLAN, r.srcVlan());
        p = i32(b, p, DST_VLAN, r.dstVlan());
        p = i32(b, p, VLAN_ID, r.vlanId());
        p = i32(b, p, IP_TOS, r.ipTos());
        p = i32(b, p, FORWARDING_STATUS, r.forwardingStatus());
        p = i32(b, p, IP_TTL, r.ipTtl());
        p = i32(b, p, IP_FLAGS, r.ipFlags());
        p = i32(b, p, TCP_FLAGS, r.tcpFlags());
        p = i32(b, p, ICMP_TYPE, r.icmpType());
        p = i32(b, p, ICMP_CODE, r.icmpCode());
        p = u64(b, p, IPV6_FLOW_LABEL, r.ipv6FlowLabel());
        p = u64(b, p, FRAGMENT_ID, r.fragmentId());
        p = i32(b, p, FRAGMENT_OFFSET, r.fragmentOffset());
        p = u64(b, p, SRC_AS, r.srcAs());
        p = u64(b, p, DST_AS, r.dstAs());
        p = address(b, p, NEXT_HOP, r.nextHop());
        p = u64(b, p, NEXT_HOP_AS, r.nextHopAs());
        p = i32(b, p, SRC_NET, r.srcNet());
        p = i32(b, p, DST_NET, r.dstNet());
        p = address(b, p, BGP_NEXT_HOP, r.bgpNextHop());
        p = i32(b, p, FLOW_DIRECTION, r.flowDirection());
        return p;
    }

    /** The {@link FieldCodec.Type}: the enum name, left out when null. */
    private static int type(byte[] b, int p, byte[] key, FlowType t) {
        if (t == null) {
            return p;
        }
        byte[] name = TYPE_NAMES[t.ordinal()];
        p = key(b, p, key);
        System.arraycopy(name, 0, b, p, name.length);
        return p + name.length;
    }

    /** A {@link FieldCodec.U64}: unsigned; 0 is written (or left out) without the digit loop. */
    private int u64(byte[] b, int p, byte[] key, long v) {
        if (v == 0) {
            return zero(b, p, key);
        }
        return TextBytes.unsigned(b, key(b, p, key), v);
    }

    /** A {@link FieldCodec.U64} of field {@code slot}: the previous text again when the value is the same. */
    private int repeated(byte[] b, int p, byte[] key, long v, int slot) {
        if (v == 0) {
            return zero(b, p, key);
        }
        p = key(b, p, key);
        int at = textAt[slot];
        if (at >= 0 && lastValue[slot] == v) {
            int n = textLength[slot];
            System.arraycopy(b, at, b, p, n);
            return p + n;
        }
        int end = TextBytes.unsigned(b, p, v);
        lastValue[slot] = v;
        textAt[slot] = p;
        textLength[slot] = end - p;
        return end;
    }

    /** The sampler (exporter) address: the previous text again when the address is the same. */
    private int sampler(byte[] b, int p, byte[] a) {
        if (a == null) {
            return p;
        }
        if (a == lastSampler || Arrays.equals(a, lastSampler)) {
            p = key(b, p, SAMPLER_ADDRESS);
            System.arraycopy(b, samplerAt, b, p, samplerLength);
            return p + samplerLength;
        }
        int end = address(b, p, SAMPLER_ADDRESS, a);
        lastSampler = a;
        samplerAt = p + SAMPLER_ADDRESS.length;
        samplerLength = end - samplerAt;
        return end;
    }

    /** A {@link FieldCodec.I32}: signed (as Jackson's writeNumber(int)). */
    private int i32(byte[] b, int p, byte[] key, int v) {
        if (v == 0) {
            return zero(b, p, key);
        }
        return TextBytes.signed(b, key(b, p, key), v);
    }

    /** A number 0: the most common value of most fields. */
    private int zero(byte[] b, int p, byte[] key) {
        if (omitZero) {
            return p;
        }
        p = key(b, p, key);
        b[p] = '0';
        return p + 1;
    }

    /** A {@link FieldCodec.Address}: a string, left out when null. */
    private static int address(byte[] b, int p, byte[] key, byte[] a) {
        if (a == null) {
            return p;
        }
        p = key(b, p, key);
        b[p] = '"';
        try {
            p = AddressText.write(a, b, p + 1);
        } catch (IllegalArgumentException e) {
            // AddressText's own words (neither 4 nor 16 bytes), naming the field.
            throw new IllegalArgumentException("field '" + new String(key, 2, key.length - 4, US_ASCII) + "' "
                    + e.getMessage() + ": " + Arrays.toString(a), e);
        }
        b[p] = '"';
        return p + 1;
    }

    /** A {@link FieldCodec.Mac}: as a string, its low 48 bits. */
    private int mac(byte[] b, int p, byte[] key, long v) {
        if ((v & MAC_BITS) == 0) {
            if (omitZero) {
                return p;
            }
            p = key(b, p, key);
            System.arraycopy(ZERO_MAC, 0, b, p, ZERO_MAC.length);
            return p + ZERO_MAC.length;
        }
        p = key(b, p, key);
        b[p] = '"';
        p = AddressText.writeMac(v, b, p + 1);
        b[p] = '"';
        return p + 1;
    }

    private static int key(byte[] b, int p, byte[] key) {
        System.arraycopy(key, 0, b, p, key.length);
        return p + key.length;
    }

    /** {@code ,"name":} in UTF-8 (the names are ASCII). */
    private static byte[] key(FlowField f) {
        return (",\"" + f.jsonName() + "\":").getBytes(US_ASCII);
    }

    private static int maxSize() {
        int typeName = Arrays.stream(TYPE_NAMES).mapToInt(n -> n.length).max().orElse(0);
        int size = 0;
        for (FlowField f : FlowField.ALL) {
            FieldCodec c = f.codec;
            size += key(f).length + (c instanceof FieldCodec.U64 ? TextBytes.MAX_U64
                    : c instanceof FieldCodec.I32 ? TextBytes.MAX_I32
                    : c instanceof FieldCodec.Address ? AddressText.MAX_TEXT + 2
                    : c instanceof FieldCodec.Mac ? AddressText.MAC_TEXT + 2
                    : typeName);
        }
        return size;
    }
}
