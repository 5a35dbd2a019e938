package io.caravan.skydive.transform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.stage.Stage;
import io.caravan.skydive.testing.TestFlows;
import io.caravan.skydive.testing.TopologyServer;
import io.caravan.skydive.topology.Gremlin;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The awsflowlogs and vpclogs formats. */
class FlowLogsTransformTest {
    private final SettableClock clock = new SettableClock(1_700_000_100_000L);
    private final RecordingStageContext context = RecordingStageContext.of("skydive-transform", clock);

    private ObjectNode transform(Map<String, String> options, ObjectNode flow) throws Exception {
        try (Stage<FlowBatch, FlowBatch> stage = context.create(new SkydiveTransformStageProvider(), options)) {
            FlowBatch out = stage.apply(TestFlows.batch(TestFlows.record(flow)));
            return out.isEmpty() ? null : (ObjectNode) out.records().get(0).attribute(SkydiveRecords.RECORD);
        }
    }

    @Test
    void awsVersion2HasTheFourteenColumnsWithTheIanaProtocol() throws Exception {
        ObjectNode record = transform(Map.of("format", "awsflowlogs"), TestFlows.parse(TestFlows.TCP));

        assertThat(record.toString()).isEqualTo("{\"version\":2,\"account-id\":\"12345678\",\"interface-id\":\"0\","
                + "\"srcaddr\":\"172.17.0.5\",\"dstaddr\":\"93.184.216.34\",\"srcport\":51234,\"dstport\":443,"
                + "\"protocol\":6,\"packets\":75,\"bytes\":54920,\"start\":1700000012,\"end\":1700000098,"
                + "\"action\":\"ACCEPT\",\"log-status\":\"OK\"}");
    }

    @Test
    void awsVersion3AddsItsColumnsAndIcmpIsProtocolOne() throws Exception {
        ObjectNode record = transform(Map.of("format", "awsflowlogs", "aws-version", "3", "account-id", "999"),
                TestFlows.parse(TestFlows.ICMP));

        assertThat(record.get("version").asInt()).isEqualTo(3);
        assertThat(record.get("account-id").asText()).isEqualTo("999");
        assertThat(record.get("interface-id").asText()).isEqualTo("100");
        assertThat(record.get("protocol").asInt()).isEqualTo(1);
        assertThat(record.get("srcport").asInt()).isZero();
        assertThat(record.get("type").asText()).isEqualTo("IPv4");
        java.util.List<String> names = new java.util.ArrayList<>();
        record.fieldNames().forEachRemaining(names::add);
        assertThat(names).endsWith("log-status", "vpc-id", "subnet-id", "instance-id", "tcp-flags", "type",
                "pkt-srcaddr", "pkt-dstaddr");
    }

    @Test
    void ianaNumbersForEachTransportAndIcmpv6() {
        assertThat(IanaProtocol.of(TestFlows.with(TestFlows.TCP, "Transport.Protocol", "UDP"))).isEqualTo(17);
        assertThat(IanaProtocol.of(TestFlows.with(TestFlows.TCP, "Transport.Protocol", "SCTP"))).isEqualTo(132);
        assertThat(IanaProtocol.of(TestFlows.with(TestFlows.ICMP, "Network.Protocol", "IPV6"))).isEqualTo(58);
        assertThat(IanaProtocol.of(TestFlows.with(TestFlows.TCP, "Transport", null))).isZero();
    }

    @Test
    void vpclogsRecordFromOneFlowWithDirectionFromTheInterfaceAddress() throws Exception {
        try (TopologyServer server = new TopologyServer()) {
            server.answer(Gremlin.byTid("b1c2d3e4-f5a6-5b7c-8d9e-0f1a2b3c4d5e"),
                    "[{\"ID\":\"i\",\"Metadata\":{\"IPV4\":[\"172.17.0.5/16\"]}}]");
            ObjectNode flow = TestFlows.with(TestFlows.TCP, "FinishType", 2L);

            ObjectNode record = transform(Map.of("format", "vpclogs", "analyzer", server.hostPort()), flow);

            assertThat(record.toString()).isEqualTo("{\"start_time\":\"2023-11-14T22:14:00Z\","
                    + "\"end_time\":\"2023-11-14T22:15:00Z\",\"connection_start_time\":\"2023-11-14T22:13:32Z\","
                    + "\"direction\":\"outbound\",\"initiator_ip\":\"172.17.0.5\",\"target_ip\":\"93.184.216.34\","
                    + "\"initiator_port\":51234,\"target_port\":443,\"transport_protocol\":6,\"ether_type\":\"IPv4\","
                    + "\"was_initiated\":false,\"was_terminated\":true,"
                    + "\"cumulative_bytes_from_initiator\":6120,\"cumulative_packets_from_initiator\":40,"
                    + "\"cumulative_bytes_from_target\":48800,\"cumulative_packets_from_target\":35,"
                    + "\"bytes_from_initiator\":1830,\"packets_from_initiator\":12,"
                    + "\"bytes_from_target\":14210,\"packets_from_target\":10}");
        }
    }

    @Test
    void vpclogsDropsFlowsWithoutTransportAndCountsThem() throws Exception {
        assertThat(transform(Map.of("format", "vpclogs"), TestFlows.parse(TestFlows.ICMP))).isNull();
        assertThat(context.counter("caravan.skydive.transform.dropped", Map.of("reason", "no-transport"))).contains(1L);
    }

    @Test
    void vpclogsWithoutTopologyHasNoDirection() throws Exception {
        FlowRecord r = TestFlows.record(TestFlows.TCP);
        ObjectNode record = transform(Map.of("format", "vpclogs"), (ObjectNode) r.source());

        assertThat(record.has("direction")).isFalse();
        assertThat(record.has("action")).isFalse();
        assertThat(record.get("was_terminated").asBoolean()).isFalse();
    }
}
