package io.caravan.netflow.map;

import io.caravan.api.flow.FlowRecord;
import io.caravan.netflow.ie.InformationElements;
import io.caravan.api.decode.DecodeException;
import io.caravan.api.decode.DecodeException.Reason;
import io.caravan.api.decode.Hex;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the records of one v9/IPFIX data set with a {@link CompiledTemplate}: one {@link FlowRecord} per data
 * record, or one {@link OptionsValues} per options data record. Reads the buffer's array (a copy of a buffer without
 * one) at absolute positions through big-endian array views, never past
 * the set's end; no logging, no metrics, no boxing per field.
 *
 * <p>Per record it resolves:
 * <ul>
 *   <li>Times (flow-protocols §6), first present wins: 152/153 ms, 154-157 NTP µs/ns (minus 2,208,988,800 s),
 *       150/151 s, 158/159 (export time − delta µs), 21/22 uptime. v9 21/22: export ms − (sysUptime − value)
 *       taken mod 2^32 as a signed 32-bit delta, so a flow straddling the uptime wrap lands just before export.
 *       IPFIX 21/22 are anchored on 160 (in the record, else from options data), else ignored. 161/162 fill a
 *       missing start or end. 0 means absent. With no time at all, start = end = receive time; with one side
 *       only, the other copies it.</li>
 *   <li>The sampling rate (§5): explicit fields in the record (305/306, 309/310, 311, 50, 34), else the rate of
 *       the sampler id in the record (48/302), else the context's default.</li>
 *   <li>etype from 256, else 60, else the address family.</li>
 * </ul>
 * Not thread-safe: one instance per thread, reused from call to call (its IPv4 next-hop arrays are shared by the
 * records it decodes, see {@link AddressCache}).
 */
public final class RecordDecoder {
    private static final long NTP_OFFSET_NS = InformationElements.NTP_UNIX_OFFSET_SECONDS * 1_000_000_000L;

    /** The codes {@link #counter} sets, as bits (every code is below 64). */
    private static final long COUNTER_CODES = bits(FieldCode.BYTES, FieldCode.PACKETS, FieldCode.PROTO, FieldCode.TOS,
            FieldCode.TCP_FLAGS, FieldCode.SRC_PORT, FieldCode.DST_PORT, FieldCode.SRC_NET, FieldCode.DST_NET,
            FieldCode.IN_IF, FieldCode.OUT_IF, FieldCode.SRC_AS, FieldCode.DST_AS);

    /** The codes {@link #address} sets. */
    private static final long ADDRESS_CODES = bits(FieldCode.SRC_ADDR, FieldCode.DST_ADDR, FieldCode.NEXT_HOP,
            FieldCode.BGP_NEXT_HOP);

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final Scratch s = new Scratch();
    /**
     * Next hops: a router has few, so most records find theirs here (24 bytes each not allocated). Source and
     * destination addresses are copied: with many distinct ones a cache missed mostly and made decoding slower.
     */
    private final AddressCache nextHops = new AddressCache();

    /**
     * Decodes the data records in {@code [from, end)} of {@code b} and appends them to {@code out}; trailing
     * bytes shorter than the shortest record (or under 4 zero bytes) are padding.
     *
     * @return the number of records decoded
     * @throws DecodeException FIELD_TOO_LONG when a variable-length field runs past the set
     */
    public int decodeData(ByteBuffer b, int from, int end, CompiledTemplate t, DataContext c, List<FlowRecord> out)
            throws DecodeException {
        int min = t.minRecordLength;
        if (min == 0) {
            return 0; // a template of zero-length fields only: nothing to read, and no way to count records
        }
        byte[] a = array(b);
        int pos = from;
        int n = 0;
        s.forgetSampler(); // rates are per exporter and domain: a lookup of another datagram's is not this one's
        if (t.fixedLayout) {
            if (out instanceof ArrayList<FlowRecord> list) {
                list.ensureCapacity(out.size() + (end - pos) / min); // every record, or one more for short padding
            }
            // Every field at a fixed offset: once the record's length is checked, no field needs a check of its own.
            while (end - pos >= min && !padding(a, pos, end)) {
                FlowRecord r = new FlowRecord();
                s.reset();
                fixedFields(a, pos, t, c, r);
                pos += min;
                finish(r, t, c);
                out.add(r);
                n++;
            }
            return n;
        }
        while (end - pos >= min && !padding(a, pos, end)) {
            FlowRecord r = new FlowRecord();
            s.reset();
            pos = fields(a, pos, end, t, c, r);
            finish(r, t, c);
            out.add(r);
            n++;
        }
        return n;
    }

