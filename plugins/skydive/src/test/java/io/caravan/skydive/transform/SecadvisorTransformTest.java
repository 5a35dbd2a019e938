package io.caravan.skydive.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.Stage;
import io.caravan.skydive.testing.TestFlows;
import io.caravan.skydive.testing.TopologyServer;
import io.caravan.skydive.topology.Gremlin;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SecadvisorTransformTest {
    static final String TID = "b1c2d3e4-f5a6-5b7c-8d9e-0f1a2b3c4d5e";

    private final SettableClock clock = new SettableClock(1_700_000_100_000L);
    private final RecordingStageContext context = RecordingStageContext.of("skydive-transform", clock);
    private TopologyServer server;
    private Stage<FlowBatch, FlowBatch> stage;

    @BeforeEach
    void start() throws Exception {
        server = new TopologyServer();
    }

    @AfterEach
    void stop() {
        if (stage != null) {
            stage.close();
        }
        server.close();
    }

    private Stage<FlowBatch, FlowBatch> create(Map<String, String> options) throws OptionException {
        Map<String, String> all = new HashMap<>(Map.of("format", "secadvisor"));
        all.putAll(options);
        stage = context.create(new SkydiveTransformStageProvider(), all);
        return stage;
    }

    /** The record of one flow, or null when the transform dropped it. */
    private ObjectNode once(ObjectNode flow) throws Exception {
        FlowRecord r = TestFlows.record(flow);
        FlowBatch out = stage.apply(TestFlows.batch(r));
        return out.isEmpty() ? null : (ObjectNode) out.records().get(0).attribute(SkydiveRecords.RECORD);
    }

    private static List<String> fields(ObjectNode o) {
        List<String> names = new java.util.ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aSecondSightingIsUpdatedWithEveryFieldInTheExportersOrder() throws Exception {
        create(Map.of());
        ObjectNode flow = TestFlows.parse(TestFlows.TCP);

        assertThat(once(flow)).isNull();
        ObjectNode record = once(flow);

        assertThat(fields(record)).containsExactly("UUID", "LayersPath", "Version", "Status", "Network", "Transport",
                "LastUpdateMetric", "Metric", "Start", "Last", "UpdateCount");
        assertThat(record.toString()).isEqualTo("{\"UUID\":\"9a3e51c07b42d8f1\",\"LayersPath\":\"Ethernet/IPv4/TCP\","
                + "\"Version\":\"1.1.0\",\"Status\":\"UPDATED\","
                + "\"Network\":{\"Protocol\":\"IPV4\",\"A\":\"172.17.0.5\",\"B\":\"93.184.216.34\"},"
                + "\"Transport\":{\"Protocol\":\"TCP\",\"A\":\"51234\",\"B\":\"443\"},"
                + "\"LastUpdateMetric\":{\"ABPackets\":12,\"ABBytes\":1830,\"BAPackets\":10,\"BABytes\":14210,"
                + "\"Start\":1700000040000,\"Last\":1700000100000},"
                + "\"Metric\":{\"ABPackets\":40,\"ABBytes\":6120,\"BAPackets\":35,\"BABytes\":48800,"
                + "\"Start\":1700000012345,\"Last\":1700000098765,\"RTT\":1843000},"
                + "\"Start\":1700000012345,\"Last\":1700000098765,\"UpdateCount\":1}");
        assertThat(context.counter("caravan.skydive.transform.dropped", Map.of("reason", "started"))).contains(1L);
    }

    @Test
    void startedFlowsPassWhenNotExcluded() throws Exception {
        create(Map.of("exclude-started", "false"));

        ObjectNode first = once(TestFlows.parse(TestFlows.TCP));
        ObjectNode second = once(TestFlows.parse(TestFlows.TCP));

        assertThat(first.get("Status").asText()).isEqualTo("STARTED");
        assertThat(first.get("UpdateCount").asLong()).isZero();
        assertThat(second.get("Status").asText()).isEqualTo("UPDATED");
        assertThat(second.get("UpdateCount").asLong()).isEqualTo(1);
    }

    @Test
    void finishTypesNameTheEndAndTimeoutForgetsTheFlow() throws Exception {
        create(Map.of("exclude-started", "false"));
        once(TestFlows.parse(TestFlows.TCP));

        ObjectNode fin = once(TestFlows.with(TestFlows.TCP, "FinishType", 2L));
        assertThat(fin.get("Status").asText()).isEqualTo("ENDED");
        assertThat(fin.get("FinishType").asText()).isEqualTo("SYN_FIN");
        assertThat(fin.get("UpdateCount").asLong()).isEqualTo(1);

        ObjectNode rst = once(TestFlows.with(TestFlows.TCP, "FinishType", 3L));
        assertThat(rst.get("FinishType").asText()).isEqualTo("SYN_RST");
        assertThat(rst.get("UpdateCount").asLong()).isEqualTo(2);

        ObjectNode timeout = once(TestFlows.with(TestFlows.TCP, "FinishType", 1L));
        assertThat(timeout.get("FinishType").asText()).isEqualTo("Timeout");
        assertThat(timeout.get("UpdateCount").asLong()).isEqualTo(3);

        assertThat(once(TestFlows.parse(TestFlows.TCP)).get("UpdateCount").asLong()).isZero();
    }

    @Test
    void excludedStartedFlowsStillAdvanceTheCountAndEndedIsNeverExcluded() throws Exception {
        create(Map.of());

        ObjectNode ended = once(TestFlows.parse(TestFlows.ICMP));

        assertThat(ended.get("Status").asText()).isEqualTo("ENDED");
        assertThat(ended.get("UpdateCount").asLong()).isZero();
        assertThat(ended.has("Transport")).isFalse();
    }

    @Test
    void openFlowsAreRememberedTenMinutesFinishedOnesOneMinute() throws Exception {
        create(Map.of("exclude-started", "false"));
        ObjectNode open = TestFlows.parse(TestFlows.TCP);
        ObjectNode other = TestFlows.with(TestFlows.TCP, "UUID", "feedfeedfeedfeed");

        once(open);
        once(TestFlows.with(TestFlows.TCP, "UUID", "feedfeedfeedfeed", "FinishType", 2L));
        clock.advance(UpdateCounts.FINISHED_TTL_MS);
        assertThat(once(other).get("UpdateCount").asLong()).isZero();

        clock.advance(UpdateCounts.OPEN_TTL_MS - UpdateCounts.FINISHED_TTL_MS - 1);
        assertThat(once(open).get("UpdateCount").asLong()).isEqualTo(1);
        clock.advance(UpdateCounts.OPEN_TTL_MS);
        assertThat(once(open).get("UpdateCount").asLong()).isZero();
    }

    @Test
    void theTrackedFlowsAreBoundedAndTheBoundIsCounted() throws Exception {
        create(Map.of("exclude-started", "false", "max-tracked-flows", "100"));
        for (int i = 0; i < 150; i++) {
            once(TestFlows.with(TestFlows.TCP, "UUID", "u" + i));
        }

        assertThat(context.counter("caravan.skydive.transform.evicted", Map.of())).contains(50L);
        assertThat(stage.status()).containsEntry("trackedFlows", 100);
        assertThat(once(TestFlows.with(TestFlows.TCP, "UUID", "u0")).get("UpdateCount").asLong()).isZero();
        assertThat(once(TestFlows.with(TestFlows.TCP, "UUID", "u149")).get("UpdateCount").asLong()).isEqualTo(1);
    }

    @Test
    void contextNamesNodeTypeAndExtendComeFromTheTopology() throws Exception {
        server.answer("G.V().Has('Runc.Hosts.IP','172.17.0.5').ShortestPathTo(Metadata('TID','" + TID + "'))",
                "[{\"ID\":\"r\",\"Metadata\":{\"Runc\":{\"ContainerID\":\"c1\",\"Hosts\":{\"Hostname\":\"web-1\"}}}}]");
        server.answer("G.V().Has('K8s.Extra.Status.ContainerStatuses.ContainerID','containerd://c1')",
                "[{\"ID\":\"p\",\"Metadata\":{\"K8s\":{\"Namespace\":\"default\",\"Name\":\"web_1\",\"Extra\":"
                        + "{\"ObjectMeta\":{\"OwnerReferences\":[{\"Kind\":\"ReplicaSet\",\"Name\":\"web-5d8f\"}]}}}}}]");
        server.answer(Gremlin.byTid(TID), "[{\"ID\":\"i\",\"Metadata\":{\"Type\":\"veth\"}}]");
        server.answer("G.V().Has('RoutingTables.Src','172.17.0.5').Values('Host')", "[\"worker-1\"]");
        create(Map.of("exclude-started", "false", "analyzer", server.hostPort(),
                "extend", "AA_Host=G.V().Has('RoutingTables.Src','{{.Network.A}}').Values('Host'); BB=G.V().Has('X','{{.Missing}}')"));

        ObjectNode record = once(TestFlows.parse(TestFlows.TCP));

        assertThat(record.get("Network").toString()).isEqualTo("{\"Protocol\":\"IPV4\",\"A\":\"172.17.0.5\","
                + "\"B\":\"93.184.216.34\",\"A_Name\":\"0_0_default-web-1_0\"}");
        assertThat(record.get("Context").toString()).isEqualTo(
                "{\"A\":{\"Type\":\"pod\",\"Name\":\"default/web_1\",\"Set\":\"ReplicaSet:default/web-5d8f\"}}");
        assertThat(record.get("NodeType").asText()).isEqualTo("veth");
        assertThat(record.get("Extend").toString()).isEqualTo("{\"AA_Host\":\"worker-1\",\"BB\":\"\"}");
        assertThat(fields(record)).containsExactly("UUID", "LayersPath", "Version", "Status", "Network", "Transport",
                "Context", "LastUpdateMetric", "Metric", "Start", "Last", "UpdateCount", "NodeType", "Extend");

        once(TestFlows.parse(TestFlows.TCP));
        assertThat(server.count(Gremlin.byTid(TID))).isEqualTo(1);
        assertThat(server.count("G.V().Has('RoutingTables.Src','172.17.0.5').Values('Host')")).isEqualTo(1);
    }

    @Test
    void aDeadAnalyzerLeavesTheLookupsEmptyAndCountsOnce() throws Exception {
        server.failWith(500);
        create(Map.of("exclude-started", "false", "analyzer", server.hostPort()));

        ObjectNode record = once(TestFlows.parse(TestFlows.TCP));
        once(TestFlows.parse(TestFlows.TCP));

        assertThat(record.has("Context")).isFalse();
        assertThat(record.has("NodeType")).isFalse();
        long errors = context.sum("caravan.skydive.topology.errors");
        assertThat(errors).isPositive();
        assertThat(server.queries()).hasSize((int) errors);
        assertThat(stage.degraded()).hasValueSatisfying(why -> assertThat(why).contains("HTTP 500"));

        server.failWith(0);
        once(TestFlows.with(TestFlows.TCP, "NodeTID", "another-tid"));
        assertThat(stage.degraded()).isEmpty();
    }

    @Test
    void badInputIsCountedAndRemovedNotFatal() throws Exception {
        create(Map.of("exclude-started", "false"));
        FlowRecord noSource = new FlowRecord();
        FlowRecord noUuid = TestFlows.record(TestFlows.with(TestFlows.TCP, "UUID", null));
        FlowRecord good = TestFlows.record(TestFlows.TCP);

        FlowBatch out = stage.apply(TestFlows.batch(noSource, noUuid, good));

        assertThat(out.records()).containsExactly(good);
        assertThat(context.counter("caravan.skydive.transform.bad", Map.of())).contains(2L);
    }

    @Test
    void anExtendEntryWithoutANameIsAnOptionError() {
        assertThatThrownBy(() -> create(Map.of("extend", "G.V()")))
                .isInstanceOf(OptionException.class).hasMessageContaining("extend").hasMessageContaining("NAME=");
    }
}
