package io.caravan.netflow.ie;

import java.util.Map;

/**
 * The IANA information elements (RFC 7012 registry; NetFlow v9 field types share ids 1-127) that this decoder
 * maps or reads, and the names of those commonly sent beside them. Names are the IPFIX names; the table is the one
 * source for element names in status output and for the attribute keys of unmapped standard elements. Hand-kept
 * subset of the IANA registry (flow-protocols §4), not the whole table: an element it does not name is
 * {@code ie:<ID>}.
 */
public final class InformationElements {
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
    public static final int BGP_NEXT_HOP_IPV4_ADDRESS = 18;
    public static final int FLOW_END_SYS_UP_TIME = 21;
    public static final int FLOW_START_SYS_UP_TIME = 22;
    public static final int POST_OCTET_DELTA_COUNT = 23;
    public static final int POST_PACKET_DELTA_COUNT = 24;
    public static final int SOURCE_IPV6_ADDRESS = 27;
    public static final int DESTINATION_IPV6_ADDRESS = 28;
    public static final int SOURCE_IPV6_PREFIX_LENGTH = 29;
    public static final int DESTINATION_IPV6_PREFIX_LENGTH = 30;
    public static final int FLOW_LABEL_IPV6 = 31;
    public static final int ICMP_TYPE_CODE_IPV4 = 32;
    public static final int SAMPLING_INTERVAL = 34;
    public static final int SAMPLING_ALGORITHM = 35;
    public static final int SAMPLER_ID = 48;
    public static final int SAMPLER_MODE = 49;
    public static final int SAMPLER_RANDOM_INTERVAL = 50;
    public static final int MINIMUM_TTL = 52;
    public static final int FRAGMENT_IDENTIFICATION = 54;
    public static final int SOURCE_MAC_ADDRESS = 56;
    public static final int POST_DESTINATION_MAC_ADDRESS = 57;
    public static final int VLAN_ID = 58;
    public static final int POST_VLAN_ID = 59;
    public static final int IP_VERSION = 60;
    public static final int FLOW_DIRECTION = 61;
    public static final int IP_NEXT_HOP_IPV6_ADDRESS = 62;
    public static final int BGP_NEXT_HOP_IPV6_ADDRESS = 63;
    public static final int DESTINATION_MAC_ADDRESS = 80;
    public static final int POST_SOURCE_MAC_ADDRESS = 81;
    public static final int FRAGMENT_OFFSET = 88;
    public static final int FORWARDING_STATUS = 89;
    public static final int OBSERVATION_POINT_ID = 138;
    public static final int ICMP_TYPE_CODE_IPV6 = 139;
    public static final int FLOW_START_SECONDS = 150;
    public static final int FLOW_END_SECONDS = 151;
    public static final int FLOW_START_MILLISECONDS = 152;
    public static final int FLOW_END_MILLISECONDS = 153;
    public static final int FLOW_START_MICROSECONDS = 154;
    public static final int FLOW_END_MICROSECONDS = 155;
    public static final int FLOW_START_NANOSECONDS = 156;
    public static final int FLOW_END_NANOSECONDS = 157;
    public static final int FLOW_START_DELTA_MICROSECONDS = 158;
    public static final int FLOW_END_DELTA_MICROSECONDS = 159;
    public static final int SYSTEM_INIT_TIME_MILLISECONDS = 160;
    public static final int FLOW_DURATION_MILLISECONDS = 161;
    public static final int FLOW_DURATION_MICROSECONDS = 162;
    public static final int ICMP_TYPE_IPV4 = 176;
    public static final int ICMP_CODE_IPV4 = 177;
    public static final int ICMP_TYPE_IPV6 = 178;
    public static final int ICMP_CODE_IPV6 = 179;
    public static final int IP_TTL = 192;
    public static final int PADDING_OCTETS = 210;
    public static final int DOT1Q_VLAN_ID = 243;
    public static final int INGRESS_PHYSICAL_INTERFACE = 252;
    public static final int EGRESS_PHYSICAL_INTERFACE = 253;
    public static final int POST_DOT1Q_VLAN_ID = 254;
    public static final int ETHERNET_TYPE = 256;
    public static final int SELECTOR_ID = 302;
    public static final int SELECTOR_ALGORITHM = 304;
    public static final int SAMPLING_PACKET_INTERVAL = 305;
    public static final int SAMPLING_PACKET_SPACE = 306;
    public static final int SAMPLING_SIZE = 309;
    public static final int SAMPLING_POPULATION = 310;
    public static final int SAMPLING_PROBABILITY = 311;

