package io.caravan.skydive.mangle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.api.stage.Stage;
import io.caravan.skydive.testing.TestFlows;
import io.caravan.skydive.transform.SkydiveRecords;
import io.caravan.skydive.transform.SkydiveTransformStageProvider;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogStatusMangleTest {
    private final SettableClock clock = new SettableClock(1_700_000_200_000L);
    private final RecordingStageContext context = RecordingStageContext.of("skydive-mangle", clock);
    private Stage<FlowBatch, FlowBatch> transform;
    private Stage<FlowBatch, FlowBatch> mangle;

    @BeforeEach
    void create() throws Exception {
        transform = RecordingStageContext.of("skydive-transform", clock).create(new SkydiveTransformStageProvider(),
                Map.of("exclude-started", "false"));
        mangle = context.create(new SkydiveMangleStageProvider(), Map.of());
    }

    @AfterEach
    void close() {
        transform.close();
        mangle.close();
    }

    private static FlowRecord tagged(ObjectNode flow, String tag) {
        return TestFlows.record(flow).attribute(SkydiveRecords.TAG, tag);
    }

    private List<ObjectNode> run(FlowRecord... records) throws Exception {
        FlowBatch out = mangle.apply(transform.apply(TestFlows.batch(records)));
        List<ObjectNode> result = new ArrayList<>();
        for (FlowRecord r : out.records()) {
            assertThat(r.type()).isEqualTo(FlowType.SKYDIVE);
            result.add((ObjectNode) r.attribute(SkydiveRecords.RECORD));
        }
        return result;
    }

    /** The flow's next sighting 60 s later, with consistent counters: Metric grew by LastUpdateMetric. */
    private static ObjectNode next(ObjectNode flow, long ab, long ba) {
        ObjectNode n = flow.deepCopy();
        ObjectNode m = (ObjectNode) n.get("Metric");
        ObjectNode l = (ObjectNode) n.get("LastUpdateMetric");
        l.put("ABPackets", ab).put("ABBytes", ab * 100).put("BAPackets", ba).put("BABytes", ba * 100);
        m.put("ABPackets", m.get("ABPackets").asLong() + ab).put("ABBytes", m.get("ABBytes").asLong() + ab * 100)
                .put("BAPackets", m.get("BAPackets").asLong() + ba).put("BABytes", m.get("BABytes").asLong() + ba * 100);
        return n;
    }

    @Test
    void everyRecordIsOkWithLogStatusBeforeExtend() throws Exception {
        List<ObjectNode> out = run(tagged(TestFlows.parse(TestFlows.TCP), "egress"));

        assertThat(out).hasSize(1);
        assertThat(out.get(0).get("LogStatus").asText()).isEqualTo("OK");
        List<String> names = new ArrayList<>();
        out.get(0).fieldNames().forEachRemaining(names::add);
        assertThat(names).endsWith("UpdateCount", "LogStatus");
        ObjectNode withExtend = TestFlows.parse("{\"UUID\":\"x\",\"Start\":1,\"Extend\":{\"A\":\"b\"}}");
        LogStatusMangle.setStatus(withExtend, "OK");
        assertThat(withExtend.toString()).isEqualTo("{\"UUID\":\"x\",\"Start\":1,\"LogStatus\":\"OK\",\"Extend\":{\"A\":\"b\"}}");
    }

    @Test
    void consistentUpdatesGiveNoSkipDataButALostUpdateDoes() throws Exception {
        ObjectNode first = TestFlows.parse(TestFlows.TCP);
        ObjectNode second = next(first, 5, 4);
        ObjectNode lost = next(second, 3, 3);
        ObjectNode third = next(lost, 2, 1);

        run(tagged(first, "egress"));
        assertThat(run(tagged(second, "egress"))).hasSize(1);
        List<ObjectNode> out = run(tagged(third, "egress"));

        assertThat(out).hasSize(2);
        assertThat(out.get(1).toString()).isEqualTo("{\"UUID\":\"9a3e51c07b42d8f1\",\"Network\":{\"Protocol\":\"IPV4\","
                + "\"A\":\"172.17.0.5\",\"B\":\"93.184.216.34\"},\"Start\":1700000200000,\"Last\":1700000200000,"
                + "\"UpdateCount\":0,\"LogStatus\":\"SKIPDATA\"}");
        assertThat(context.counter("caravan.skydive.mangle.synthetic", Map.of())).contains(1L);
    }

    @Test
    void noDataForAnInterfaceThisTagSawBeforeButNotNow() throws Exception {
        ObjectNode vlan100 = TestFlows.with(TestFlows.TCP, "UUID", "v100", "Link.ID", 100L);
        ObjectNode vlan200 = TestFlows.with(TestFlows.TCP, "UUID", "v200", "Link.ID", 200L);

        run(tagged(vlan100, "egress"), tagged(vlan200, "egress"));
        List<ObjectNode> out = run(tagged(next(vlan100, 1, 1), "egress"));

        assertThat(out).hasSize(2);
        assertThat(out.get(1).toString()).isEqualTo(
                "{\"Start\":1700000200000,\"Last\":1700000200000,\"UpdateCount\":0,\"LogStatus\":\"NODATA\"}");
    }

    @Test
    void stateIsPerTagSoAnotherTagsInterfacesGiveNoNoData() throws Exception {
        ObjectNode vlan100 = TestFlows.with(TestFlows.TCP, "UUID", "v100", "Link.ID", 100L);
        ObjectNode vlan200 = TestFlows.with(TestFlows.TCP, "UUID", "v200", "Link.ID", 200L);

        run(tagged(vlan100, "egress"));
        List<ObjectNode> out = run(tagged(vlan200, "ingress"));
        List<ObjectNode> again = run(tagged(next(vlan100, 1, 1), "egress"), tagged(next(vlan200, 1, 1), "ingress"));

        assertThat(out).extracting(o -> o.get("LogStatus").asText()).containsExactly("OK");
        assertThat(again).extracting(o -> o.get("LogStatus").asText()).containsExactly("OK", "OK");
    }

    @Test
    void syntheticRecordsKeepTheirTag() throws Exception {
        ObjectNode vlan100 = TestFlows.with(TestFlows.TCP, "UUID", "v100", "Link.ID", 100L);
        ObjectNode vlan200 = TestFlows.with(TestFlows.TCP, "UUID", "v200", "Link.ID", 200L);
        run(tagged(vlan100, "internal"), tagged(vlan200, "internal"));

        FlowBatch out = mangle.apply(transform.apply(TestFlows.batch(tagged(next(vlan100, 1, 1), "internal"))));

        FlowRecord noData = out.records().get(1);
        assertThat(noData.attribute(SkydiveRecords.TAG)).isEqualTo("internal");
        assertThat(noData.source()).isNull();
    }

    @Test
    void interfacesAreForgottenAfterTheLinkMemory() throws Exception {
        mangle.close();
        mangle = context.create(new SkydiveMangleStageProvider(), Map.of("link-memory", "1m"));
        ObjectNode vlan100 = TestFlows.with(TestFlows.TCP, "UUID", "v100", "Link.ID", 100L);
        run(tagged(vlan100, "egress"));

        clock.advance(60_000);
        List<ObjectNode> out = run(tagged(TestFlows.with(TestFlows.TCP, "UUID", "v0"), "egress"));

        assertThat(out).hasSize(1);
    }

    @Test
    void awsRecordsGetLogStatusInTheirColumnAndSyntheticRowsKeepTheColumns() throws Exception {
        transform.close();
        transform = RecordingStageContext.of("skydive-transform", clock).create(new SkydiveTransformStageProvider(),
                Map.of("format", "awsflowlogs"));
        ObjectNode vlan100 = TestFlows.with(TestFlows.TCP, "UUID", "v100", "Link.ID", 100L);
        ObjectNode vlan200 = TestFlows.with(TestFlows.TCP, "UUID", "v200", "Link.ID", 200L);
        run(tagged(vlan100, "egress"), tagged(vlan200, "egress"));

        List<ObjectNode> out = run(tagged(next(vlan100, 1, 1), "egress"));

        assertThat(out.get(0).get("log-status").asText()).isEqualTo("OK");
        assertThat(out.get(1).toString()).isEqualTo("{\"version\":2,\"account-id\":\"12345678\",\"interface-id\":\"200\","
                + "\"srcaddr\":\"-\",\"dstaddr\":\"-\",\"srcport\":\"-\",\"dstport\":\"-\",\"protocol\":\"-\","
                + "\"packets\":\"-\",\"bytes\":\"-\",\"start\":1700000200,\"end\":1700000200,\"action\":\"-\","
                + "\"log-status\":\"NODATA\"}");
    }

    @Test
    void recordsWithoutATransformedRecordPassAndAreCounted() throws Exception {
        FlowRecord raw = TestFlows.record(TestFlows.TCP);

        FlowBatch out = mangle.apply(TestFlows.batch(raw));

        assertThat(out.records()).containsExactly(raw);
        assertThat(context.counter("caravan.skydive.mangle.untransformed", Map.of())).contains(1L);
    }
}
