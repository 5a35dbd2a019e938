package io.caravan.pipeline.json;

import com.fasterxml.jackson.core.io.SerializedString;
import io.caravan.api.flow.FlowRecord;
import java.util.HashMap;
import java.util.Map;

/**
 * The JSON lines format: one field per {@link FlowRecord} property, named as goflow2's JSON output
 * (snake_case), written in this order. The one list both the encoder and the decoder use. The
 * attribute map is written after these as {@link #ATTRIBUTES}; {@link FlowRecord#source()} is
 * not written.
 */
enum FlowField {
    TYPE("type", new FieldCodec.Type()),
    TIME_RECEIVED_NS("time_received_ns", new FieldCodec.U64(FlowRecord::timeReceivedNs, FlowRecord::timeReceivedNs)),
    SEQUENCE_NUM("sequence_num", new FieldCodec.U64(FlowRecord::sequenceNum, FlowRecord::sequenceNum)),
    SAMPLING_RATE("sampling_rate", new FieldCodec.U64(FlowRecord::samplingRate, FlowRecord::samplingRate)),
    SAMPLER_ADDRESS("sampler_address", new FieldCodec.Address(FlowRecord::samplerAddress, FlowRecord::samplerAddress)),
    OBSERVATION_DOMAIN_ID("observation_domain_id",
            new FieldCodec.U64(FlowRecord::observationDomainId, FlowRecord::observationDomainId)),
    OBSERVATION_POINT_ID("observation_point_id",
            new FieldCodec.U64(FlowRecord::observationPointId, FlowRecord::observationPointId)),
    TIME_FLOW_START_NS("time_flow_start_ns", new FieldCodec.U64(FlowRecord::timeFlowStartNs, FlowRecord::timeFlowStartNs)),
    TIME_FLOW_END_NS("time_flow_end_ns", new FieldCodec.U64(FlowRecord::timeFlowEndNs, FlowRecord::timeFlowEndNs)),
    BYTES("bytes", new FieldCodec.U64(FlowRecord::bytes, FlowRecord::bytes)),
    PACKETS("packets", new FieldCodec.U64(FlowRecord::packets, FlowRecord::packets)),
    SRC_ADDR("src_addr", new FieldCodec.Address(FlowRecord::srcAddr, FlowRecord::srcAddr)),
    DST_ADDR("dst_addr", new FieldCodec.Address(FlowRecord::dstAddr, FlowRecord::dstAddr)),
    ETYPE("etype", new FieldCodec.I32(FlowRecord::etype, FlowRecord::etype)),
    PROTO("proto", new FieldCodec.I32(FlowRecord::proto, FlowRecord::proto)),
    SRC_PORT("src_port", new FieldCodec.I32(FlowRecord::srcPort, FlowRecord::srcPort)),
    DST_PORT("dst_port", new FieldCodec.I32(FlowRecord::dstPort, FlowRecord::dstPort)),
    IN_IF("in_if", new FieldCodec.U64(FlowRecord::inIf, FlowRecord::inIf)),
    OUT_IF("out_if", new FieldCodec.U64(FlowRecord::outIf, FlowRecord::outIf)),
    SRC_MAC("src_mac", new FieldCodec.Mac(FlowRecord::srcMac, FlowRecord::srcMac)),
    DST_MAC("dst_mac", new FieldCodec.Mac(FlowRecord::dstMac, FlowRecord::dstMac)),
    SRC_VLAN("src_vlan", new FieldCodec.I32(FlowRecord::srcVlan, FlowRecord::srcVlan)),
    DST_VLAN("dst_vlan", new FieldCodec.I32(FlowRecord::dstVlan, FlowRecord::dstVlan)),
    VLAN_ID("vlan_id", new FieldCodec.I32(FlowRecord::vlanId, FlowRecord::vlanId)),
    IP_TOS("ip_tos", new FieldCodec.I32(FlowRecord::ipTos, FlowRecord::ipTos)),
    FORWARDING_STATUS("forwarding_status", new FieldCodec.I32(FlowRecord::forwardingStatus, FlowRecord::forwardingStatus)),
    IP_TTL("ip_ttl", new FieldCodec.I32(FlowRecord::ipTtl, FlowRecord::ipTtl)),
    IP_FLAGS("ip_flags", new FieldCodec.I32(FlowRecord::ipFlags, FlowRecord::ipFlags)),
    TCP_FLAGS("tcp_flags", new FieldCodec.I32(FlowRecord::tcpFlags, FlowRecord::tcpFlags)),
    ICMP_TYPE("icmp_type", new FieldCodec.I32(FlowRecord::icmpType, FlowRecord::icmpType)),
    ICMP_CODE("icmp_code", new FieldCodec.I32(FlowRecord::icmpCode, FlowRecord::icmpCode)),
    IPV6_FLOW_LABEL("ipv6_flow_label", new FieldCodec.U64(FlowRecord::ipv6FlowLabel, FlowRecord::ipv6FlowLabel)),
    FRAGMENT_ID("fragment_id", new FieldCodec.U64(FlowRecord::fragmentId, FlowRecord::fragmentId)),
    FRAGMENT_OFFSET("fragment_offset", new FieldCodec.I32(FlowRecord::fragmentOffset, FlowRecord::fragmentOffset)),
    SRC_AS("src_as", new FieldCodec.U64(FlowRecord::srcAs, FlowRecord::srcAs)),
    DST_AS("dst_as", new FieldCodec.U64(FlowRecord::dstAs, FlowRecord::dstAs)),
    NEXT_HOP("next_hop", new FieldCodec.Address(FlowRecord::nextHop, FlowRecord::nextHop)),
    NEXT_HOP_AS("next_hop_as", new FieldCodec.U64(FlowRecord::nextHopAs, FlowRecord::nextHopAs)),
    SRC_NET("src_net", new FieldCodec.I32(FlowRecord::srcNet, FlowRecord::srcNet)),
    DST_NET("dst_net", new FieldCodec.I32(FlowRecord::dstNet, FlowRecord::dstNet)),
    BGP_NEXT_HOP("bgp_next_hop", new FieldCodec.Address(FlowRecord::bgpNextHop, FlowRecord::bgpNextHop)),
    FLOW_DIRECTION("flow_direction", new FieldCodec.I32(FlowRecord::flowDirection, FlowRecord::flowDirection));

    /** The attribute map's key: an object of string, number and boolean values, omitted when empty. */
    static final String ATTRIBUTES = "attributes";
    static final SerializedString ATTRIBUTES_KEY = new SerializedString(ATTRIBUTES);

    /** {@link #values()} without the per-call copy. */
    static final FlowField[] ALL = values();

    private static final Map<String, FlowField> BY_NAME = new HashMap<>();

    static {
        for (FlowField f : ALL) {
            BY_NAME.put(f.key.getValue(), f);
        }
    }

    /** The JSON name, pre-encoded for the generator. */
    final SerializedString key;
    final FieldCodec codec;

    FlowField(String name, FieldCodec codec) {
        this.key = new SerializedString(name);
        this.codec = codec;
    }

    /** The field of that JSON name, or null. */
    static FlowField named(String name) {
        return BY_NAME.get(name);
    }

    String jsonName() {
        return key.getValue();
    }
}
