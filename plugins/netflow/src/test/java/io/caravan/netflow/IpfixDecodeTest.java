package io.caravan.netflow;

import static io.caravan.netflow.ie.InformationElements.*;
import static io.caravan.traffic.datagram.IpfixBuilder.field;
import static io.caravan.traffic.datagram.IpfixBuilder.varField;
import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.traffic.datagram.IpfixBuilder;
import io.caravan.traffic.datagram.SyntheticFlow;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IpfixDecodeTest {
    private static final byte[] SRC = {10, 1, 0, 1};
    private static final byte[] DST = {10, 1, 0, 2};
    private static final long EXPORT_S = 1_700_000_000L;
    private static final long EXPORT_MS = EXPORT_S * 1000;
    private static final String[] TAGS = {"protocol", "ipfix", "exporter", "192.0.2.1"};
    private static final String[] GAPS = {"protocol", "ipfix", "exporter", "192.0.2.1", "unit", "records"};

    @Test
    void standardTemplateFlowsRoundTrip() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        SyntheticFlow f = new SyntheticFlow(SRC, DST, 1000, 80, 6, 3, 4500, EXPORT_MS - 5_123, EXPORT_MS - 17, 0x18, 4,
                11, 12, 65000, 4_200_000_000L, new byte[] {10, 1, 0, (byte) 254}, 16, 8);
        FlowBatch batch = c.decode(new IpfixBuilder().observationDomain(42).sequence(7).exportTime(EXPORT_S)
                .standardTemplates(256).addFlows(256, List.of(f)).build());

        assertThat(batch.origin().observationDomain()).isEqualTo(42);
        FlowRecord r = batch.records().get(0);
        assertThat(r.type()).isEqualTo(FlowType.IPFIX);
        assertThat(r.observationDomainId()).isEqualTo(42);
        assertThat(r.sequenceNum()).isEqualTo(7);
        assertThat(r.timeFlowStartNs()).isEqualTo((EXPORT_MS - 5_123) * 1_000_000L);
        assertThat(r.timeFlowEndNs()).isEqualTo((EXPORT_MS - 17) * 1_000_000L);
        assertThat(r.bytes()).isEqualTo(4500);
        assertThat(r.packets()).isEqualTo(3);
        assertThat(r.srcAddr()).containsExactly(SRC);
        assertThat(r.dstAddr()).containsExactly(DST);
        assertThat(r.srcPort()).isEqualTo(1000);
        assertThat(r.dstPort()).isEqualTo(80);
        assertThat(r.proto()).isEqualTo(6);
        assertThat(r.tcpFlags()).isEqualTo(0x18);
        assertThat(r.ipTos()).isEqualTo(4);
        assertThat(r.inIf()).isEqualTo(11);
        assertThat(r.outIf()).isEqualTo(12);
        assertThat(r.srcAs()).isEqualTo(65000);
        assertThat(r.dstAs()).isEqualTo(4_200_000_000L);
        assertThat(r.nextHop()).containsExactly(10, 1, 0, 254);
        assertThat(r.srcNet()).isEqualTo(16);
        assertThat(r.dstNet()).isEqualTo(8);
        assertThat(r.etype()).isEqualTo(0x0800);
        assertThat(c.count("caravan.decoder.records", TAGS)).isEqualTo(1);
    }

    @Test
    void everyOtherMappedElement() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        IpfixBuilder b = new IpfixBuilder().template(256, field(ETHERNET_TYPE, 2), field(IP_VERSION, 1),
                field(SOURCE_MAC_ADDRESS, 6), field(DESTINATION_MAC_ADDRESS, 6), field(VLAN_ID, 2),
                field(POST_VLAN_ID, 2), field(DOT1Q_VLAN_ID, 2), field(ICMP_TYPE_CODE_IPV4, 2), field(IP_TTL, 1),
                field(MINIMUM_TTL, 1), field(FLOW_LABEL_IPV6, 4), field(FRAGMENT_IDENTIFICATION, 4),
                field(FRAGMENT_OFFSET, 2), field(FORWARDING_STATUS, 1), field(FLOW_DIRECTION, 1),
                field(BGP_NEXT_HOP_IPV4_ADDRESS, 4), field(INGRESS_PHYSICAL_INTERFACE, 4),
                field(EGRESS_PHYSICAL_INTERFACE, 4), field(OBSERVATION_POINT_ID, 4));
        FlowRecord r = c.decode(b.data(256, b.record(256).set(ETHERNET_TYPE, 0x8100).set(IP_VERSION, 6)
                .set(SOURCE_MAC_ADDRESS, 0x0011_2233_4455L).set(DESTINATION_MAC_ADDRESS, 0xAABB_CCDD_EEFFL)
                .set(VLAN_ID, 10).set(POST_VLAN_ID, 20).set(DOT1Q_VLAN_ID, 30).set(ICMP_TYPE_CODE_IPV4, 0x0303)
                .set(IP_TTL, 64).set(MINIMUM_TTL, 3).set(FLOW_LABEL_IPV6, 0xFFF12345L).set(FRAGMENT_IDENTIFICATION, 999)
                .set(FRAGMENT_OFFSET, 185).set(FORWARDING_STATUS, 0x42).set(FLOW_DIRECTION, 1)
                .set(BGP_NEXT_HOP_IPV4_ADDRESS, new byte[] {1, 2, 3, 4}).set(INGRESS_PHYSICAL_INTERFACE, 100)
                .set(EGRESS_PHYSICAL_INTERFACE, 200).set(OBSERVATION_POINT_ID, 9).bytes()).build()).records().get(0);

        assertThat(r.etype()).isEqualTo(0x8100);
        assertThat(r.srcMac()).isEqualTo(0x0011_2233_4455L);
        assertThat(r.dstMac()).isEqualTo(0xAABB_CCDD_EEFFL);
        assertThat(r.srcVlan()).isEqualTo(10);
        assertThat(r.dstVlan()).isEqualTo(20);
        assertThat(r.vlanId()).isEqualTo(30);
        assertThat(r.icmpType()).isEqualTo(3);
        assertThat(r.icmpCode()).isEqualTo(3);
        assertThat(r.ipTtl()).isEqualTo(64);
        assertThat(r.ipv6FlowLabel()).isEqualTo(0x12345);
        assertThat(r.fragmentId()).isEqualTo(999);
        assertThat(r.fragmentOffset()).isEqualTo(185);
        assertThat(r.forwardingStatus()).isEqualTo(0x42);
        assertThat(r.flowDirection()).isEqualTo(1);
        assertThat(r.bgpNextHop()).containsExactly(1, 2, 3, 4);
        assertThat(r.inIf()).isEqualTo(100);
        assertThat(r.outIf()).isEqualTo(200);
        assertThat(r.observationPointId()).isEqualTo(9);
    }

    @Test
    void fallbackElementsWhenThePreferredAreAbsent() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        IpfixBuilder b = new IpfixBuilder().template(256, field(IP_VERSION, 1), field(POST_SOURCE_MAC_ADDRESS, 6),
                field(POST_DESTINATION_MAC_ADDRESS, 6), field(VLAN_ID, 2), field(POST_DOT1Q_VLAN_ID, 2),
                field(MINIMUM_TTL, 1), field(ICMP_TYPE_IPV6, 1), field(ICMP_CODE_IPV6, 1),
                field(POST_OCTET_DELTA_COUNT, 4), field(POST_PACKET_DELTA_COUNT, 4),
                field(SOURCE_IPV6_ADDRESS, 16), field(IP_NEXT_HOP_IPV6_ADDRESS, 16), field(BGP_NEXT_HOP_IPV6_ADDRESS, 16));
        byte[] v6 = new byte[16];
        v6[0] = 0x20;
        v6[15] = 9;
        FlowRecord r = c.decode(b.data(256, b.record(256).set(IP_VERSION, 4).set(POST_SOURCE_MAC_ADDRESS, 1)
                .set(POST_DESTINATION_MAC_ADDRESS, 2).set(VLAN_ID, 5).set(POST_DOT1Q_VLAN_ID, 6).set(MINIMUM_TTL, 7)
                .set(ICMP_TYPE_IPV6, 128).set(ICMP_CODE_IPV6, 1).set(POST_OCTET_DELTA_COUNT, 1000)
                .set(POST_PACKET_DELTA_COUNT, 2).set(SOURCE_IPV6_ADDRESS, v6).set(IP_NEXT_HOP_IPV6_ADDRESS, v6)
                .set(BGP_NEXT_HOP_IPV6_ADDRESS, v6).bytes()).build()).records().get(0);

        assertThat(r.etype()).as("ipVersion 4 says IPv4 even beside an IPv6 address").isEqualTo(0x0800);
        assertThat(r.srcMac()).isEqualTo(1);
        assertThat(r.dstMac()).isEqualTo(2);
        assertThat(r.srcVlan()).isEqualTo(5);
        assertThat(r.vlanId()).isEqualTo(5);
        assertThat(r.dstVlan()).isEqualTo(6);
        assertThat(r.ipTtl()).isEqualTo(7);
        assertThat(r.icmpType()).isEqualTo(128);
        assertThat(r.icmpCode()).isEqualTo(1);
        assertThat(r.bytes()).isEqualTo(1000);
        assertThat(r.packets()).isEqualTo(2);
        assertThat(r.srcAddr()).containsExactly(v6);
        assertThat(r.nextHop()).containsExactly(v6);
        assertThat(r.bgpNextHop()).containsExactly(v6);
    }

    @Test
    void variableLengthFieldsInBothLengthForms() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        IpfixBuilder b = new IpfixBuilder().template(256, varField(82), field(OCTET_DELTA_COUNT, 4),
                varField(7, 9), field(DESTINATION_TRANSPORT_PORT, 2));
        byte[] longName = new byte[300];
        java.util.Arrays.fill(longName, (byte) 'x');
        FlowBatch batch = c.decode(b.data(256,
                b.record(256).set(82, "ge-0/0/1".getBytes()).set(OCTET_DELTA_COUNT, 10)
                        .set(9, 7, new byte[] {1, 2, 3}).set(DESTINATION_TRANSPORT_PORT, 53).bytes(),
                b.record(256).set(82, longName).set(OCTET_DELTA_COUNT, 20)
                        .set(9, 7, new byte[0]).set(DESTINATION_TRANSPORT_PORT, 54).bytes(),
                b.record(256).setLongForm(82, "eth0".getBytes()).set(OCTET_DELTA_COUNT, 30)
                        .set(9, 7, new byte[] {(byte) 0xAB}).set(DESTINATION_TRANSPORT_PORT, 55).bytes()).build());

        assertThat(batch.records()).extracting(FlowRecord::bytes).containsExactly(10L, 20L, 30L);
        assertThat(batch.records()).extracting(FlowRecord::dstPort).containsExactly(53, 54, 55);
        assertThat(batch.records()).extracting(r -> r.attribute("pen:9:ie:7")).containsExactly("010203", null, "ab");
    }

    @Test
    void enterpriseElementsBecomeAttributes() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        IpfixBuilder b = new IpfixBuilder().template(256, field(OCTET_DELTA_COUNT, 4), field(1, 4, 29305),
                field(100, 8, 2636), field(101, 6, 2636), field(102, 16, 2636), field(OCTET_DELTA_COUNT, 2, 9));
        FlowRecord r = c.decode(b.data(256, b.record(256).set(OCTET_DELTA_COUNT, 111).set(29305, 1, 222)
                .set(2636, 100, -1L).set(2636, 101, 0x0102_0304_0506L).set(2636, 102, new byte[16])
                .set(9, OCTET_DELTA_COUNT, 7).bytes()).build()).records().get(0);

        assertThat(r.bytes()).as("enterprise field with the same id is not the IANA element").isEqualTo(111);
        assertThat(r.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "pen:29305:ie:1", 222L,
                "pen:2636:ie:100", new BigInteger("18446744073709551615"),
                "pen:2636:ie:101", 0x0102_0304_0506L,
                "pen:2636:ie:102", "00000000000000000000000000000000",
                "pen:9:ie:1", 7L));
    }

    @Test
    void standardElementsWithoutARecordFieldAreKeptAsAttributesByName() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        // 85 and 136 have no FlowRecord field, 23 yields to 1, the second 7 repeats, 96 is variable length, 400 is
        // not in the element table, 16-byte 1 is too long for an integer; 210 is padding and dropped.
        IpfixBuilder b = new IpfixBuilder().template(256, field(OCTET_DELTA_COUNT, 4), field(85, 8), field(136, 1),
                field(POST_OCTET_DELTA_COUNT, 4), field(SOURCE_TRANSPORT_PORT, 2), field(SOURCE_TRANSPORT_PORT, 2),
                varField(96), field(400, 2), field(PADDING_OCTETS, 3), field(PACKET_DELTA_COUNT, 16));
        FlowRecord r = c.decode(b.data(256, b.record(256).set(OCTET_DELTA_COUNT, 10).set(85, 1L << 40)
                .set(136, 2).set(POST_OCTET_DELTA_COUNT, 9).set(SOURCE_TRANSPORT_PORT, 53).set(96, "dns".getBytes())
                .set(400, 0xBEEF).set(PACKET_DELTA_COUNT, new byte[16]).bytes()).build()).records().get(0);

        assertThat(r.bytes()).isEqualTo(10);
        assertThat(r.srcPort()).isEqualTo(53);
        assertThat(r.packets()).as("a 16-byte counter is no integer field").isZero();
        assertThat(r.attributes()).containsOnlyKeys("octetTotalCount", "flowEndReason", "postOctetDeltaCount",
                "sourceTransportPort", "applicationName", "ie:400", "packetDeltaCount");
        assertThat(r.attributes()).containsEntry("octetTotalCount", 1L << 40).containsEntry("flowEndReason", 2L)
                .containsEntry("postOctetDeltaCount", 9L).containsEntry("applicationName", "646e73")
                .containsEntry("ie:400", 0xBEEFL)
                .containsEntry("packetDeltaCount", "00000000000000000000000000000000");
    }

    @Test
    void enterpriseBitWithPenZeroIsKeptApart() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        byte[] body = ByteBuffer.allocate(4 + 4 + 8).putShort((short) 256).putShort((short) 2)
                .putShort((short) OCTET_DELTA_COUNT).putShort((short) 4)
                .putShort((short) (0x8000 | OCTET_DELTA_COUNT)).putShort((short) 4).putInt(0).array();
        FlowRecord r = c.decode(new IpfixBuilder().rawSet(2, body)
                .data(256, IpfixBuilder.record(field(OCTET_DELTA_COUNT, 4), field(OCTET_DELTA_COUNT, 4, 1))
                        .set(OCTET_DELTA_COUNT, 5).set(1, OCTET_DELTA_COUNT, 6).bytes()).build()).records().get(0);
        assertThat(r.bytes()).isEqualTo(5);
        assertThat(r.attributes()).containsExactly(Map.entry("pen:0:ie:1", 6L));
    }

    @Test
    void withdrawalsRemoveTemplates() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        c.decode(new IpfixBuilder().template(256, OCTET_DELTA_COUNT, 4).template(257, PACKET_DELTA_COUNT, 4)
                .template(258, PROTOCOL_IDENTIFIER, 1)
                .optionsTemplate(400, 1, field(SELECTOR_ID, 4), field(SAMPLING_INTERVAL, 4)).build());
        assertThat(NetflowV9DecodeTest.templates(c)).hasSize(4);

        c.decode(new IpfixBuilder().sequence(0).withdrawTemplate(256).build());
        assertThat(NetflowV9DecodeTest.templates(c)).extracting(t -> t.get("id")).containsExactlyInAnyOrder(257, 258, 400);
        assertThat(c.decode(new IpfixBuilder().data(256, IpfixBuilder.record(field(OCTET_DELTA_COUNT, 4)).bytes())
                .build()).records()).isEmpty();

        c.decode(new IpfixBuilder().withdrawAllOptionsTemplates().build());
        assertThat(NetflowV9DecodeTest.templates(c)).extracting(t -> t.get("id")).containsExactlyInAnyOrder(257, 258);
        c.decode(new IpfixBuilder().withdrawAllTemplates().build());
        assertThat(NetflowV9DecodeTest.templates(c)).isEmpty();
        assertThat(NetflowV9DecodeTest.status(c).get("templatesWithdrawn")).isEqualTo(4L);
        assertThat(c.gauge("caravan.templates", "exporter", "192.0.2.1")).isZero();
    }

    @Test
    void ntpMicroAndNanosecondTimestamps() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        long ntpSeconds = EXPORT_S + NTP_UNIX_OFFSET_SECONDS - 10;
        IpfixBuilder b = new IpfixBuilder().template(256, field(FLOW_START_MICROSECONDS, 8),
                field(FLOW_END_NANOSECONDS, 8));
        FlowRecord r = c.decode(b.data(256, b.record(256).set(FLOW_START_MICROSECONDS, (ntpSeconds << 32) | 0x80000000L)
                .set(FLOW_END_NANOSECONDS, ((ntpSeconds + 5) << 32) | 0x40000000L).bytes()).build()).records().get(0);
        assertThat(r.timeFlowStartNs()).isEqualTo((EXPORT_S - 10) * 1_000_000_000L + 500_000_000L);
        assertThat(r.timeFlowEndNs()).isEqualTo((EXPORT_S - 5) * 1_000_000_000L + 250_000_000L);
    }

    @Test
    void secondsDeltaAndDurationTimestamps() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        IpfixBuilder b = new IpfixBuilder().exportTime(EXPORT_S).template(256, field(FLOW_START_SECONDS, 4),
                field(FLOW_END_DELTA_MICROSECONDS, 4)).template(257, field(FLOW_END_MILLISECONDS, 8),
                field(FLOW_DURATION_MILLISECONDS, 4));
        FlowBatch batch = c.decode(b.data(256, b.record(256).set(FLOW_START_SECONDS, EXPORT_S - 60)
                        .set(FLOW_END_DELTA_MICROSECONDS, 1_500_000).bytes())
                .data(257, b.record(257).set(FLOW_END_MILLISECONDS, EXPORT_MS - 100)
                        .set(FLOW_DURATION_MILLISECONDS, 900).bytes()).build());
        assertThat(batch.records().get(0).timeFlowStartNs()).isEqualTo((EXPORT_S - 60) * 1_000_000_000L);
        assertThat(batch.records().get(0).timeFlowEndNs()).isEqualTo((EXPORT_MS - 1_500) * 1_000_000L);
        assertThat(batch.records().get(1).timeFlowStartNs()).isEqualTo((EXPORT_MS - 1_000) * 1_000_000L);
        assertThat(batch.records().get(1).timeFlowEndNs()).isEqualTo((EXPORT_MS - 100) * 1_000_000L);
    }

    @Test
    void uptimeElementsAnchoredOnSystemInitTimeFromOptions() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        long init = EXPORT_MS - 3_600_000;
        IpfixBuilder b = new IpfixBuilder().optionsTemplate(400, 1, field(149, 4), field(SYSTEM_INIT_TIME_MILLISECONDS, 8))
                .template(256, field(FLOW_START_SYS_UP_TIME, 4), field(FLOW_END_SYS_UP_TIME, 4));
        FlowRecord r = c.decode(b.data(400, b.record(400).set(149, 0).set(SYSTEM_INIT_TIME_MILLISECONDS, init).bytes())
                .data(256, b.record(256).set(FLOW_START_SYS_UP_TIME, 1_000).set(FLOW_END_SYS_UP_TIME, 2_000).bytes())
                .build()).records().get(0);
        assertThat(r.timeFlowStartNs()).isEqualTo((init + 1_000) * 1_000_000L);
        assertThat(r.timeFlowEndNs()).isEqualTo((init + 2_000) * 1_000_000L);
    }

    @Test
    void noTimesAtAllFallBackToReceiveTimeAndZeroIsAbsent() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        IpfixBuilder b = new IpfixBuilder().template(256, field(FLOW_START_MILLISECONDS, 8), field(OCTET_DELTA_COUNT, 4));
        FlowRecord r = c.decode(b.data(256, b.record(256).set(OCTET_DELTA_COUNT, 1).bytes()).build()).records().get(0);
        assertThat(r.timeFlowStartNs()).isEqualTo(StageUnderTest.NOW_MS * 1_000_000L);
        assertThat(r.timeFlowEndNs()).isEqualTo(StageUnderTest.NOW_MS * 1_000_000L);
    }

    @Test
    void reducedSizeIntegers() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        IpfixBuilder b = new IpfixBuilder().template(256, field(OCTET_DELTA_COUNT, 3), field(PACKET_DELTA_COUNT, 5),
                field(TCP_CONTROL_BITS, 1), field(INGRESS_INTERFACE, 2), field(BGP_SOURCE_AS_NUMBER, 2),
                field(SOURCE_TRANSPORT_PORT, 1), field(FLOW_START_MILLISECONDS, 7));
        FlowRecord r = c.decode(b.data(256, b.record(256).set(OCTET_DELTA_COUNT, 0xFFFFFF)
                .set(PACKET_DELTA_COUNT, 0xFF_FFFF_FFFFL).set(TCP_CONTROL_BITS, 0x12).set(INGRESS_INTERFACE, 0xFFFF)
                .set(BGP_SOURCE_AS_NUMBER, 65535).set(SOURCE_TRANSPORT_PORT, 200).set(FLOW_START_MILLISECONDS, EXPORT_MS)
                .bytes()).build()).records().get(0);
        assertThat(r.bytes()).isEqualTo(0xFFFFFF);
        assertThat(r.packets()).isEqualTo(0xFF_FFFF_FFFFL);
        assertThat(r.tcpFlags()).isEqualTo(0x12);
        assertThat(r.inIf()).isEqualTo(0xFFFF);
        assertThat(r.srcAs()).isEqualTo(65535);
        assertThat(r.srcPort()).isEqualTo(200);
        assertThat(r.timeFlowStartNs()).isEqualTo(EXPORT_MS * 1_000_000L);
    }

    @Test
    void duplicateElementsMapTheFirstOccurrence() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        IpfixBuilder b = new IpfixBuilder().template(256, field(SOURCE_IPV4_ADDRESS, 4), field(DESTINATION_IPV4_ADDRESS, 4),
                field(SOURCE_IPV4_ADDRESS, 4), field(DESTINATION_IPV4_ADDRESS, 4), field(OCTET_DELTA_COUNT, 4));
        FlowRecord r = c.decode(b.data(256, b.record(256).set(SOURCE_IPV4_ADDRESS, SRC).set(DESTINATION_IPV4_ADDRESS, DST)
                .set(SOURCE_IPV4_ADDRESS, new byte[] {(byte) 172, 16, 0, 1})
                .set(DESTINATION_IPV4_ADDRESS, new byte[] {(byte) 172, 16, 0, 2}).set(OCTET_DELTA_COUNT, 64).bytes())
                .build()).records().get(0);
        assertThat(r.srcAddr()).containsExactly(SRC);
        assertThat(r.dstAddr()).containsExactly(DST);
        assertThat(r.bytes()).isEqualTo(64);
    }

    @Test
    void psampCountBasedRateIsIntervalPlusSpaceOverInterval() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        IpfixBuilder b = new IpfixBuilder().optionsSelector(400, 77, 1, 999)
                .template(256, field(SELECTOR_ID, 4), field(OCTET_DELTA_COUNT, 4));
        FlowRecord r = c.decode(b.data(256, b.record(256).set(SELECTOR_ID, 77).set(OCTET_DELTA_COUNT, 1500).bytes())
                .build()).records().get(0);
        assertThat(r.samplingRate()).isEqualTo(1000);
        assertThat(r.bytes()).as("not multiplied").isEqualTo(1500);
    }

    @Test
    void psampRatesWithoutSelectorIdApplyToTheDomain() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        IpfixBuilder b = new IpfixBuilder().observationDomain(5)
                .optionsTemplate(400, 1, field(149, 4), field(SAMPLING_SIZE, 4), field(SAMPLING_POPULATION, 4))
                .template(256, field(OCTET_DELTA_COUNT, 4));
        FlowRecord r = c.decode(b.data(400, b.record(400).set(149, 5).set(SAMPLING_SIZE, 1).set(SAMPLING_POPULATION, 64)
                .bytes()).data(256, b.record(256).set(OCTET_DELTA_COUNT, 1).bytes()).build()).records().get(0);
        assertThat(r.samplingRate()).isEqualTo(64);

        IpfixBuilder p = new IpfixBuilder().observationDomain(6)
                .optionsTemplate(401, 1, field(149, 4), field(SAMPLING_PROBABILITY, 8))
                .template(256, field(OCTET_DELTA_COUNT, 4));
        byte[] prob = ByteBuffer.allocate(8).putDouble(0.01).array();
        assertThat(c.decode(p.data(401, p.record(401).set(149, 6).set(SAMPLING_PROBABILITY, prob).bytes())
                .data(256, p.record(256).set(OCTET_DELTA_COUNT, 1).bytes()).build()).records().get(0).samplingRate())
                .isEqualTo(100);
    }

    @Test
    void samplingIntervalInsideTheDataTemplate() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        IpfixBuilder b = new IpfixBuilder().template(256, field(OCTET_DELTA_COUNT, 4), field(SAMPLING_INTERVAL, 4));
        assertThat(c.decode(b.data(256, b.record(256).set(SAMPLING_INTERVAL, 2048).bytes()).build()).records().get(0)
                .samplingRate()).isEqualTo(2048);
    }

    @Test
    void sequenceCountsDataRecordsPerDomain() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        c.decode(new IpfixBuilder().observationDomain(1).sequence(100).standardTemplates(256).build());
        c.decode(new IpfixBuilder().observationDomain(2).standardTemplates(256).build());
        c.decode(flows(1, 100, 3));   // next 103
        c.decode(flows(2, 0, 10));    // another domain
        c.decode(flows(1, 103, 2));   // in order, next 105
        c.decode(flows(1, 110, 1));   // 5 records missing, not yet 65,536 records behind: may still come late
        c.decode(flows(2, 10, 1));
        assertThat(c.count("caravan.decoder.sequence_gaps", GAPS)).isZero();
        // Data waiting for its template has an unknown record count: the stream re-syncs, counting the 5 missing
        // records lost, and makes no false gap.
        c.decode(new IpfixBuilder().observationDomain(1).sequence(111).data(300, new byte[8]).build());
        assertThat(c.count("caravan.decoder.sequence_gaps", GAPS)).isEqualTo(5);
        c.decode(flows(1, 150, 1));
        c.decode(flows(1, 151, 1));
        assertThat(c.count("caravan.decoder.sequence_gaps", GAPS)).isEqualTo(5);
    }

    @Test
    void templateRecordsDoNotAdvanceTheSequence() throws Exception {
        StageUnderTest c = StageUnderTest.create();
        c.decode(new IpfixBuilder().sequence(0).standardTemplates(256).build());
        c.decode(new IpfixBuilder().sequence(0).standardTemplates(256).addFlows(256, List.of(flow(), flow())).build());
        c.decode(new IpfixBuilder().sequence(2).addFlows(256, List.of(flow())).build());
        assertThat(c.count("caravan.decoder.sequence_gaps", GAPS)).isZero();
    }

    private static SyntheticFlow flow() {
        return SyntheticFlow.of(SRC, DST, 1, 2, 17, 1, 100, EXPORT_MS - 1000, EXPORT_MS);
    }

    private static byte[] flows(long domain, long sequence, int n) {
        return new IpfixBuilder().observationDomain(domain).sequence(sequence)
                .addFlows(256, java.util.Collections.nCopies(n, flow())).build();
    }
}
