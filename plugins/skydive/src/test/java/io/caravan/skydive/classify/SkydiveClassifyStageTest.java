package io.caravan.skydive.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.Stage;
import io.caravan.skydive.testing.TestFlows;
import io.caravan.skydive.testing.TopologyServer;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SkydiveClassifyStageTest {
    static final String NODES = "[{\"ID\":\"n1\",\"Metadata\":{\"Manager\":\"k8s\",\"Type\":\"node\",\"K8s\":{\"Extra\":"
            + "{\"Status\":{\"Addresses\":[{\"Type\":\"InternalIP\",\"Address\":\"10.240.0.4\"},"
            + "{\"Type\":\"ExternalIP\",\"Address\":\"52.1.2.3\"},{\"Type\":\"ExternalIP\",\"Address\":\"52.9.9.9\"}]}}}}},"
            + "{\"ID\":\"n2\",\"Metadata\":{\"K8s\":{\"Extra\":{\"Status\":{\"Addresses\":["
            + "{\"Type\":\"Hostname\",\"Address\":\"worker-2\"},{\"Type\":\"InternalIP\",\"Address\":\"10.240.0.5\"}]}}}}},"
            + "{\"ID\":\"n3\",\"Metadata\":{\"K8s\":{}}}]";

    private TopologyServer server;
    private final SettableClock clock = new SettableClock(1_700_000_000_000L);
    private final RecordingStageContext context = RecordingStageContext.of("skydive-classify", clock);
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

    private Stage<FlowBatch, FlowBatch> create() throws OptionException {
        stage = context.create(new SkydiveClassifyStageProvider(),
                Map.of("analyzer", server.hostPort(), "retry", "1s", "refresh", "5m"));
        return stage;
    }

    private static String tagOf(Stage<FlowBatch, FlowBatch> stage, String src, String dst) throws Exception {
        FlowRecord r = TestFlows.record(TestFlows.with(TestFlows.TCP, "Network.A", src, "Network.B", dst));
        stage.apply(TestFlows.batch(r));
        return (String) r.attribute("tag");
    }

    @Test
    void nodeAddressIsTheFirstExternalIpElseTheInternalIp() throws Exception {
        assertThat(NodeDiscovery.parse(TestFlows.JSON.readTree(NODES))
                .stream().map(Object::toString).toList())
                .containsExactly("52.1.2.3", "10.240.0.5");
    }

    @Test
    void classifiesWithConfiguredSubnetsWhileTheTopologyDoesNotAnswerThenAddsNodes() throws Exception {
        server.failWith(503);
        create();
        await().atMost(Duration.ofSeconds(10)).until(() -> context.sum("caravan.skydive.topology.errors") == 1);

        assertThat(stage.degraded()).hasValueSatisfying(why -> assertThat(why)
                .contains("not discovered yet").contains("HTTP 503").contains("configured subnets"));
        assertThat(tagOf(stage, "10.1.1.1", "52.1.2.3")).isEqualTo("egress");
        assertThat(tagOf(stage, "52.1.2.3", "93.184.216.34")).isEqualTo("other");
        assertThat(server.queries()).hasSize(1);

        server.failWith(0);
        server.answer(NodeDiscovery.QUERY, NODES);
        clock.advance(999);
        stage.apply(TestFlows.batch());
        assertThat(server.queries()).hasSize(1);

        clock.advance(1);
        tagOf(stage, "10.1.1.1", "10.1.1.2");
        await().atMost(Duration.ofSeconds(10)).until(() -> stage.degraded().isEmpty());

        assertThat(tagOf(stage, "10.1.1.1", "52.1.2.3")).isEqualTo("internal");
        assertThat(tagOf(stage, "52.1.2.3", "93.184.216.34")).isEqualTo("egress");
        assertThat(tagOf(stage, "93.184.216.34", "10.240.0.5")).isEqualTo("ingress");
        assertThat(tagOf(stage, "93.184.216.34", "52.9.9.9")).isEqualTo("other");
        assertThat(stage.status()).containsEntry("discovered", true);
        assertThat(server.queries()).containsOnly(NodeDiscovery.QUERY);
    }

    @Test
    void refreshesOnItsIntervalAndKeepsNodesWhenARefreshFails() throws Exception {
        server.answer(NodeDiscovery.QUERY, NODES);
        create();
        await().atMost(Duration.ofSeconds(10)).until(() -> stage.degraded().isEmpty());

        server.failWith(500);
        clock.advance(Duration.ofMinutes(5).toMillis());
        stage.apply(TestFlows.batch());
        await().atMost(Duration.ofSeconds(10)).until(() -> context.sum("caravan.skydive.topology.errors") == 1);

        assertThat(stage.degraded()).isEmpty();
        assertThat(tagOf(stage, "52.1.2.3", "10.0.0.1")).isEqualTo("internal");
        assertThat(context.sum("caravan.skydive.topology.queries")).isEqualTo(2);
    }

    @Test
    void flowsWithoutAddressesAreOther() throws Exception {
        server.answer(NodeDiscovery.QUERY, NODES);
        create();
        FlowRecord arp = TestFlows.record(TestFlows.with(TestFlows.TCP, "Network", null, "Transport", null));

        stage.apply(TestFlows.batch(arp));

        assertThat(arp.attribute("tag")).isEqualTo("other");
    }

    @Test
    void theAnalyzerIsRequired() {
        assertThatThrownBy(() -> context.create(new SkydiveClassifyStageProvider(), Map.of()))
                .isInstanceOf(OptionException.class).hasMessageContaining("analyzer");
    }
}
