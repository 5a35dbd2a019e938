package io.caravan.skydive.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.api.net.AddressText;
import io.caravan.traffic.skydive.SkydiveFlow;
import org.junit.jupiter.api.Test;

/** Skydive flows (the spec's §1.5 examples and the stand-in's builder) as records. */
class SkydiveFlowMapperTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long RECEIVED_NS = 1_700_000_100_000_000_000L;

    static final String TCP_FLOW = """
            {"UUID":"9a3e51c07b42d8f1","LayersPath":"Ethernet/IPv4/TCP","Application":"TCP",
             "Link":{"Protocol":"ETHERNET","A":"02:42:ac:11:00:05","B":"02:42:ac:11:00:01","ID":0},
             "Network":{"Protocol":"IPV4","A":"172.17.0.5","B":"93.184.216.34","ID":0},
             "Transport":{"Protocol":"TCP","A":51234,"B":443,"ID":0},
             "LastUpdateMetric":{"ABPackets":12,"ABBytes":1830,"BAPackets":10,"BABytes":14210,"Start":1700000040000,"Last":1700000100000},
             "Metric":{"ABPackets":40,"ABBytes":6120,"BAPackets":35,"BABytes":48800,"Start":1700000012345,"Last":1700000098765,"RTT":1843000},
             "Start":1700000012345,"Last":1700000098765,"TrackingID":"5c1d0e7a3b9f2468","L3TrackingID":"e01f4a6b2c8d9371",
             "ParentUUID":"","NodeTID":"b1c2d3e4-f5a6-5b7c-8d9e-0f1a2b3c4d5e","CaptureID":"7e1b2c3d-4e5f-4a6b-7c8d-9e0f1a2b3c4d",
             "RawPacketsCaptured":0}""";
    static final String ICMP_FLOW = """
            {"UUID":"4b7d0c2e9f1a3856","LayersPath":"Ethernet/Dot1Q/IPv4/ICMPv4","Application":"ICMPv4",
             "Link":{"Protocol":"ETHERNET","A":"fa:16:3e:29:e0:82","B":"fa:16:3e:96:06:e8","ID":100},
             "Network":{"Protocol":"IPV4","A":"10.0.0.7","B":"10.0.0.9","ID":0},"ICMP":{"Type":"ECHO","ID":4660},
             "Metric":{"ABPackets":63,"ABBytes":6174,"BAPackets":63,"BABytes":6174,"Start":1700000541000,"Last":1700000603100,"RTT":412000},
             "Start":1700000541000,"Last":1700000603100,"ParentUUID":"","RawPacketsCaptured":0,"FinishType":1}""";

    private static FlowRecord map(String json) throws Exception {
        return SkydiveFlowMapper.toRecord(JSON.readTree(json), RECEIVED_NS, new byte[] {127, 0, 0, 1});
    }

    @Test
    void aTcpFlowKeepsItsAddressesPortsCumulativeCountsTimesAndTheWholeFlow() throws Exception {
        JsonNode source = JSON.readTree(TCP_FLOW);
        FlowRecord r = SkydiveFlowMapper.toRecord(source, RECEIVED_NS, new byte[] {127, 0, 0, 1});

        assertThat(r.type()).isEqualTo(FlowType.SKYDIVE);
        assertThat(AddressText.format(r.srcAddr())).isEqualTo("172.17.0.5");
        assertThat(AddressText.format(r.dstAddr())).isEqualTo("93.184.216.34");
        assertThat(r.srcPort()).isEqualTo(51234);
        assertThat(r.dstPort()).isEqualTo(443);
        assertThat(r.proto()).isEqualTo(6);
        assertThat(r.etype()).isEqualTo(0x0800);
        assertThat(r.bytes()).isEqualTo(6120 + 48800);
        assertThat(r.packets()).isEqualTo(40 + 35);
        assertThat(r.attributes()).containsEntry(SkydiveFlowMapper.AB_BYTES, 6120L)
                .containsEntry(SkydiveFlowMapper.BA_BYTES, 48800L).containsEntry(SkydiveFlowMapper.AB_PACKETS, 40L)
                .containsEntry(SkydiveFlowMapper.BA_PACKETS, 35L);
        assertThat(r.timeFlowStartNs()).isEqualTo(1_700_000_012_345_000_000L);
        assertThat(r.timeFlowEndNs()).isEqualTo(1_700_000_098_765_000_000L);
        assertThat(r.timeReceivedNs()).isEqualTo(RECEIVED_NS);
        assertThat(AddressText.formatMac(r.srcMac())).isEqualTo("02:42:ac:11:00:05");
        assertThat(AddressText.formatMac(r.dstMac())).isEqualTo("02:42:ac:11:00:01");
        assertThat(r.vlanId()).isZero();
        assertThat(AddressText.format(r.samplerAddress())).isEqualTo("127.0.0.1");
        assertThat(r.source()).isSameAs(source).isInstanceOf(ObjectNode.class);
        assertThat(SkydiveFlows.of(r).path("TrackingID").asText()).isEqualTo("5c1d0e7a3b9f2468");
    }

    @Test
    void anIcmpFlowOnAVlanHasProtocolOneAndTheOutermostVlan() throws Exception {
        FlowRecord r = map(ICMP_FLOW);

        assertThat(r.proto()).isEqualTo(1);
        assertThat(r.srcPort()).isZero();
        assertThat(r.vlanId()).isEqualTo(100);
        assertThat(SkydiveFlows.finishType(SkydiveFlows.of(r))).isEqualTo(SkydiveFlows.TIMEOUT);
    }

    @Test
    void linkIdPacksVlansTwelveBitsEachOutermostLow() throws Exception {
        ObjectNode f = (ObjectNode) JSON.readTree(ICMP_FLOW);
        ((ObjectNode) f.get("Link")).put("ID", 200L << 12 | 100);

        assertThat(SkydiveFlowMapper.toRecord(f, 0, null).vlanId()).isEqualTo(100);
    }

    @Test
    void protocolsAreIanaNumbers() throws Exception {
        assertThat(SkydiveFlowMapper.toRecord(SkydiveFlow.udp("10.0.0.1", 53, "10.0.0.2", 5353).update(1, 1, 1, 1, 1),
                0, null).proto()).isEqualTo(17);
        FlowRecord v6 = SkydiveFlowMapper.toRecord(SkydiveFlow.icmp("fd00::1", "fd00::2").update(1, 1, 1, 1, 1), 0, null);
        assertThat(v6.proto()).isEqualTo(58);
        assertThat(v6.etype()).isEqualTo(0x86DD);
        assertThat(v6.srcAddr()).hasSize(16);
        ObjectNode sctp = (ObjectNode) JSON.readTree(TCP_FLOW);
        ((ObjectNode) sctp.get("Transport")).put("Protocol", "SCTP");
        assertThat(SkydiveFlowMapper.toRecord(sctp, 0, null).proto()).isEqualTo(132);
    }

    @Test
    void anL2OnlyFlowHasNoAddressesButStillMaps() throws Exception {
        ObjectNode arp = (ObjectNode) JSON.readTree(TCP_FLOW);
        arp.remove("Network");
        arp.remove("Transport");
        arp.put("LayersPath", "Ethernet/ARP");

        FlowRecord r = SkydiveFlowMapper.toRecord(arp, 0, null);
        assertThat(r.srcAddr()).isNull();
        assertThat(r.proto()).isZero();
        assertThat(r.etype()).isZero();
    }

    @Test
    void flowsMissingWhatEveryFlowHasAreRefusedSayingWhat() throws Exception {
        ObjectNode noUuid = (ObjectNode) JSON.readTree(TCP_FLOW);
        noUuid.remove("UUID");
        ObjectNode noStart = (ObjectNode) JSON.readTree(TCP_FLOW);
        noStart.put("Start", "yesterday");
        ObjectNode badIp = (ObjectNode) JSON.readTree(TCP_FLOW);
        ((ObjectNode) badIp.get("Network")).put("A", "not-an-ip");
        ObjectNode badMac = (ObjectNode) JSON.readTree(TCP_FLOW);
        ((ObjectNode) badMac.get("Link")).put("B", "zz");
        ObjectNode badPort = (ObjectNode) JSON.readTree(TCP_FLOW);
        ((ObjectNode) badPort.get("Transport")).put("B", 70000);

        assertThatThrownBy(() -> SkydiveFlowMapper.toRecord(noUuid, 0, null)).hasMessageContaining("no UUID");
        assertThatThrownBy(() -> SkydiveFlowMapper.toRecord(noStart, 0, null)).hasMessageContaining("Start");
        assertThatThrownBy(() -> SkydiveFlowMapper.toRecord(badIp, 0, null)).hasMessageContaining("Network.A");
        assertThatThrownBy(() -> SkydiveFlowMapper.toRecord(badMac, 0, null)).hasMessageContaining("Link.B");
        assertThatThrownBy(() -> SkydiveFlowMapper.toRecord(badPort, 0, null)).hasMessageContaining("Transport.B");
        assertThatThrownBy(() -> SkydiveFlowMapper.toRecord(JSON.readTree("[1]"), 0, null))
                .isInstanceOf(MalformedFlowException.class);
    }

    @Test
    void accessorsTolerateMissingKeys() throws Exception {
        JsonNode empty = JSON.readTree("{}");

        assertThat(SkydiveFlows.uuid(empty)).isEmpty();
        assertThat(SkydiveFlows.portA(empty)).isZero();
        assertThat(SkydiveFlows.abBytes(SkydiveFlows.metric(empty))).isZero();
        assertThat(SkydiveFlows.finishType(empty)).isZero();
        assertThat(SkydiveFlows.ianaProtocol(empty)).isZero();
        assertThat(SkydiveFlows.networkA(JSON.readTree(TCP_FLOW))).isEqualTo("172.17.0.5");
        assertThat(SkydiveFlows.abBytes(SkydiveFlows.lastUpdateMetric(JSON.readTree(TCP_FLOW)))).isEqualTo(1830);
    }
}
