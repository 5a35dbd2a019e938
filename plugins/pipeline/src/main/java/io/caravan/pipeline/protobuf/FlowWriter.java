package io.caravan.pipeline.protobuf;

import io.caravan.api.flow.FlowRecord;

/**
 * The encoder's hot path: one record as a FlowMessage, by straight-line code in field-number
 * order that calls the record's getters directly: no interface call and lambda per field. The
 * tests hold it to the bytes a generic writer driven by the {@link ProtoField} table writes (their
 * {@code TableWriter}), for every field. {@link ProtoField} stays the one
 * declaration of numbers, names and types: a field added there must be added to both methods here.
 */
final class FlowWriter {
    // The tags as constants, so that the JIT folds each tag's bytes and size into the code (it
    // would load them from the enum constants' fields each time).
    private static final int TYPE = ProtoField.TYPE.tag;
    private static final int SAMPLING_RATE = ProtoField.SAMPLING_RATE.tag;
    private static final int SEQUENCE_NUM = ProtoField.SEQUENCE_NUM.tag;
    private static final int SRC_ADDR = ProtoField.SRC_ADDR.tag;
    private static final int DST_ADDR = ProtoField.DST_ADDR.tag;
    private static final int BYTES = ProtoField.BYTES.tag;
    private static final int PACKETS = ProtoField.PACKETS.tag;
    private static final int SAMPLER_ADDRESS = ProtoField.SAMPLER_ADDRESS.tag;
    private static final int NEXT_HOP = ProtoField.NEXT_HOP.tag;
    private static final int NEXT_HOP_AS = ProtoField.NEXT_HOP_AS.tag;
    private static final int SRC_AS = ProtoField.SRC_AS.tag;
    private static final int DST_AS = ProtoField.DST_AS.tag;
    private static final int SRC_NET = ProtoField.SRC_NET.tag;
    private static final int DST_NET = ProtoField.DST_NET.tag;
    private static final int IN_IF = ProtoField.IN_IF.tag;
    private static final int OUT_IF = ProtoField.OUT_IF.tag;
    private static final int PROTO = ProtoField.PROTO.tag;
    private static final int SRC_PORT = ProtoField.SRC_PORT.tag;
    private static final int DST_PORT = ProtoField.DST_PORT.tag;
    private static final int IP_TOS = ProtoField.IP_TOS.tag;
    private static final int FORWARDING_STATUS = ProtoField.FORWARDING_STATUS.tag;
    private static final int IP_TTL = ProtoField.IP_TTL.tag;
    private static final int TCP_FLAGS = ProtoField.TCP_FLAGS.tag;
    private static final int SRC_MAC = ProtoField.SRC_MAC.tag;
    private static final int DST_MAC = ProtoField.DST_MAC.tag;
    private static final int VLAN_ID = ProtoField.VLAN_ID.tag;
    private static final int ETYPE = ProtoField.ETYPE.tag;
    private static final int ICMP_TYPE = ProtoField.ICMP_TYPE.tag;
    private static final int ICMP_CODE = ProtoField.ICMP_CODE.tag;
    private static final int SRC_VLAN = ProtoField.SRC_VLAN.tag;
    private static final int DST_VLAN = ProtoField.DST_VLAN.tag;
    private static final int FRAGMENT_ID = ProtoField.FRAGMENT_ID.tag;
    private static final int FRAGMENT_OFFSET = ProtoField.FRAGMENT_OFFSET.tag;
    private static final int IPV6_FLOW_LABEL = ProtoField.IPV6_FLOW_LABEL.tag;
    private static final int IP_FLAGS = ProtoField.IP_FLAGS.tag;
    private static final int OBSERVATION_DOMAIN_ID = ProtoField.OBSERVATION_DOMAIN_ID.tag;
    private static final int OBSERVATION_POINT_ID = ProtoField.OBSERVATION_POINT_ID.tag;
    private static final int BGP_NEXT_HOP = ProtoField.BGP_NEXT_HOP.tag;
    private static final int TIME_RECEIVED_NS = ProtoField.TIME_RECEIVED_NS.tag;
    private static final int TIME_FLOW_START_NS = ProtoField.TIME_FLOW_START_NS.tag;
    private static final int TIME_FLOW_END_NS = ProtoField.TIME_FLOW_END_NS.tag;
    private static final int FLOW_DIRECTION = ProtoField.FLOW_DIRECTION.tag;

    /** The most bytes {@link #write} writes for one record: every field at its largest. */
    static final int MAX_SIZE = maxSize();

    private FlowWriter() {
    }

