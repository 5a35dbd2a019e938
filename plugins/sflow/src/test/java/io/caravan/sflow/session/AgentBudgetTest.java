package io.caravan.sflow.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.decode.DecodeException;
import io.caravan.sflow.wire.DatagramHeader;
import io.caravan.sflow.wire.SflowDatagram;
import io.caravan.sflow.wire.SflowDecoder;
import io.caravan.traffic.datagram.SflowBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** How an agent's state is charged to the budgets, and what gives way when they are full. */
class AgentBudgetTest {
    private static final long IDLE_MS = 10_000;
    private static final long BASE = StateCost.AGENT + StateCost.SUB_AGENT;

    private final List<String> events = new ArrayList<>();
    private final StateEvents recorder = new StateEvents() {
        @Override
        public void evicted(StateKind kind, long n) {
            events.add("evicted " + n + " " + kind.tag());
        }

        @Override
        public void refused(StateKind kind, Bound bound, String agent) {
            events.add("refused " + kind.tag() + " of " + agent + " at " + bound.option());
        }
    };
    private final SflowDecoder decoder = new SflowDecoder();
    private long now = 1_000_000;

    private AgentRegistry registry(long maxBytes, long maxAgentBytes) {
        return new AgentRegistry(100, maxBytes, maxAgentBytes, IDLE_MS, recorder);
    }

    /** Feeds one datagram of {@code agent} at the current time; returns {datagrams lost, samples lost}. */
    private long[] feed(AgentRegistry r, String agent, long sequence, UnaryOperator<SflowBuilder> samples)
            throws DecodeException {
        byte[] b = samples.apply(SflowBuilder.datagram().agent(agent).sequence(sequence).uptimeMs(sequence * 1000))
                .build();
        DatagramHeader h = DatagramHeader.parse(b);
        AgentState a = r.received(agent, b.length, now, now);
        if (a == null) {
            return null;
        }
        long lost = a.header(h, now, now);
        SflowDatagram d = decoder.decode(h, b);
        return new long[] {lost, a.samples(d, 0, now, now).samples()};
    }

    private static UnaryOperator<SflowBuilder> flow(int source, long sequence) {
        return b -> b.flowSample(f -> f.sequence(sequence).sourceId(0, source));
    }

    @Test
    void everyEntryIsChargedToTheAgentAndTheStageAndGivenBackWhenForgotten() throws Exception {
        AgentRegistry r = registry(1 << 20, 1 << 20);

        feed(r, "192.0.2.1", 1, b -> flow(1, 1).apply(b).counterSample(c -> c.sequence(1).sourceId(0, 1)));

        long expected = BASE + StateCost.DATA_SOURCE + StateCost.COUNTER_SOURCE;
        assertThat(r.usedBytes()).isEqualTo(expected);
        assertThat(r.agents()).singleElement().satisfies(a -> assertThat(a.stateBytes()).isEqualTo(expected));
        now += 1;
        assertThat(r.forgetIdle(now)).isEqualTo(1);
        assertThat(r.usedBytes()).isZero();
        assertThat(events).isEmpty();
    }

    @Test
    void aTrackerThatCannotGrowCountsWhatIsMissingAsLostAtOnce() throws Exception {
        // Room for the agent, one sub-agent, one data source and its first four missing ranges; not for more.
        AgentRegistry r = registry(1 << 20, BASE + StateCost.DATA_SOURCE + 4 * StateCost.RANGE - 1);
        long seq = 1;
        feed(r, "192.0.2.1", seq, flow(1, 1));
        long lost = 0;
        for (long sample = 3; sample <= 9; sample += 2) {         // 2, 4, 6, 8 missing: four ranges, prepaid
            lost += feed(r, "192.0.2.1", ++seq, flow(1, sample))[1];
        }
        assertThat(lost).isZero();
        assertThat(events).isEmpty();

        long[] fifth = feed(r, "192.0.2.1", ++seq, flow(1, 11)); // 10 missing: a fifth range does not fit

        assertThat(fifth[1]).as("2, 4, 6, 8 counted lost at once").isEqualTo(4);
        assertThat(events).containsExactly("refused missing_ranges of 192.0.2.1 at maxAgentStateBytes");
        assertThat(feed(r, "192.0.2.1", ++seq, flow(1, 10))[1]).as("10 still arrives late").isZero();
        assertThat(r.usedBytes()).isEqualTo(BASE + StateCost.DATA_SOURCE);
    }

