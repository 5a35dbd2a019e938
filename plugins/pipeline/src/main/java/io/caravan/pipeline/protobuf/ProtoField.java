package io.caravan.pipeline.protobuf;

import io.caravan.api.flow.FlowRecord;

/**
 * The protobuf format: goflow2's {@code FlowMessage} (pb/flow.proto), one constant per field
 * Caravan writes, in field-number order, which is the order they are written in (as protobuf's
 * own serializers do). The one declaration of the format: the decoder reads by it, and {@link
 * FlowWriter}, the encoder's hand-written hot path, takes its tags from it and is tested to write
 * what a generic writer driven by it (the tests' reference) writes.
 *
 * <p>{@link #protoType} is the type goflow2 declares. Whatever it declares, every integer is
 * written as the record's full unsigned value, so Caravan reads back what it wrote; a goflow2
 * reader of a {@code uint32} field keeps the low 32 bits. {@link #FLOW_DIRECTION} is not in
 * goflow2's message any more; it is written under the custom number 1000 (goflow2 reserves custom
 * fields to numbers from 1000). Attributes and {@link FlowRecord#source()} are not written.
 */
enum ProtoField {
    TYPE(1, "type", "FlowType", new ProtoCodec.Type()),
    SAMPLING_RATE(3, "sampling_rate", "uint64", new ProtoCodec.U64(FlowRecord::samplingRate, FlowRecord::samplingRate)),
    SEQUENCE_NUM(4, "sequence_num", "uint32", new ProtoCodec.U64(FlowRecord::sequenceNum, FlowRecord::sequenceNum)),
    SRC_ADDR(6, "src_addr", "bytes", new ProtoCodec.Address(FlowRecord::srcAddr, FlowRecord::srcAddr)),
    DST_ADDR(7, "dst_addr", "bytes", new ProtoCodec.Address(FlowRecord::dstAddr, FlowRecord::dstAddr)),
    BYTES(9, "bytes", "uint64", new ProtoCodec.U64(FlowRecord::bytes, FlowRecord::bytes)),
    PACKETS(10, "packets", "uint64", new ProtoCodec.U64(FlowRecord::packets, FlowRecord::packets)),
    SAMPLER_ADDRESS(11, "sampler_address", "bytes",
            new ProtoCodec.Address(FlowRecord::samplerAddress, FlowRecord::samplerAddress)),
    NEXT_HOP(12, "next_hop", "bytes", new ProtoCodec.Address(FlowRecord::nextHop, FlowRecord::nextHop)),
    NEXT_HOP_AS(13, "next_hop_as", "uint32", new ProtoCodec.U64(FlowRecord::nextHopAs, FlowRecord::nextHopAs)),
    SRC_AS(14, "src_as", "uint32", new ProtoCodec.U64(FlowRecord::srcAs, FlowRecord::srcAs)),
    DST_AS(15, "dst_as", "uint32", new ProtoCodec.U64(FlowRecord::dstAs, FlowRecord::dstAs)),
    SRC_NET(16, "src_net", "uint32", new ProtoCodec.U32(FlowRecord::srcNet, FlowRecord::srcNet)),
    DST_NET(17, "dst_net", "uint32", new ProtoCodec.U32(FlowRecord::dstNet, FlowRecord::dstNet)),
    IN_IF(18, "in_if", "uint32", new ProtoCodec.U64(FlowRecord::inIf, FlowRecord::inIf)),
    OUT_IF(19, "out_if", "uint32", new ProtoCodec.U64(FlowRecord::outIf, FlowRecord::outIf)),
    PROTO(20, "proto", "uint32", new ProtoCodec.U32(FlowRecord::proto, FlowRecord::proto)),
    SRC_PORT(21, "src_port", "uint32", new ProtoCodec.U32(FlowRecord::srcPort, FlowRecord::srcPort)),
    DST_PORT(22, "dst_port", "uint32", new ProtoCodec.U32(FlowRecord::dstPort, FlowRecord::dstPort)),
    IP_TOS(23, "ip_tos", "uint32", new ProtoCodec.U32(FlowRecord::ipTos, FlowRecord::ipTos)),
    FORWARDING_STATUS(24, "forwarding_status", "uint32",
            new ProtoCodec.U32(FlowRecord::forwardingStatus, FlowRecord::forwardingStatus)),
    IP_TTL(25, "ip_ttl", "uint32", new ProtoCodec.U32(FlowRecord::ipTtl, FlowRecord::ipTtl)),
    TCP_FLAGS(26, "tcp_flags", "uint32", new ProtoCodec.U32(FlowRecord::tcpFlags, FlowRecord::tcpFlags)),
    SRC_MAC(27, "src_mac", "uint64", new ProtoCodec.U64(FlowRecord::srcMac, FlowRecord::srcMac)),
    DST_MAC(28, "dst_mac", "uint64", new ProtoCodec.U64(FlowRecord::dstMac, FlowRecord::dstMac)),
    VLAN_ID(29, "vlan_id", "uint32", new ProtoCodec.U32(FlowRecord::vlanId, FlowRecord::vlanId)),
    ETYPE(30, "etype", "uint32", new ProtoCodec.U32(FlowRecord::etype, FlowRecord::etype)),
    ICMP_TYPE(31, "icmp_type", "uint32", new ProtoCodec.U32(FlowRecord::icmpType, FlowRecord::icmpType)),
    ICMP_CODE(32, "icmp_code", "uint32", new ProtoCodec.U32(FlowRecord::icmpCode, FlowRecord::icmpCode)),
    SRC_VLAN(33, "src_vlan", "uint32", new ProtoCodec.U32(FlowRecord::srcVlan, FlowRecord::srcVlan)),
    DST_VLAN(34, "dst_vlan", "uint32", new ProtoCodec.U32(FlowRecord::dstVlan, FlowRecord::dstVlan)),
    FRAGMENT_ID(35, "fragment_id", "uint32", new ProtoCodec.U64(FlowRecord::fragmentId, FlowRecord::fragmentId)),
    FRAGMENT_OFFSET(36, "fragment_offset", "uint32",
            new ProtoCodec.U32(FlowRecord::fragmentOffset, FlowRecord::fragmentOffset)),
    IPV6_FLOW_LABEL(37, "ipv6_flow_label", "uint32",
            new ProtoCodec.U64(FlowRecord::ipv6FlowLabel, FlowRecord::ipv6FlowLabel)),
    IP_FLAGS(38, "ip_flags", "uint32", new ProtoCodec.U32(FlowRecord::ipFlags, FlowRecord::ipFlags)),
    OBSERVATION_DOMAIN_ID(70, "observation_domain_id", "uint32",
            new ProtoCodec.U64(FlowRecord::observationDomainId, FlowRecord::observationDomainId)),
    OBSERVATION_POINT_ID(71, "observation_point_id", "uint32",
            new ProtoCodec.U64(FlowRecord::observationPointId, FlowRecord::observationPointId)),
    BGP_NEXT_HOP(100, "bgp_next_hop", "bytes", new ProtoCodec.Address(FlowRecord::bgpNextHop, FlowRecord::bgpNextHop)),
    TIME_RECEIVED_NS(110, "time_received_ns", "uint64",
            new ProtoCodec.U64(FlowRecord::timeReceivedNs, FlowRecord::timeReceivedNs)),
    TIME_FLOW_START_NS(111, "time_flow_start_ns", "uint64",
            new ProtoCodec.U64(FlowRecord::timeFlowStartNs, FlowRecord::timeFlowStartNs)),
    TIME_FLOW_END_NS(112, "time_flow_end_ns", "uint64",
            new ProtoCodec.U64(FlowRecord::timeFlowEndNs, FlowRecord::timeFlowEndNs)),
    FLOW_DIRECTION(1000, "flow_direction", "uint32",
            new ProtoCodec.U32(FlowRecord::flowDirection, FlowRecord::flowDirection));

    /** {@link #values()} without the per-call copy. */
    static final ProtoField[] ALL = values();

    private static final ProtoField[] BY_NUMBER = new ProtoField[FLOW_DIRECTION.number + 1];

    static {
        for (ProtoField f : ALL) {
            BY_NUMBER[f.number] = f;
        }
    }

    final int number;
    final String protoName;
    final String protoType;
    final ProtoCodec codec;
    /** The tag written before each value: field number and wire type. */
    final int tag;

    ProtoField(int number, String protoName, String protoType, ProtoCodec codec) {
        this.number = number;
        this.protoName = protoName;
        this.protoType = protoType;
        this.codec = codec;
        this.tag = ProtoWriter.tag(number, codec.wireType());
    }

    /** The field of that number, or null for one Caravan does not read. */
    static ProtoField numbered(long number) {
        return number >= 0 && number < BY_NUMBER.length ? BY_NUMBER[(int) number] : null;
    }
}
