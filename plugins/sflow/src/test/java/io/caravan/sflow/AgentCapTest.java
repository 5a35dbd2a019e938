package io.caravan.sflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.Stage;
import io.caravan.traffic.datagram.SflowBuilder;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code maxAgents}: agents beyond the cap are decoded, counted as untracked, and get no state. */
class AgentCapTest {
    private static final InetSocketAddress SENDER = new InetSocketAddress("198.51.100.7", 40000);
    private static final String UNTRACKED = TestStageContext.id(DecodeSflowStage.UNTRACKED_DATAGRAMS,
            "protocol", "sflow");

    private final TestStageContext context = TestStageContext.create();

    private Stage<Datagram, FlowBatch> stage(int maxAgents) throws OptionException {
        return context.create(new DecodeSflowStageProvider(), Map.of("maxAgents", String.valueOf(maxAgents)));
    }

    private static String agent(int i) {
        return "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
    }

    private FlowBatch send(Stage<Datagram, FlowBatch> s, int agent, long sequence) throws Exception {
        byte[] d = SflowBuilder.datagram().agent(agent(agent)).sequence(sequence).flowSample(f -> f.sequence(sequence))
                .build();
        return s.apply(new Datagram(d, SENDER, context.advance(0)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> agents(Stage<Datagram, FlowBatch> s) {
        return (Map<String, Object>) s.status().get("agents");
    }

    @Test
    void agentsBeyondTheCapAreDecodedAndCountedAsUntracked() throws Exception {
        Stage<Datagram, FlowBatch> s = stage(3);

        for (int i = 1; i <= 5; i++) {
            assertThat(send(s, i, 1).records()).as("records of agent %d", i).hasSize(1);
        }

        assertThat(s.status()).containsEntry("agents_tracked", 3).containsEntry("max_agents", 3)
                .containsEntry("untracked_datagrams", 2L);
        assertThat(agents(s)).containsOnlyKeys(agent(1), agent(2), agent(3));
        assertThat(context.counter(UNTRACKED)).isEqualTo(2);
        assertThat(context.gauge("caravan.sflow.agents{}")).isEqualTo(3.0);

        send(s, 1, 2); // a tracked agent stays tracked at the cap
        assertThat(s.status()).containsEntry("untracked_datagrams", 2L);
    }

    @Test
    void theCapHoldsUnderManyDistinctAgents() throws Exception {
        Stage<Datagram, FlowBatch> s = stage(100);
        long records = 0;

        for (int i = 0; i < 10_000; i++) {
            records += send(s, i, 1).records().size();
            if (i % 500 == 0) {
                assertThat(agents(s)).hasSizeLessThanOrEqualTo(100);
            }
        }

        assertThat(records).isEqualTo(10_000);
        assertThat(s.status()).containsEntry("agents_tracked", 100).containsEntry("untracked_datagrams", 9_900L);
        assertThat(context.counter(UNTRACKED)).isEqualTo(9_900);
    }

    @Test
    void forgottenIdleAgentsMakeRoomForNewOnes() throws Exception {
        Stage<Datagram, FlowBatch> s = stage(2);
        send(s, 1, 1);
        send(s, 2, 1);
        send(s, 3, 1);

        context.advance(DecodeSflowStage.IDLE_AGENT_MS + 1);
        send(s, 4, 1); // housekeeping runs first and forgets 1 and 2
        send(s, 5, 1);
        send(s, 6, 1);

        assertThat(agents(s)).containsOnlyKeys(agent(4), agent(5));
        assertThat(s.status()).containsEntry("agents_tracked", 2).containsEntry("untracked_datagrams", 2L);
    }
}