    /**
     * The bytes of {@code b} at the same indices: its array, or a copy of its bytes up to its limit for a buffer
     * without one (direct, read-only) or with more bytes in it (so errors show only the buffer's bytes).
     */
    private static byte[] array(ByteBuffer b) {
        if (b.hasArray() && b.arrayOffset() == 0 && b.limit() == b.array().length) {
            return b.array();
        }
        byte[] a = new byte[b.limit()];
        b.get(0, a);
        return a;
    }

    /** Decodes options data records in {@code [from, end)} into sampling and time values. */
    public int decodeOptions(ByteBuffer b, int from, int end, CompiledTemplate t, DataContext c,
                             List<OptionsValues> out) throws DecodeException {
        int min = t.minRecordLength;
        if (min == 0) {
            return 0;
        }
        byte[] a = array(b);
        int pos = from;
        int n = 0;
        FlowRecord sink = new FlowRecord();
        while (end - pos >= min && !padding(a, pos, end)) {
            s.reset();
            pos = fields(a, pos, end, t, c, sink);
            out.add(new OptionsValues(s.samplerId, s.explicitRate(), s.sysInitMs));
            n++;
        }
        return n;
    }

    /** Fewer than 4 bytes left, all zero: set padding, not a record. */
    private static boolean padding(byte[] b, int pos, int end) {
        if (end - pos >= 4) {
            return false;
        }
        for (int i = pos; i < end; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** {@link #fields} for a {@link CompiledTemplate#fixedLayout} template and a record known to fit. */
    private void fixedFields(byte[] b, int at, CompiledTemplate t, DataContext c, FlowRecord r) {
        int[] codes = t.codes;
        int[] lengths = t.lengths;
        int pos = at;
        for (int i = 0; i < codes.length; i++) {
            int len = lengths[i];
            int code = codes[i];
            // Addresses by a second small method here (IPFIX +22%, v9 +34% with the array reads, CPU time per
            // record); the times as a third made it slower again (-10%), so they stay in apply.
            if (len != 0 && code != FieldCode.SKIP && !counter(code, b, pos, len, r)
                    && !address(code, b, pos, len, r)) {
                apply(code, b, pos, len, r, c, t, i);
            }
            pos += len;
        }
    }

    /**
     * The address fields of a fixed-layout record in their first occurrence (the record's address still null), so
     * that they do not cost a call of {@link #apply}; false for anything else, which apply then takes.
     */
    private boolean address(int code, byte[] b, int pos, int len, FlowRecord r) {
        if ((ADDRESS_CODES >>> code & 1) == 0 || len != 4 && len != 16) {
            return false;
        }
        switch (code) {
            case FieldCode.SRC_ADDR -> {
                if (r.srcAddr() != null) {
                    return false;
                }
                r.srcAddr(copy(b, pos, len));
            }
            case FieldCode.DST_ADDR -> {
                if (r.dstAddr() != null) {
                    return false;
                }
                r.dstAddr(copy(b, pos, len));
            }
            case FieldCode.NEXT_HOP -> {
                if (r.nextHop() != null) {
                    return false;
                }
                r.nextHop(hop(b, pos, len));
            }
            default -> {
                if (r.bgpNextHop() != null) {
                    return false;
                }
                r.bgpNextHop(hop(b, pos, len));
            }
        }
        return true;
    }

    private int fields(byte[] b, int pos, int end, CompiledTemplate t, DataContext c, FlowRecord r)
            throws DecodeException {
        int[] codes = t.codes;
        int[] lengths = t.lengths;
        for (int i = 0; i < codes.length; i++) {
            int len = lengths[i];
            if (len < 0) {
                if (pos >= end) {
                    throw new DecodeException(Reason.FIELD_TOO_LONG, pos, "variable-length field " + i
                            + " of template " + t.template().templateId() + " has no length byte", b);
                }
                len = b[pos++] & 0xFF;
                if (len == 255) {
                    if (end - pos < 2) {
                        throw new DecodeException(Reason.FIELD_TOO_LONG, pos, "variable-length field " + i
                                + " of template " + t.template().templateId() + " has a cut 3-byte length", b);
                    }
                    len = (short) SHORT.get(b, pos) & 0xFFFF;
                    pos += 2;
                }
                if (len > end - pos) {
                    throw new DecodeException(Reason.FIELD_TOO_LONG, pos, "variable-length field " + i + " of template "
                            + t.template().templateId() + " is " + len + " bytes but its set has " + (end - pos)
                            + " left", b);
                }
            } else if (len > end - pos) {
                throw new DecodeException(Reason.TRUNCATED, pos, "record of template " + t.template().templateId()
                        + " is cut at field " + i, b);
            }
            int code = codes[i];
            if (len != 0 && code != FieldCode.SKIP && !counter(code, b, pos, len, r)) {
                apply(code, b, pos, len, r, c, t, i);
            }
            pos += len;
        }
        return pos;
    }

    /**
     * The plain integer fields every flow template has, set straight from the bytes; false for any
     * other code. One read, then a switch of setters: small enough for C2 to inline into the field
     * loop, which {@link #apply} is not (each field it takes costs a call). Inlined, it made IPFIX
     * and v9 decoding 1.5-2x as fast (DecodeBenchmark); more cases here, addresses and times,
     * made it too big to inline again.
     */
    private static boolean counter(int code, byte[] b, int pos, int len, FlowRecord r) {
        if ((COUNTER_CODES >>> code & 1) == 0) {
            return false;
        }
        long v = unsigned(b, pos, len);
        switch (code) {
            case FieldCode.BYTES -> r.bytes(v);
            case FieldCode.PACKETS -> r.packets(v);
            case FieldCode.PROTO -> r.proto((int) v);
            case FieldCode.TOS -> r.ipTos((int) v);
            case FieldCode.TCP_FLAGS -> r.tcpFlags((int) v);
            case FieldCode.SRC_PORT -> r.srcPort((int) v);
            case FieldCode.DST_PORT -> r.dstPort((int) v);
            case FieldCode.SRC_NET -> r.srcNet((int) v);
            case FieldCode.DST_NET -> r.dstNet((int) v);
            case FieldCode.IN_IF -> r.inIf(v);
            case FieldCode.OUT_IF -> r.outIf(v);
            case FieldCode.SRC_AS -> r.srcAs(v);
            default -> r.dstAs(v);
        }
        return true;
    }

    /** Every field {@link #counter} does not take, by a switch too big for C2 to inline. */
    private void apply(int code, byte[] b, int pos, int len, FlowRecord r, DataContext c, CompiledTemplate t,
                       int field) {
        switch (code) {
            case FieldCode.SRC_ADDR -> {
                if ((len == 4 || len == 16) && (r.srcAddr() == null || !zero(b, pos, len))) {
                    r.srcAddr(copy(b, pos, len));
                }
            }
            case FieldCode.DST_ADDR -> {
                if ((len == 4 || len == 16) && (r.dstAddr() == null || !zero(b, pos, len))) {
                    r.dstAddr(copy(b, pos, len));
                }
            }
            case FieldCode.NEXT_HOP -> {
                if ((len == 4 || len == 16) && (r.nextHop() == null || !zero(b, pos, len))) {
                    r.nextHop(hop(b, pos, len));
                }
            }
            case FieldCode.BGP_NEXT_HOP -> {
                if ((len == 4 || len == 16) && (r.bgpNextHop() == null || !zero(b, pos, len))) {
                    r.bgpNextHop(hop(b, pos, len));
                }
            }
            case FieldCode.END_UPTIME -> {
                s.endUptime = unsigned(b, pos, len);
                s.hasEndUptime = true;
            }
            case FieldCode.START_UPTIME -> {
                s.startUptime = unsigned(b, pos, len);
                s.hasStartUptime = true;
            }
            case FieldCode.FLOW_LABEL -> r.ipv6FlowLabel(unsigned(b, pos, len) & 0xFFFFF);
            case FieldCode.ICMP_TYPE_CODE -> {
                int v = (int) unsigned(b, pos, len);
                r.icmpType((v >>> 8) & 0xFF).icmpCode(v & 0xFF);
            }
            case FieldCode.ICMP_TYPE -> r.icmpType((int) unsigned(b, pos, len));
            case FieldCode.ICMP_CODE -> r.icmpCode((int) unsigned(b, pos, len));
            case FieldCode.TTL -> r.ipTtl((int) unsigned(b, pos, len));
            case FieldCode.FRAGMENT_ID -> r.fragmentId(unsigned(b, pos, len));
            case FieldCode.FRAGMENT_OFFSET -> r.fragmentOffset((int) unsigned(b, pos, len));
            case FieldCode.SRC_MAC -> r.srcMac(unsigned(b, pos, len) & 0xFFFF_FFFF_FFFFL);
            case FieldCode.DST_MAC -> r.dstMac(unsigned(b, pos, len) & 0xFFFF_FFFF_FFFFL);
            case FieldCode.SRC_VLAN -> {
                int v = (int) unsigned(b, pos, len);
                r.srcVlan(v).vlanId(v);
            }
            case FieldCode.SRC_VLAN_ONLY -> r.srcVlan((int) unsigned(b, pos, len));
            case FieldCode.DST_VLAN -> r.dstVlan((int) unsigned(b, pos, len));
            case FieldCode.VLAN_ID -> r.vlanId((int) unsigned(b, pos, len));
            case FieldCode.IP_VERSION -> {
                long v = unsigned(b, pos, len);
                if (v == 4) {
                    r.etype(0x0800);
                } else if (v == 6) {
                    r.etype(0x86DD);
                }
            }
            case FieldCode.ETYPE -> r.etype((int) unsigned(b, pos, len));
            case FieldCode.DIRECTION -> r.flowDirection((int) unsigned(b, pos, len));
            case FieldCode.FORWARDING_STATUS -> r.forwardingStatus((int) unsigned(b, pos, len));
            case FieldCode.START_SECONDS -> s.start(unsigned(b, pos, len) * 1_000_000_000L, Scratch.SECONDS);
            case FieldCode.END_SECONDS -> s.end(unsigned(b, pos, len) * 1_000_000_000L, Scratch.SECONDS);
            case FieldCode.START_MILLIS -> s.start(unsigned(b, pos, len) * 1_000_000L, Scratch.MILLIS);
            case FieldCode.END_MILLIS -> s.end(unsigned(b, pos, len) * 1_000_000L, Scratch.MILLIS);
            case FieldCode.START_NTP -> s.start(ntp(b, pos, len), Scratch.NTP);
            case FieldCode.END_NTP -> s.end(ntp(b, pos, len), Scratch.NTP);
            case FieldCode.START_DELTA_MICROS -> s.start(delta(c, unsigned(b, pos, len)), Scratch.DELTA);
            case FieldCode.END_DELTA_MICROS -> s.end(delta(c, unsigned(b, pos, len)), Scratch.DELTA);
            case FieldCode.SYS_INIT_MILLIS -> s.sysInitMs = unsigned(b, pos, len);
            case FieldCode.DURATION_MILLIS -> s.durationNs = unsigned(b, pos, len) * 1_000_000L;
            case FieldCode.DURATION_MICROS -> {
                if (s.durationNs == 0) {
                    s.durationNs = unsigned(b, pos, len) * 1_000L;
                }
            }
            case FieldCode.SAMPLING_INTERVAL -> s.interval34 = unsigned(b, pos, len);
            case FieldCode.SAMPLER_ID -> s.samplerId = unsigned(b, pos, len);
            case FieldCode.SAMPLER_RANDOM_INTERVAL -> s.random50 = unsigned(b, pos, len);
            case FieldCode.PACKET_INTERVAL -> {
                s.packetInterval = unsigned(b, pos, len);
                s.hasPacketInterval = true;
            }
            case FieldCode.PACKET_SPACE -> {
                s.packetSpace = unsigned(b, pos, len);
                s.hasPacketSpace = true;
            }
            case FieldCode.SAMPLING_SIZE -> s.samplingSize = unsigned(b, pos, len);
            case FieldCode.SAMPLING_POPULATION -> s.samplingPopulation = unsigned(b, pos, len);
            case FieldCode.SAMPLING_PROBABILITY -> {
                if (len == 8) {
                    s.probability = Double.longBitsToDouble((long) LONG.get(b, pos));
                } else if (len == 4) {
                    s.probability = Float.intBitsToFloat((int) INT.get(b, pos));
                }
            }
            case FieldCode.OBSERVATION_POINT_ID -> r.observationPointId(unsigned(b, pos, len));
            case FieldCode.ATTRIBUTE -> r.attribute(t.attributeKeys[field], attributeValue(b, pos, len,
                    t.lengths[field] < 0));
            default -> {
            }
        }
    }

    private void finish(FlowRecord r, CompiledTemplate t, DataContext c) {
        r.type(c.type()).timeReceivedNs(c.receivedMs() * 1_000_000L).sequenceNum(c.sequence())
                .observationDomainId(c.domain()).samplerAddress(c.samplerAddress());
        if (s.hasStartUptime || s.hasEndUptime) {
            if (c.isV9()) {
                if (s.hasStartUptime) {
                    s.start((c.exportMs() - (int) (c.sysUptime() - s.startUptime)) * 1_000_000L, Scratch.UPTIME);
                }
                if (s.hasEndUptime) {
                    s.end((c.exportMs() - (int) (c.sysUptime() - s.endUptime)) * 1_000_000L, Scratch.UPTIME);
                }
            } else {
                long init = s.sysInitMs != 0 ? s.sysInitMs : c.sysInitMs();
                if (init != 0) {
                    if (s.hasStartUptime) {
                        s.start((init + s.startUptime) * 1_000_000L, Scratch.UPTIME);
                    }
                    if (s.hasEndUptime) {
                        s.end((init + s.endUptime) * 1_000_000L, Scratch.UPTIME);
                    }
                }
            }
        }
        if (s.durationNs != 0) {
            if (s.startPrio == Scratch.NONE && s.endPrio != Scratch.NONE) {
                s.start(s.endNs - s.durationNs, s.endPrio);
            } else if (s.endPrio == Scratch.NONE && s.startPrio != Scratch.NONE) {
                s.end(s.startNs + s.durationNs, s.startPrio);
            }
        }
        long start;
        long end;
        if (s.startPrio != Scratch.NONE) {
            start = s.startNs;
            end = s.endPrio != Scratch.NONE ? s.endNs : start;
        } else if (s.endPrio != Scratch.NONE) {
            start = s.endNs;
            end = s.endNs;
        } else {
            start = c.receivedMs() * 1_000_000L;
            end = start;
        }
        r.timeFlowStartNs(start).timeFlowEndNs(end);
        if (r.etype() == 0) {
            byte[] a = r.srcAddr() != null ? r.srcAddr() : r.dstAddr();
            if (a != null) {
                r.etype(a.length == 4 ? 0x0800 : 0x86DD);
            }
        }
        long rate = t.hasExplicitRate ? s.explicitRate() : 0;
        if (rate == 0 && s.samplerId >= 0) {
            if (s.samplerId != s.cachedSamplerId) {
                s.cachedSamplerId = s.samplerId;
                s.cachedRate = c.rates().rate(s.samplerId);
            }
            rate = s.cachedRate;
        }
        r.samplingRate(rate != 0 ? rate : c.defaultRate());
    }

    /** Export time minus a delta in µs, in ns (158/159). */
    private static long delta(DataContext c, long micros) {
        return c.exportMs() * 1_000_000L - micros * 1_000L;
    }

    /** dateTimeMicro/Nanoseconds: NTP 64-bit (s since 1900 + fraction/2^32) to epoch ns; 0 stays 0 (absent). */
    static long ntp(byte[] b, int pos, int len) {
        if (len != 8) {
            return 0;
        }
        long seconds = (int) INT.get(b, pos) & 0xFFFFFFFFL;
        long fraction = (int) INT.get(b, pos + 4) & 0xFFFFFFFFL;
        if (seconds == 0 && fraction == 0) {
            return 0;
        }
        return seconds * 1_000_000_000L - NTP_OFFSET_NS + ((fraction * 1_000_000_000L) >>> 32);
    }

    private static long bits(int... codes) {
        long set = 0;
        for (int code : codes) {
            if (code < 0 || code >= Long.SIZE) {
                // A shift takes its distance mod 64: a larger code would alias a smaller one.
                throw new IllegalStateException("field code " + code + " does not fit a 64-bit set");
            }
            set |= 1L << code;
        }
        return set;
    }

    /** Big-endian unsigned integer of 1-8 bytes (reduced-size encoding); longer fields give their low 8 bytes. */
    static long unsigned(byte[] b, int pos, int len) {
        switch (len) {
            case 1:
                return b[pos] & 0xFFL;
            case 2:
                return (short) SHORT.get(b, pos) & 0xFFFFL;
            case 4:
                return (int) INT.get(b, pos) & 0xFFFFFFFFL;
            case 8:
                return (long) LONG.get(b, pos);
            default:
                long v = 0;
                for (int i = Math.max(pos, pos + len - 8); i < pos + len; i++) {
                    v = (v << 8) | (b[i] & 0xFF);
                }
                return v;
        }
    }

    private static boolean zero(byte[] b, int pos, int len) {
        for (int i = pos; i < pos + len; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** A next hop's bytes (4 or 16): an IPv4 one shared through {@link #nextHops}, an IPv6 one copied. */
    private byte[] hop(byte[] b, int pos, int len) {
        return len == 4 ? nextHops.ipv4(b, pos) : copy(b, pos, len);
    }

    private static byte[] copy(byte[] b, int pos, int len) {
        byte[] a = new byte[len];
        if (len == 4) {
            // An IPv4 address: one load and one store rather than a call to the array copy stub.
            INT.set(a, 0, (int) INT.get(b, pos));
        } else {
            System.arraycopy(b, pos, a, 0, len);
        }
        return a;
    }

    /** Attribute values: fixed 1-8 bytes as a number (Long, BigInteger above 2^63-1), anything else as hex. */
    private static Object attributeValue(byte[] b, int pos, int len, boolean variable) {
        if (!variable && len >= 1 && len <= 8) {
            long v = unsigned(b, pos, len);
            return v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
        }
        return Hex.of(b, pos, len);
    }
}