    /** NTP era offset: seconds from 1900-01-01 to 1970-01-01 (dateTimeMicro/Nanoseconds). */
    public static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;
    /** First NetFlow v9 vendor type (Cisco ASA 33000-33002, 40000-40005); never an enterprise bit. */
    public static final int V9_VENDOR_TYPE_MIN = 32768;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(1, "octetDeltaCount"), Map.entry(2, "packetDeltaCount"), Map.entry(4, "protocolIdentifier"),
            Map.entry(5, "ipClassOfService"), Map.entry(6, "tcpControlBits"), Map.entry(7, "sourceTransportPort"),
            Map.entry(8, "sourceIPv4Address"), Map.entry(9, "sourceIPv4PrefixLength"), Map.entry(10, "ingressInterface"),
            Map.entry(11, "destinationTransportPort"), Map.entry(12, "destinationIPv4Address"),
            Map.entry(13, "destinationIPv4PrefixLength"), Map.entry(14, "egressInterface"),
            Map.entry(15, "ipNextHopIPv4Address"), Map.entry(16, "bgpSourceAsNumber"),
            Map.entry(17, "bgpDestinationAsNumber"), Map.entry(18, "bgpNextHopIPv4Address"),
            Map.entry(21, "flowEndSysUpTime"), Map.entry(22, "flowStartSysUpTime"),
            Map.entry(23, "postOctetDeltaCount"), Map.entry(24, "postPacketDeltaCount"),
            Map.entry(27, "sourceIPv6Address"), Map.entry(28, "destinationIPv6Address"),
            Map.entry(29, "sourceIPv6PrefixLength"), Map.entry(30, "destinationIPv6PrefixLength"),
            Map.entry(31, "flowLabelIPv6"), Map.entry(32, "icmpTypeCodeIPv4"), Map.entry(34, "samplingInterval"),
            Map.entry(35, "samplingAlgorithm"), Map.entry(48, "samplerId"), Map.entry(49, "samplerMode"),
            Map.entry(50, "samplerRandomInterval"), Map.entry(52, "minimumTTL"), Map.entry(53, "maximumTTL"),
            Map.entry(54, "fragmentIdentification"), Map.entry(56, "sourceMacAddress"),
            Map.entry(57, "postDestinationMacAddress"), Map.entry(58, "vlanId"), Map.entry(59, "postVlanId"),
            Map.entry(60, "ipVersion"), Map.entry(61, "flowDirection"), Map.entry(62, "ipNextHopIPv6Address"),
            Map.entry(63, "bgpNextHopIPv6Address"), Map.entry(80, "destinationMacAddress"),
            Map.entry(81, "postSourceMacAddress"), Map.entry(85, "octetTotalCount"), Map.entry(86, "packetTotalCount"),
            Map.entry(88, "fragmentOffset"), Map.entry(89, "forwardingStatus"), Map.entry(136, "flowEndReason"),
            Map.entry(138, "observationPointId"), Map.entry(139, "icmpTypeCodeIPv6"), Map.entry(148, "flowId"),
            Map.entry(149, "observationDomainId"),
            Map.entry(150, "flowStartSeconds"), Map.entry(151, "flowEndSeconds"),
            Map.entry(152, "flowStartMilliseconds"), Map.entry(153, "flowEndMilliseconds"),
            Map.entry(154, "flowStartMicroseconds"), Map.entry(155, "flowEndMicroseconds"),
            Map.entry(156, "flowStartNanoseconds"), Map.entry(157, "flowEndNanoseconds"),
            Map.entry(158, "flowStartDeltaMicroseconds"), Map.entry(159, "flowEndDeltaMicroseconds"),
            Map.entry(160, "systemInitTimeMilliseconds"), Map.entry(161, "flowDurationMilliseconds"),
            Map.entry(162, "flowDurationMicroseconds"), Map.entry(176, "icmpTypeIPv4"),
            Map.entry(177, "icmpCodeIPv4"), Map.entry(178, "icmpTypeIPv6"), Map.entry(179, "icmpCodeIPv6"),
            Map.entry(192, "ipTTL"), Map.entry(195, "ipDiffServCodePoint"), Map.entry(210, "paddingOctets"),
            Map.entry(243, "dot1qVlanId"), Map.entry(252, "ingressPhysicalInterface"),
            Map.entry(253, "egressPhysicalInterface"), Map.entry(254, "postDot1qVlanId"),
            Map.entry(256, "ethernetType"), Map.entry(302, "selectorId"), Map.entry(304, "selectorAlgorithm"),
            Map.entry(305, "samplingPacketInterval"), Map.entry(306, "samplingPacketSpace"),
            Map.entry(309, "samplingSize"), Map.entry(310, "samplingPopulation"), Map.entry(311, "samplingProbability"),
            Map.entry(3, "deltaFlowCount"), Map.entry(19, "postMCastPacketDeltaCount"),
            Map.entry(20, "postMCastOctetDeltaCount"), Map.entry(25, "minimumIpTotalLength"),
            Map.entry(26, "maximumIpTotalLength"), Map.entry(33, "igmpType"), Map.entry(36, "flowActiveTimeout"),
            Map.entry(37, "flowIdleTimeout"), Map.entry(38, "engineType"), Map.entry(39, "engineId"),
            Map.entry(40, "exportedOctetTotalCount"), Map.entry(41, "exportedMessageTotalCount"),
            Map.entry(42, "exportedFlowRecordTotalCount"), Map.entry(44, "sourceIPv4Prefix"),
            Map.entry(45, "destinationIPv4Prefix"), Map.entry(46, "mplsTopLabelType"),
            Map.entry(47, "mplsTopLabelIPv4Address"), Map.entry(55, "postIpClassOfService"),
            Map.entry(64, "ipv6ExtensionHeaders"), Map.entry(70, "mplsTopLabelStackSection"),
            Map.entry(71, "mplsLabelStackSection2"), Map.entry(72, "mplsLabelStackSection3"),
            Map.entry(82, "interfaceName"), Map.entry(83, "interfaceDescription"), Map.entry(84, "samplerName"),
            Map.entry(90, "mplsVpnRouteDistinguisher"), Map.entry(94, "applicationDescription"),
            Map.entry(95, "applicationId"), Map.entry(96, "applicationName"), Map.entry(98, "postIpDiffServCodePoint"),
            Map.entry(128, "bgpNextAdjacentAsNumber"), Map.entry(129, "bgpPrevAdjacentAsNumber"),
            Map.entry(130, "exporterIPv4Address"), Map.entry(131, "exporterIPv6Address"),
            Map.entry(132, "droppedOctetDeltaCount"), Map.entry(133, "droppedPacketDeltaCount"),
            Map.entry(144, "exportingProcessId"), Map.entry(197, "fragmentFlags"),
            Map.entry(186, "tcpWindowSize"), Map.entry(205, "udpMessageLength"), Map.entry(206, "isMulticast"),
            Map.entry(224, "ipTotalLength"), Map.entry(225, "postNATSourceIPv4Address"),
            Map.entry(226, "postNATDestinationIPv4Address"), Map.entry(227, "postNAPTSourceTransportPort"),
            Map.entry(228, "postNAPTDestinationTransportPort"), Map.entry(230, "natEvent"),
            Map.entry(231, "initiatorOctets"), Map.entry(232, "responderOctets"), Map.entry(233, "firewallEvent"),
            Map.entry(234, "ingressVRFID"), Map.entry(235, "egressVRFID"), Map.entry(239, "biflowDirection"),
            Map.entry(298, "initiatorPackets"), Map.entry(299, "responderPackets"),
            Map.entry(315, "dataLinkFrameSection"), Map.entry(323, "observationTimeMilliseconds"));

    private InformationElements() {
    }

    /** The IPFIX name of an IANA element, or null when this table does not know it. */
    public static String name(int id) {
        return NAMES.get(id);
    }

    /** The record attribute key of a standard element no record field takes: its name, else {@code ie:<ID>}. */
    public static String attributeKey(int id) {
        String name = NAMES.get(id);
        return name != null ? name : "ie:" + id;
    }
}