    @Test
    void aTrackerGrowsItsRoomWhileTheBudgetsAllow() throws Exception {
        AgentRegistry r = registry(1 << 20, 1 << 20);
        feed(r, "192.0.2.1", 1, flow(1, 1));
        long seq = 1;
        for (long sample = 3; sample <= 11; sample += 2) {        // five missing ranges: room for 8
            feed(r, "192.0.2.1", ++seq, flow(1, sample));
        }

        assertThat(r.usedBytes()).isEqualTo(BASE + StateCost.DATA_SOURCE + 4 * StateCost.RANGE);
        assertThat(events).isEmpty();
    }

    @Test
    void atItsBudgetAnAgentEvictsItsIdleDataSourcesLeastRecentlyUsedFirst() throws Exception {
        AgentRegistry r = registry(1 << 20, BASE + 4 * StateCost.DATA_SOURCE);
        feed(r, "192.0.2.1", 1, b -> flow(1, 1).apply(flow(2, 1).apply(b)));
        now += 1_000;
        feed(r, "192.0.2.1", 2, b -> flow(3, 1).apply(flow(4, 1).apply(b)));
        now += 1_000;
        assertThat(feed(r, "192.0.2.1", 3, flow(5, 1))).isNotNull();
        assertThat(events).containsExactly("refused data_sources of 192.0.2.1 at maxAgentStateBytes");
        events.clear();

        now += IDLE_MS - 1_000;                                   // sources 1 and 2 are idle, 3 and 4 not yet
        feed(r, "192.0.2.1", 4, b -> flow(5, 1).apply(flow(6, 1).apply(flow(3, 2).apply(b))));

        assertThat(events).containsExactly("evicted 2 data_sources");
        Map<String, Object> sub = sub(r);
        assertThat(sub).containsEntry("dataSources", 4);
        events.clear();
        now += 1;
        feed(r, "192.0.2.1", 5, flow(7, 1));                     // 4 is idle now; 3 was used again
        assertThat(events).containsExactly("evicted 1 data_sources");
        assertThat(feed(r, "192.0.2.1", 6, flow(3, 4))[1]).as("source 3 kept its sequence: 3 is missing").isZero();
        assertThat(agent(r).get("sequenceMissing")).isEqualTo(Map.of("datagrams", 0L, "samples", 1L));
    }

    @Test
    void theStageBudgetEvictsIdleAgentsFirstAndNeverOneThatIsSending() throws Exception {
        long agentWithOneSource = BASE + StateCost.DATA_SOURCE;
        AgentRegistry r = registry(3 * agentWithOneSource, 1 << 20);
        feed(r, "192.0.2.1", 1, flow(1, 1));
        feed(r, "192.0.2.2", 1, flow(1, 1));
        now += IDLE_MS;
        feed(r, "192.0.2.3", 1, flow(1, 1));
        feed(r, "192.0.2.1", 2, flow(1, 2));                      // 1 keeps sending; 2 is idle

        feed(r, "192.0.2.4", 1, flow(1, 1));

        assertThat(events).containsExactly("evicted 1 agents");
        assertThat(r.snapshot()).containsOnlyKeys("192.0.2.1", "192.0.2.3", "192.0.2.4");
        events.clear();
        assertThat(feed(r, "192.0.2.5", 1, flow(1, 1))).isNull(); // nobody idle: refused, nothing evicted
        assertThat(events).containsExactly("refused agents of 192.0.2.5 at maxStateBytes");
        assertThat(r.usedBytes()).isEqualTo(3 * agentWithOneSource);
        assertThat(r.untrackedDatagrams()).isEqualTo(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anIdleSubAgentGoesWithItsDataSources() throws Exception {
        AgentRegistry r = registry(1 << 20, BASE + StateCost.SUB_AGENT + 3 * StateCost.DATA_SOURCE);
        feed(r, "192.0.2.1", 1, b -> flow(1, 1).apply(flow(2, 1).apply(b.subAgentId(7))));
        now += IDLE_MS;
        feed(r, "192.0.2.1", 1, b -> flow(1, 1).apply(b.subAgentId(0)));
        feed(r, "192.0.2.1", 2, b -> flow(2, 1).apply(flow(3, 1).apply(b.subAgentId(0))));

        assertThat(events).containsExactly("evicted 2 data_sources");
        events.clear();
        feed(r, "192.0.2.1", 1, b -> b.subAgentId(8));            // sub-agent 7 is idle and holds nothing now

        assertThat(events).containsExactly("evicted 1 sub_agents");
        assertThat((Map<String, Object>) agent(r).get("subAgents")).containsOnlyKeys("0", "8");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> agent(AgentRegistry r) {
        return (Map<String, Object>) r.snapshot().get("192.0.2.1");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sub(AgentRegistry r) {
        return (Map<String, Object>) ((Map<String, Object>) agent(r).get("subAgents")).get("0");
    }
}