    /**
     * The bytes {@link #write} writes for the record (for a bare message, which has no length to
     * write before it).
     *
     * @throws IllegalArgumentException an address of neither 4 nor 16 bytes
     */
    static int size(FlowRecord r) {
        return u64Size(TYPE, ProtoCodec.Type.number(r.type()))
                + u64Size(SAMPLING_RATE, r.samplingRate())
                + u64Size(SEQUENCE_NUM, r.sequenceNum())
                + addressSize(SRC_ADDR, r.srcAddr())
                + addressSize(DST_ADDR, r.dstAddr())
                + u64Size(BYTES, r.bytes())
                + u64Size(PACKETS, r.packets())
                + addressSize(SAMPLER_ADDRESS, r.samplerAddress())
                + addressSize(NEXT_HOP, r.nextHop())
                + u64Size(NEXT_HOP_AS, r.nextHopAs())
                + u64Size(SRC_AS, r.srcAs())
                + u64Size(DST_AS, r.dstAs())
                + u32Size(SRC_NET, r.srcNet())
                + u32Size(DST_NET, r.dstNet())
                + u64Size(IN_IF, r.inIf())
                + u64Size(OUT_IF, r.outIf())
                + u32Size(PROTO, r.proto())
                + u32Size(SRC_PORT, r.srcPort())
                + u32Size(DST_PORT, r.dstPort())
                + u32Size(IP_TOS, r.ipTos())
                + u32Size(FORWARDING_STATUS, r.forwardingStatus())
                + u32Size(IP_TTL, r.ipTtl())
                + u32Size(TCP_FLAGS, r.tcpFlags())
                + u64Size(SRC_MAC, r.srcMac())
                + u64Size(DST_MAC, r.dstMac())
                + u32Size(VLAN_ID, r.vlanId())
                + u32Size(ETYPE, r.etype())
                + u32Size(ICMP_TYPE, r.icmpType())
                + u32Size(ICMP_CODE, r.icmpCode())
                + u32Size(SRC_VLAN, r.srcVlan())
                + u32Size(DST_VLAN, r.dstVlan())
                + u64Size(FRAGMENT_ID, r.fragmentId())
                + u32Size(FRAGMENT_OFFSET, r.fragmentOffset())
                + u64Size(IPV6_FLOW_LABEL, r.ipv6FlowLabel())
                + u32Size(IP_FLAGS, r.ipFlags())
                + u64Size(OBSERVATION_DOMAIN_ID, r.observationDomainId())
                + u64Size(OBSERVATION_POINT_ID, r.observationPointId())
                + addressSize(BGP_NEXT_HOP, r.bgpNextHop())
                + u64Size(TIME_RECEIVED_NS, r.timeReceivedNs())
                + u64Size(TIME_FLOW_START_NS, r.timeFlowStartNs())
                + u64Size(TIME_FLOW_END_NS, r.timeFlowEndNs())
                + u32Size(FLOW_DIRECTION, r.flowDirection());
    }

