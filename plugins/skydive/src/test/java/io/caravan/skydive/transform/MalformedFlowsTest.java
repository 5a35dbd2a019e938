package io.caravan.skydive.transform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.stage.Stage;
import io.caravan.skydive.mangle.SkydiveMangleStageProvider;
import io.caravan.skydive.testing.TestFlows;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Flows whose fields are missing or of the wrong type go through every transform and mangle
 * without an exception escaping: each record is either transformed or counted as bad.
 */
class MalformedFlowsTest {
    private static final JsonNode[] ODD = {
        JsonNodeFactory.instance.nullNode(), JsonNodeFactory.instance.textNode("x"),
        JsonNodeFactory.instance.numberNode(-1L), JsonNodeFactory.instance.arrayNode().add(1),
        JsonNodeFactory.instance.objectNode().put("A", "??"), JsonNodeFactory.instance.booleanNode(true),
        JsonNodeFactory.instance.numberNode(Long.MAX_VALUE), JsonNodeFactory.instance.numberNode(1.5)};

    /** The example flow with 1 to 4 fields (top-level or one level down) replaced or removed at random. */
    private static ObjectNode mutate(Random random) {
        ObjectNode flow = TestFlows.parse(random.nextBoolean() ? TestFlows.TCP : TestFlows.ICMP);
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
            List<String> names = new ArrayList<>();
            flow.fieldNames().forEachRemaining(names::add);
            ObjectNode at = flow;
            String name = names.get(random.nextInt(names.size()));
            if (at.get(name).isObject() && at.get(name).size() > 0 && random.nextBoolean()) {
                at = (ObjectNode) at.get(name);
                List<String> inner = new ArrayList<>();
                at.fieldNames().forEachRemaining(inner::add);
                name = inner.get(random.nextInt(inner.size()));
            }
            if (random.nextInt(4) == 0) {
                at.remove(name);
            } else {
                at.set(name, ODD[random.nextInt(ODD.length)]);
            }
        }
        return flow;
    }

    @Test
    void noMalformedFlowStopsAStage() throws Exception {
        SettableClock clock = new SettableClock(1_700_000_000_000L);
        Random random = new Random(8);
        for (String format : List.of("secadvisor", "awsflowlogs", "vpclogs")) {
            RecordingStageContext context = RecordingStageContext.of("skydive-transform", clock);
            try (Stage<FlowBatch, FlowBatch> transform = context.create(new SkydiveTransformStageProvider(),
                        Map.of("format", format, "exclude-started", "false"));
                 Stage<FlowBatch, FlowBatch> mangle = RecordingStageContext.of("skydive-mangle", clock).create(
                         new SkydiveMangleStageProvider(), format.equals("vpclogs")
                                 ? Map.of("type", "action", "tid1", "t1", "tid2", "b1c2d3e4-f5a6-5b7c-8d9e-0f1a2b3c4d5e")
                                 : Map.of())) {
                int in = 0;
                int out = 0;
                for (int batch = 0; batch < 200; batch++) {
                    List<FlowRecord> records = new ArrayList<>();
                    for (int i = 0; i < 5; i++) {
                        records.add(TestFlows.record(mutate(random)).attribute(SkydiveRecords.TAG, "egress"));
                    }
                    in += records.size();
                    FlowBatch transformed = transform.apply(TestFlows.batch(records.toArray(new FlowRecord[0])));
                    out += transformed.size();
                    mangle.apply(transformed);
                    clock.advance(1_000);
                }
                long dropped = context.sum("caravan.skydive.transform.bad")
                        + context.sum("caravan.skydive.transform.dropped");
                assertThat(out + dropped).as(format).isEqualTo(in);
            }
        }
    }
}
