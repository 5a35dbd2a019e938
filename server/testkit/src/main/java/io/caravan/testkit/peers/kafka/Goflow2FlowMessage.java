package io.caravan.testkit.peers.kafka;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import java.io.IOException;

/**
 * goflow2's {@code FlowMessage} (pb/flow.proto of goflow2 v2, proto3) as protobuf-java sees it,
 * written from that file and not from Caravan's encoder, including the repeated fields Caravan does
 * not write. Field 42 (flow_direction) is commented out in goflow2, so it is absent here too.
 * {@link #parse} reads one Kafka message value as goflow2 v2 writes it: a varint length, then the message.
 */
public final class Goflow2FlowMessage {
    public static final Descriptor FLOW_MESSAGE = build();

    private Goflow2FlowMessage() {
    }

    /** One length-delimited FlowMessage that must fill {@code value} exactly. */
    public static DynamicMessage parse(byte[] value) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(value);
        int length = in.readRawVarint32();
        if (length != value.length - in.getTotalBytesRead()) {
            throw new IOException("length prefix " + length + " but " + (value.length - in.getTotalBytesRead())
                    + " bytes follow it");
        }
        DynamicMessage m = DynamicMessage.parseFrom(FLOW_MESSAGE, in.readRawBytes(length));
        if (!m.getUnknownFields().asMap().isEmpty()) {
            throw new IOException("fields goflow2's flow.proto does not have: " + m.getUnknownFields().asMap().keySet());
        }
        return m;
    }

    /** A scalar field by name (unset fields give their proto3 default). */
    public static Object get(DynamicMessage m, String field) {
        return m.getField(FLOW_MESSAGE.findFieldByName(field));
    }

    private static Descriptor build() {
        DescriptorProto.Builder m = DescriptorProto.newBuilder().setName("FlowMessage")
                .addEnumType(EnumDescriptorProto.newBuilder().setName("FlowType")
                        .addValue(value("FLOWUNKNOWN", 0)).addValue(value("SFLOW_5", 1))
                        .addValue(value("NETFLOW_V5", 2)).addValue(value("NETFLOW_V9", 3))
                        .addValue(value("IPFIX", 4)))
                .addEnumType(layerStack());
        m.addField(field("type", 1, Type.TYPE_ENUM).setTypeName(".flowpb.FlowMessage.FlowType"));
        m.addField(field("time_received_ns", 110, Type.TYPE_UINT64));
        m.addField(field("sequence_num", 4, Type.TYPE_UINT32));
        m.addField(field("sampling_rate", 3, Type.TYPE_UINT64));
        m.addField(field("sampler_address", 11, Type.TYPE_BYTES));
        m.addField(field("time_flow_start_ns", 111, Type.TYPE_UINT64));
        m.addField(field("time_flow_end_ns", 112, Type.TYPE_UINT64));
        m.addField(field("bytes", 9, Type.TYPE_UINT64));
        m.addField(field("packets", 10, Type.TYPE_UINT64));
        m.addField(field("src_addr", 6, Type.TYPE_BYTES));
        m.addField(field("dst_addr", 7, Type.TYPE_BYTES));
        m.addField(field("etype", 30, Type.TYPE_UINT32));
        m.addField(field("proto", 20, Type.TYPE_UINT32));
        m.addField(field("src_port", 21, Type.TYPE_UINT32));
        m.addField(field("dst_port", 22, Type.TYPE_UINT32));
        m.addField(field("in_if", 18, Type.TYPE_UINT32));
        m.addField(field("out_if", 19, Type.TYPE_UINT32));
        m.addField(field("src_mac", 27, Type.TYPE_UINT64));
        m.addField(field("dst_mac", 28, Type.TYPE_UINT64));
        m.addField(field("src_vlan", 33, Type.TYPE_UINT32));
        m.addField(field("dst_vlan", 34, Type.TYPE_UINT32));
        m.addField(field("vlan_id", 29, Type.TYPE_UINT32));
        m.addField(field("ip_tos", 23, Type.TYPE_UINT32));
        m.addField(field("forwarding_status", 24, Type.TYPE_UINT32));
        m.addField(field("ip_ttl", 25, Type.TYPE_UINT32));
        m.addField(field("ip_flags", 38, Type.TYPE_UINT32));
        m.addField(field("tcp_flags", 26, Type.TYPE_UINT32));
        m.addField(field("icmp_type", 31, Type.TYPE_UINT32));
        m.addField(field("icmp_code", 32, Type.TYPE_UINT32));
        m.addField(field("ipv6_flow_label", 37, Type.TYPE_UINT32));
        m.addField(field("fragment_id", 35, Type.TYPE_UINT32));
        m.addField(field("fragment_offset", 36, Type.TYPE_UINT32));
        m.addField(field("src_as", 14, Type.TYPE_UINT32));
        m.addField(field("dst_as", 15, Type.TYPE_UINT32));
        m.addField(field("next_hop", 12, Type.TYPE_BYTES));
        m.addField(field("next_hop_as", 13, Type.TYPE_UINT32));
        m.addField(field("src_net", 16, Type.TYPE_UINT32));
        m.addField(field("dst_net", 17, Type.TYPE_UINT32));
        m.addField(field("bgp_next_hop", 100, Type.TYPE_BYTES));
        m.addField(repeated("bgp_communities", 101, Type.TYPE_UINT32));
        m.addField(repeated("as_path", 102, Type.TYPE_UINT32));
        m.addField(repeated("mpls_ttl", 80, Type.TYPE_UINT32));
        m.addField(repeated("mpls_label", 81, Type.TYPE_UINT32));
        m.addField(repeated("mpls_ip", 82, Type.TYPE_BYTES));
        m.addField(field("observation_domain_id", 70, Type.TYPE_UINT32));
        m.addField(field("observation_point_id", 71, Type.TYPE_UINT32));
        m.addField(repeated("layer_stack", 103, Type.TYPE_ENUM).setTypeName(".flowpb.FlowMessage.LayerStack"));
        m.addField(repeated("ipv6_routing_header_addresses", 104, Type.TYPE_BYTES));
        m.addField(field("ipv6_routing_header_seg_left", 105, Type.TYPE_UINT32));
        FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("flow.proto").setPackage("flowpb")
                .setSyntax("proto3").addMessageType(m).build();
        try {
            return FileDescriptor.buildFrom(file, new FileDescriptor[0]).findMessageTypeByName("FlowMessage");
        } catch (DescriptorValidationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FieldDescriptorProto.Builder field(String name, int number, Type type) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
                .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL);
    }

    private static FieldDescriptorProto.Builder repeated(String name, int number, Type type) {
        return field(name, number, type).setLabel(FieldDescriptorProto.Label.LABEL_REPEATED);
    }

    private static EnumDescriptorProto layerStack() {
        EnumDescriptorProto.Builder e = EnumDescriptorProto.newBuilder().setName("LayerStack");
        String[] names = {"Ethernet", "IPv4", "IPv6", "TCP", "UDP", "MPLS", "Dot1Q", "ICMP", "ICMPv6", "GRE",
                "IPv6HeaderRouting", "IPv6HeaderFragment"};
        for (int i = 0; i < names.length; i++) {
            e.addValue(value(names[i], i));
        }
        return e.build();
    }

    private static EnumValueDescriptorProto value(String name, int number) {
        return EnumValueDescriptorProto.newBuilder().setName(name).setNumber(number).build();
    }
}
