package io.caravan.sflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.DatagramBatch;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.Stage;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import io.caravan.traffic.datagram.SflowBuilder;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code maxAgents}: agents beyond the cap take the place of idle ones, else are decoded and counted as untracked. */
class AgentCapTest {
    private static final InetSocketAddress SENDER = new InetSocketAddress("198.51.100.7", 40000);
    private static final Map<String, String> SFLOW = Map.of("protocol", "sflow");

    private final SettableClock clock = new SettableClock(1_700_000_000_123L);
    private final RecordingStageContext context = RecordingStageContext.of("decode-sflow", clock);

    private Stage<DatagramBatch, FlowBatch> stage(int maxAgents) throws OptionException {
        return context.create(new DecodeSflowStageProvider(), Map.of("maxAgents", String.valueOf(maxAgents)));
    }

    static String agent(int i) {
        return "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
    }

    private FlowBatch send(Stage<DatagramBatch, FlowBatch> s, int agent, long sequence) throws Exception {
        byte[] d = SflowBuilder.datagram().agent(agent(agent)).sequence(sequence).flowSample(f -> f.sequence(sequence))
                .build();
        return s.apply(DatagramBatch.of(new Datagram(d, SENDER, clock.millis())));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> agents(Stage<DatagramBatch, FlowBatch> s) {
        return (Map<String, Object>) s.status().get("agents");
    }

    @Test
    void agentsBeyondTheCapAreDecodedAndCountedAsUntracked() throws Exception {
        Stage<DatagramBatch, FlowBatch> s = stage(3);

        for (int i = 1; i <= 5; i++) {
            assertThat(send(s, i, 1).records()).as("records of agent %d", i).hasSize(1);
        }

        assertThat(s.status()).containsEntry("agentsTracked", 3).containsEntry("maxAgents", 3)
                .containsEntry("untrackedDatagrams", 2L);
        assertThat(agents(s)).containsOnlyKeys(agent(1), agent(2), agent(3));
        assertThat(context.counter("caravan.decoder.overflow_datagrams", SFLOW)).contains(2L);
        assertThat(context.counter("caravan.sflow.state_refusals", Map.of("kind", "agents"))).contains(2L);
        assertThat(context.gauge("caravan.sflow.agents", Map.of())).contains(3.0);

        send(s, 1, 2); // a tracked agent stays tracked at the cap
        assertThat(s.status()).containsEntry("untrackedDatagrams", 2L);
    }

    @Test
    void theCapHoldsUnderManyDistinctAgents() throws Exception {
        Stage<DatagramBatch, FlowBatch> s = stage(100);
        long records = 0;

        for (int i = 0; i < 10_000; i++) {
            records += send(s, i, 1).records().size();
            if (i % 500 == 0) {
                assertThat(agents(s)).hasSizeLessThanOrEqualTo(100);
            }
        }

        assertThat(records).isEqualTo(10_000);
        assertThat(s.status()).containsEntry("agentsTracked", 100).containsEntry("untrackedDatagrams", 9_900L);
        assertThat(context.counter("caravan.decoder.overflow_datagrams", SFLOW)).contains(9_900L);
    }

    @Test
    void atTheCapIdleAgentsMakeRoomLeastRecentlyUsedFirst() throws Exception {
        Stage<DatagramBatch, FlowBatch> s = stage(3);
        send(s, 1, 1);
        clock.advance(1_000);
        send(s, 2, 1);
        clock.advance(1_000);
        send(s, 3, 1);

        clock.advance(DecodeSflowStage.IDLE_AGENT_MS / 60);     // 1 minute: nobody is idle yet (stateIdleAfter 2m)
        send(s, 4, 1);
        assertThat(agents(s)).containsOnlyKeys(agent(1), agent(2), agent(3));
        send(s, 3, 2);                                            // 3 stays in use
        clock.advance(2 * 60_000 - 1_000);                        // 1 and 2 are idle, 3 is not
        send(s, 5, 1);

        assertThat(agents(s)).containsOnlyKeys(agent(3), agent(5), agent(2));
        assertThat(context.counter("caravan.decoder.state_evictions", Map.of("protocol", "sflow", "kind", "agents")))
                .contains(1L);
        send(s, 6, 1);                                            // 2 makes room in turn
        assertThat(agents(s)).containsOnlyKeys(agent(3), agent(5), agent(6));
        assertThat(s.status()).containsEntry("agentsTracked", 3).containsEntry("untrackedDatagrams", 1L);
    }

    @Test
    void agentsQuietForAnHourAreForgottenEvenBelowTheCap() throws Exception {
        Stage<DatagramBatch, FlowBatch> s = stage(10);
        send(s, 1, 1);
        send(s, 2, 1);

        clock.advance(DecodeSflowStage.IDLE_AGENT_MS + 1);
        send(s, 3, 1); // housekeeping runs first and forgets 1 and 2

        assertThat(agents(s)).containsOnlyKeys(agent(3));
        assertThat(context.counter("caravan.decoder.state_evictions", Map.of("protocol", "sflow", "kind", "agents")))
                .contains(0L);
    }
}
