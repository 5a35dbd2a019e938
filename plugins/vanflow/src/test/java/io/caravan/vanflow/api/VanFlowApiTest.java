package io.caravan.vanflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import io.caravan.vanflow.metrics.CollectorMetrics;
import io.caravan.vanflow.state.CollectorState;
import io.caravan.vanflow.state.Example;
import io.caravan.vanflow.state.Golden;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST answers on the spec's example: golden JSON for what the console reads, and the query semantics. */
class VanFlowApiTest {
    private final SettableClock clock = new SettableClock(Example.START_MS);
    private CollectorState state;
    private VanFlowApi api;

    @BeforeEach
    void example() {
        state = new CollectorState(clock, new CollectorMetrics(RecordingStageContext.of("vanflow", clock)),
                Duration.ofMinutes(15), 10_000);
        api = new VanFlowApi(state);
        Example.topology(state, clock.millis());
        clock.advance(1_000);
        Example.flow(state, clock.millis());
        clock.advance(Example.AFTER_MS - clock.millis());
    }

    private JsonNode get(String pathAndQuery) {
        return get(pathAndQuery, 200);
    }

    private JsonNode get(String pathAndQuery, int status) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        VanFlowApi.Response r = api.get(path, Query.parse(q < 0 ? "" : pathAndQuery.substring(q + 1)), null);
        assertThat(r.status()).as(pathAndQuery).isEqualTo(status);
        return Golden.tree(r.body());
    }

    private static List<String> ids(JsonNode env) {
        List<String> out = new ArrayList<>();
        env.path("results").forEach(n -> out.add(n.path("identity").asText()));
        return out;
    }

    @Test
    void goldenAnswers() {
        Golden.assertMatches("api-topology", get("/topology"));
        Golden.assertMatches("api-vanaddrs", get("/vanaddrs"));
        Golden.assertMatches("api-flows-by-vanaddr", get("/flows?vanaddr=backend:8080&includeDeleted=1"));
        Golden.assertMatches("api-addresses", get("/addresses/"));
        Golden.assertMatches("api-flowpairs", get("/flowpairs/"));
        Golden.assertMatches("api-processpairs", get("/processpairs/"));
        Golden.assertMatches("api-sitepairs", get("/sitepairs/"));
        Golden.assertMatches("api-links", get("/links/"));
    }

    @Test
    void thePrototypeHidesEndedRecordsUnlessAsked() {
        assertThat(get("/flows?vanaddr=backend:8080").size()).as("address, listener, connector").isEqualTo(3);
        assertThat(get("/flows?vanaddr=backend:8080&includeDeleted=true").size()).as("and both flows").isEqualTo(5);
        JsonNode records = get("/record?id=x7f2q:120&id=p2k8d:7&id=nope");
        assertThat(records).hasSize(2);
        assertThat(records.get(0).path("recordType").asText()).isEqualTo("FLOW");
        assertThat(records.get(0).path("duration").asLong()).isEqualTo(2_000_000);
        assertThat(records.get(0).path("counterflow").asText()).as("counterflow is mutual").isEqualTo("p2k8d:88");
        assertThat(get("/record", 400).path("error").asText()).isEqualTo("Bad request - record needs id=<identity>");
        assertThat(get("/flows", 400).path("error").asText()).startsWith("Bad request - ");
        assertThat(get("/routers")).hasSize(2);
        assertThat(get("/sites")).hasSize(2);
    }

    @Test
    void itemsAndSubResources() {
        JsonNode site = get("/sites/" + Example.WEST);
        assertThat(site.path("count").asInt()).isEqualTo(1);
        assertThat(site.path("results").path("name").asText()).isEqualTo("west");
        JsonNode missing = get("/sites/nope");
        assertThat(missing.path("results").isNull()).isTrue();
        assertThat(missing.path("count").asInt()).isZero();
        assertThat(ids(get("/sites/" + Example.EAST + "/processes"))).containsExactly("proc-backend");
        assertThat(ids(get("/sites/" + Example.EAST + "/routers"))).containsExactly(Example.R2);
        assertThat(ids(get("/sites/" + Example.WEST + "/links"))).containsExactly("x7f2q:3");
        assertThat(ids(get("/routers/" + Example.R2 + "/flows"))).containsExactly("p2k8d:88");
        assertThat(ids(get("/addresses/col:1/flowpairs"))).containsExactly("fp-x7f2q:120");
        assertThat(ids(get("/addresses/col:1/processes"))).containsExactly("proc-backend");
        assertThat(ids(get("/addresses/col:1/processpairs"))).containsExactly("proc-frontend-to-proc-backend");
        assertThat(ids(get("/addresses/col:1/listeners"))).containsExactly("x7f2q:5");
        assertThat(ids(get("/addresses/col:1/connectors"))).containsExactly("p2k8d:7");
        assertThat(ids(get("/addresses/col:1/flows"))).containsExactly("p2k8d:88", "x7f2q:120");
        assertThat(ids(get("/processes/proc-backend/addresses"))).containsExactly("col:1");
        assertThat(ids(get("/processes/proc-backend/connector"))).containsExactly("p2k8d:7");
        assertThat(ids(get("/processes/proc-frontend/flows"))).containsExactly("x7f2q:120");
        assertThat(ids(get("/processgroups/backend/processes"))).containsExactly("proc-backend");
        assertThat(ids(get("/flows/p2k8d:88/process"))).containsExactly("proc-backend");
        assertThat(ids(get("/connectors/p2k8d:7/process"))).containsExactly("proc-backend");
        assertThat(ids(get("/eventsources/"))).containsExactly(Example.WEST, Example.R2, Example.R1);
        assertThat(get("/eventsources/" + Example.R1).path("results").path("beacon").path("direct").asText())
                .isEqualTo("sfe.x7f2q:0");
        assertThat(get("/collectors/").path("results").get(0).path("identity").asText()).isEqualTo(state.collectorId());
        assertThat(get("/sites/x/unknown", 404).path("status").asText()).contains("no such resource");
    }

    @Test
    void pagingSortingAndCounts() {
        JsonNode page = get("/processes/?sortBy=name.desc&offset=1&limit=1");
        assertThat(ids(page)).containsExactly("proc-backend");
        assertThat(page.path("count").asInt()).isEqualTo(1);
        assertThat(page.path("timeRangeCount").asInt()).isEqualTo(2);
        assertThat(page.path("totalCount").asInt()).isEqualTo(2);
        assertThat(page.path("status").asText()).isEmpty();
        assertThat(ids(get("/flows/?sortBy=latency.asc"))).containsExactly("p2k8d:88", "x7f2q:120");
        assertThat(ids(get("/flows/?sortBy=latency.desc"))).containsExactly("x7f2q:120", "p2k8d:88");
        assertThat(ids(get("/flowpairs/?sortBy=forwardFlow.octets.desc"))).containsExactly("fp-x7f2q:120");
        assertThat(ids(get("/processes/?offset=5"))).isEmpty();
        assertThat(get("/flows/?offset=-", 400).path("status").asText()).isEqualTo("offset must be an integer, got '-'");
    }

    @Test
    void fieldFiltersMatchStringsByPrefixNumbersExactlyAndRepeatsAsOr() {
        assertThat(ids(get("/processes/?name=front"))).containsExactly("proc-frontend");
        assertThat(ids(get("/processes/?name=front&name=back"))).containsExactly("proc-backend", "proc-frontend");
        assertThat(ids(get("/flows/?latency=1800"))).containsExactly("p2k8d:88");
        assertThat(ids(get("/flows/?latency=180"))).isEmpty();
        assertThat(ids(get("/flowpairs/?forwardFlow.sourceHost=10.42.1"))).containsExactly("fp-x7f2q:120");
        assertThat(ids(get("/flowpairs/?forwardFlow.sourceHost=10.42.0"))).isEmpty();
        assertThat(ids(get("/processes/?filter=processBinding.bound"))).containsExactly("proc-backend");
        assertThat(ids(get("/processpairs/?sourceId=proc-front"))).as("pair ids match exactly").isEmpty();
        assertThat(ids(get("/processpairs/?sourceId=proc-frontend"))).containsExactly("proc-frontend-to-proc-backend");
        assertThat(ids(get("/sites/?endTime=0"))).hasSize(2);
        assertThat(ids(get("/processes/?processRole=internal&groupIdentity=backend"))).containsExactly("proc-backend");
    }

    @Test
    void stateAndTimeRange() {
        assertThat(ids(get("/flows/?state=active"))).isEmpty();
        assertThat(ids(get("/flows/?state=terminated"))).hasSize(2);
        assertThat(get("/flows/?state=gone", 400).path("status").asText()).startsWith("state must be");
        long flowStart = 1_718_000_001_000_000L;
        long flowEnd = 1_718_000_003_000_000L;
        // intersects (default): anything alive at some point of the range.
        assertThat(ids(get("/flows/?timeRangeStart=" + (flowEnd + 5000) + "&timeRangeEnd=" + (flowEnd + 6000)))).isEmpty();
        assertThat(ids(get("/flows/?timeRangeStart=" + flowEnd + "&timeRangeEnd=" + (flowEnd + 6000))))
                .containsExactly("p2k8d:88", "x7f2q:120");
        // within: started and ended inside the range.
        assertThat(ids(get("/flows/?timeRangeOperation=within&timeRangeStart=" + flowStart + "&timeRangeEnd=" + flowEnd)))
                .containsExactly("x7f2q:120");
        // contains: covers the whole range.
        assertThat(ids(get("/flows/?timeRangeOperation=contains&timeRangeStart=" + (flowStart + 10_000)
                + "&timeRangeEnd=" + (flowEnd - 10_000)))).containsExactly("p2k8d:88", "x7f2q:120");
        assertThat(ids(get("/sites/?timeRangeOperation=within"))).as("live records are never within").isEmpty();
        // The default range is the last 15 minutes: narrower explicit ranges count apart from the total.
        JsonNode env = get("/flows/?timeRangeStart=" + (flowEnd + 1000));
        assertThat(env.path("timeRangeCount").asInt()).isEqualTo(1);
        assertThat(env.path("totalCount").asInt()).isEqualTo(2);
        assertThat(get("/flows/").path("timeRangeCount").asInt()).isEqualTo(2);
        clock.advance(Duration.ofMinutes(20).toMillis());
        assertThat(ids(get("/sites/"))).as("live records stay in every later range").hasSize(2);
    }
}
