package io.caravan.skydive.storeheader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreHeadersTest {
    private static final Instant START = Instant.parse("2023-11-14T22:13:20.250Z");
    private static final Instant END = Instant.parse("2023-11-14T22:14:20.999Z");

    private static List<ObjectNode> records() {
        ObjectNode a = JsonNodeFactory.instance.objectNode().put("initiator_ip", "10.0.0.1");
        ObjectNode b = JsonNodeFactory.instance.objectNode().put("initiator_ip", "10.0.0.2");
        return List.of(a, b);
    }

    @Test
    void noneIsTheListItself() {
        JsonNode out = HeaderType.NONE.create(Map.of()).wrap(records(), START, END, false);

        assertThat(out.isArray()).isTrue();
        assertThat(out).containsExactlyElementsOf(records());
    }

    @Test
    void vpclogsPutsUserKeysFirstThenTheHeaderFieldsInOrder() {
        StoreHeader h = HeaderType.VPCLOGS.create(VpcLogsHeader.parseFields(List.of("crn=crn:v1:x", "account=a1")));

        JsonNode out = h.wrap(records(), START, END, false);

        assertThat(out.fieldNames()).toIterable().containsExactly("crn", "account", "version", "capture_start_time",
                "capture_end_time", "number_of_flow_logs", "flow_logs", "state");
        assertThat(out.get("crn").asText()).isEqualTo("crn:v1:x");
        assertThat(out.get("version").asText()).isEqualTo("0.0.1");
        assertThat(out.get("capture_start_time").asText()).isEqualTo("2023-11-14T22:13:20Z");
        assertThat(out.get("capture_end_time").asText()).isEqualTo("2023-11-14T22:14:20Z");
        assertThat(out.get("number_of_flow_logs").asInt()).isEqualTo(2);
        assertThat(out.get("flow_logs")).containsExactlyElementsOf(records());
        assertThat(out.get("state").asText()).isEqualTo("ok");
    }

    @Test
    void vpclogsStateSaysSkipDataOnlyWhenFlowsWereDropped() {
        assertThat(new VpcLogsHeader(Map.of()).wrap(records(), START, END, true).get("state").asText())
                .isEqualTo("skip data");
    }

    @Test
    void aFieldWithoutEqualsIsRefused() {
        assertThatThrownBy(() -> VpcLogsHeader.parseFields(List.of("novalue"))).hasMessageContaining("key=value");
    }
}