    /**
     * Writes the record's fields at {@code b[p]}, which has room for the {@link #size} the caller
     * got for it, or for {@link #MAX_SIZE}; returns the position after them.
     *
     * @throws IllegalArgumentException an address of neither 4 nor 16 bytes
     */
    static int write(FlowRecord r, byte[] b, int p) {
        // C2 inlines the helpers below at every field, up to 8000 bytecodes in all
        // (DesiredMethodLimit); the 42 fields take about 7,600. Past the limit the last fields
        // become calls (-XX:+PrintInlining says "size > DesiredMethodLimit"): keep the helpers small.
        p = u64(b, p, TYPE, ProtoCodec.Type.number(r.type()));
        p = u64(b, p, SAMPLING_RATE, r.samplingRate());
        p = u64(b, p, SEQUENCE_NUM, r.sequenceNum());
        p = address(b, p, SRC_ADDR, r.srcAddr());
        p = address(b, p, DST_ADDR, r.dstAddr());
        p = u64(b, p, BYTES, r.bytes());
        p = u64(b, p, PACKETS, r.packets());
        p = address(b, p, SAMPLER_ADDRESS, r.samplerAddress());
        p = address(b, p, NEXT_HOP, r.nextHop());
        p = u64(b, p, NEXT_HOP_AS, r.nextHopAs());
        p = u64(b, p, SRC_AS, r.srcAs());
        p = u64(b, p, DST_AS, r.dstAs());
        p = u32(b, p, SRC_NET, r.srcNet());
        p = u32(b, p, DST_NET, r.dstNet());
        p = u64(b, p, IN_IF, r.inIf());
        p = u64(b, p, OUT_IF, r.outIf());
        p = u32(b, p, PROTO, r.proto());
        p = u32(b, p, SRC_PORT, r.srcPort());
        p = u32(b, p, DST_PORT, r.dstPort());
        p = u32(b, p, IP_TOS, r.ipTos());
        p = u32(b, p, FORWARDING_STATUS, r.forwardingStatus());
        p = u32(b, p, IP_TTL, r.ipTtl());
        p = u32(b, p, TCP_FLAGS, r.tcpFlags());
        p = u64(b, p, SRC_MAC, r.srcMac());
        p = u64(b, p, DST_MAC, r.dstMac());
        p = u32(b, p, VLAN_ID, r.vlanId());
        p = u32(b, p, ETYPE, r.etype());
        p = u32(b, p, ICMP_TYPE, r.icmpType());
        p = u32(b, p, ICMP_CODE, r.icmpCode());
        p = u32(b, p, SRC_VLAN, r.srcVlan());
        p = u32(b, p, DST_VLAN, r.dstVlan());
        p = u64(b, p, FRAGMENT_ID, r.fragmentId());
        p = u32(b, p, FRAGMENT_OFFSET, r.fragmentOffset());
        p = u64(b, p, IPV6_FLOW_LABEL, r.ipv6FlowLabel());
        p = u32(b, p, IP_FLAGS, r.ipFlags());
        p = u64(b, p, OBSERVATION_DOMAIN_ID, r.observationDomainId());
        p = u64(b, p, OBSERVATION_POINT_ID, r.observationPointId());
        p = address(b, p, BGP_NEXT_HOP, r.bgpNextHop());
        p = u64(b, p, TIME_RECEIVED_NS, r.timeReceivedNs());
        p = u64(b, p, TIME_FLOW_START_NS, r.timeFlowStartNs());
        p = u64(b, p, TIME_FLOW_END_NS, r.timeFlowEndNs());
        return u32(b, p, FLOW_DIRECTION, r.flowDirection());
    }

    /** A uint64 field ({@link ProtoCodec.U64}), left out when 0. */
    private static int u64Size(int tag, long v) {
        return v == 0 ? 0 : ProtoWriter.varintSize(tag) + ProtoWriter.varintSize(v);
    }

    /** A uint32 field ({@link ProtoCodec.U32}): the int's unsigned 32 bits. */
    private static int u32Size(int tag, int v) {
        return u64Size(tag, Integer.toUnsignedLong(v));
    }

    /** An address field ({@link ProtoCodec.Address}), left out when null; its length fits in one byte. */
    private static int addressSize(int tag, byte[] a) {
        if (a == null) {
            return 0;
        }
        if (a.length != 4 && a.length != 16) {
            throw ProtoCodec.Address.wrongLength(ProtoField.numbered(tag >>> 3), a);
        }
        return ProtoWriter.varintSize(tag) + 1 + a.length;
    }

    private static int u64(byte[] b, int p, int tag, long v) {
        return v == 0 ? p : ProtoWriter.putVarint(b, putTag(b, p, tag), v);
    }

    private static int u32(byte[] b, int p, int tag, int v) {
        return v == 0 ? p : ProtoWriter.putVarint(b, putTag(b, p, tag), v & 0xFFFF_FFFFL);
    }

    /** A tag: 1 byte for fields up to 15, 2 up to 2047 (FlowMessage's numbers are all below). */
    private static int putTag(byte[] b, int p, int tag) {
        // Less code to inline than a general varint, and with a constant tag the JIT drops the branch.
        if (tag < 0x80) {
            b[p] = (byte) tag;
            return p + 1;
        }
        b[p] = (byte) (tag | 0x80);
        b[p + 1] = (byte) (tag >>> 7);
        return p + 2;
    }

    /** An address: 4 or 16 bytes. */
    private static int address(byte[] b, int p, int tag, byte[] a) {
        if (a == null) {
            return p;
        }
        if (a.length == 4) {
            p = putTag(b, p, tag);
            // Byte by byte: cheaper than arraycopy's call to its stub for 4 bytes.
            b[p] = 4;
            b[p + 1] = a[0];
            b[p + 2] = a[1];
            b[p + 3] = a[2];
            b[p + 4] = a[3];
            return p + 5;
        }
        if (a.length != 16) {
            throw ProtoCodec.Address.wrongLength(ProtoField.numbered(tag >>> 3), a);
        }
        p = putTag(b, p, tag);
        b[p++] = 16;
        System.arraycopy(a, 0, b, p, 16);
        return p + 16;
    }

    private static int maxSize() {
        int n = 0;
        for (ProtoField f : ProtoField.ALL) {
            n += ProtoWriter.varintSize(f.tag) + (f.codec instanceof ProtoCodec.Address ? 1 + 16 : 10);
        }
        return n;
    }
}
