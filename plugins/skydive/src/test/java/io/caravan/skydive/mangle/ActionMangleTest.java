package io.caravan.skydive.mangle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.stage.OptionException;
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

class ActionMangleTest {
    static final String TID1 = "tid-outside";
    static final String TID2 = "tid-inside";

    private final SettableClock clock = new SettableClock(1_700_000_200_000L);
    private final RecordingStageContext context = RecordingStageContext.of("skydive-mangle", clock);
    private Stage<FlowBatch, FlowBatch> transform;
    private Stage<FlowBatch, FlowBatch> mangle;

    @BeforeEach
    void create() throws Exception {
        transform = RecordingStageContext.of("skydive-transform", clock).create(new SkydiveTransformStageProvider(),
                Map.of("format", "vpclogs"));
        mangle = context.create(new SkydiveMangleStageProvider(),
                Map.of("type", "action", "tid1", TID1, "tid2", TID2, "reject-timeout", "5s"));
    }

    @AfterEach
    void close() {
        transform.close();
        mangle.close();
    }

    /** The example TCP flow seen at {@code tid} with these cumulative A→B packets (bytes ×100). */
    private static FlowRecord seen(String tid, String uuid, long abPackets, long last) {
        ObjectNode flow = TestFlows.with(TestFlows.TCP, "UUID", uuid, "NodeTID", tid,
                "Metric.ABPackets", abPackets, "Metric.ABBytes", abPackets * 100, "Metric.Last", last,
                "LastUpdateMetric.Last", last);
        return TestFlows.record(flow).attribute(SkydiveRecords.TAG, "egress");
    }

    private List<ObjectNode> run(FlowRecord... records) throws Exception {
        FlowBatch out = mangle.apply(transform.apply(TestFlows.batch(records)));
        List<ObjectNode> result = new ArrayList<>();
        for (FlowRecord r : out.records()) {
            assertThat(r.attribute(SkydiveRecords.TAG)).isEqualTo("egress");
            result.add((ObjectNode) r.attribute(SkydiveRecords.RECORD));
        }
        return result;
    }

    @Test
    void seenAtBothPointsIsAcceptedWithTheLesserCounters() throws Exception {
        List<ObjectNode> out = run(seen(TID1, "u1", 40, 1_700_000_100_000L), seen(TID2, "u2", 38, 1_700_000_099_000L));

        assertThat(out).hasSize(1);
        assertThat(out.get(0).get("action").asText()).isEqualTo("A");
        assertThat(out.get(0).get("cumulative_packets_from_initiator").asLong()).isEqualTo(38);
        assertThat(out.get(0).get("cumulative_bytes_from_initiator").asLong()).isEqualTo(3800);
        assertThat(out.get(0).get("end_time").asText()).isEqualTo("2023-11-14T22:14:59Z");

        List<ObjectNode> later = run(seen(TID1, "u1", 50, 1_700_000_160_000L), seen(TID2, "u2", 49, 1_700_000_160_000L));

        assertThat(later).hasSize(1);
        assertThat(later.get(0).get("action").asText()).isEqualTo("A");
        assertThat(later.get(0).get("cumulative_packets_from_initiator").asLong()).isEqualTo(49);
        assertThat(later.get(0).get("packets_from_initiator").asLong()).isEqualTo(11);
        assertThat(later.get(0).get("start_time").asText()).isEqualTo("2023-11-14T22:14:59Z");
    }

    @Test
    void nothingNewIsNotReportedAgain() throws Exception {
        run(seen(TID1, "u1", 40, 1_700_000_100_000L), seen(TID2, "u2", 38, 1_700_000_100_000L));

        assertThat(run(seen(TID1, "u1", 40, 1_700_000_101_000L))).isEmpty();
    }

    @Test
    void seenAtOnePointOnlyIsRejectedAfterTheTimeout() throws Exception {
        assertThat(run(seen(TID1, "u1", 40, 1_700_000_100_000L))).isEmpty();
        clock.advance(5_000);
        assertThat(run()).isEmpty();

        clock.advance(1);
        List<ObjectNode> out = run();

        assertThat(out).hasSize(1);
        assertThat(out.get(0).get("action").asText()).isEqualTo("R");
        assertThat(out.get(0).get("cumulative_packets_from_initiator").asLong()).isEqualTo(40);
        assertThat(mangle.status()).containsEntry("connections", 0).containsEntry("rejected", 1L);
    }

    @Test
    void aConnectionBlockedMidStreamIsRejectedOnceTheSidesDriftApart() throws Exception {
        run(seen(TID1, "u1", 40, 1_700_000_100_000L), seen(TID2, "u2", 38, 1_700_000_100_000L));

        List<ObjectNode> out = run(seen(TID1, "u1", 45, 1_700_000_110_000L));

        assertThat(out).hasSize(1);
        assertThat(out.get(0).get("action").asText()).isEqualTo("R");
        assertThat(out.get(0).get("cumulative_packets_from_initiator").asLong()).isEqualTo(38);
        assertThat(out.get(0).has("packets_from_initiator")).isFalse();
    }

    @Test
    void flowsFromOtherCapturePointsAreDroppedAndCounted() throws Exception {
        assertThat(run(seen("elsewhere", "u9", 1, 1_700_000_100_000L))).isEmpty();

        assertThat(context.counter("caravan.skydive.mangle.dropped", Map.of("reason", "other-capture-point")))
                .contains(1L);
    }

    @Test
    void actionNeedsTwoDifferentTids() {
        assertThatThrownBy(() -> context.create(new SkydiveMangleStageProvider(), Map.of("type", "action", "tid1", "a")))
                .isInstanceOf(OptionException.class).hasMessageContaining("tid1").hasMessageContaining("tid2");
        assertThatThrownBy(() -> context.create(new SkydiveMangleStageProvider(),
                Map.of("type", "action", "tid1", "a", "tid2", "a"))).isInstanceOf(OptionException.class);
    }

    @Test
    void connectionsAreBoundedAndTheBoundIsCounted() throws Exception {
        mangle.close();
        mangle = context.create(new SkydiveMangleStageProvider(),
                Map.of("type", "action", "tid1", TID1, "tid2", TID2, "max-connections", "10"));
        List<FlowRecord> many = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            FlowRecord r = seen(TID1, "u" + i, 1, 1_700_000_100_000L);
            ((ObjectNode) r.source()).put("L3TrackingID", "t" + i);
            many.add(r);
        }

        run(many.toArray(new FlowRecord[0]));

        assertThat(context.counter("caravan.skydive.mangle.evicted", Map.of())).contains(5L);
        assertThat(mangle.status()).containsEntry("connections", 10);
    }
}
