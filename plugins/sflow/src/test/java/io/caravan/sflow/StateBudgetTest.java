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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The byte budgets on per-agent state under attack: floods of data-source ids and of spoofed
 * agents stay within them, an agent that keeps sending keeps its accounting, and the stage says
 * it is degraded while it refuses state.
 */
class StateBudgetTest {
    private static final InetSocketAddress SENDER = new InetSocketAddress("198.51.100.7", 40000);
    private static final String STEADY = "192.0.2.1";

    private final SettableClock clock = new SettableClock(1_700_000_000_000L);
    private final RecordingStageContext context = RecordingStageContext.of("decode-sflow", clock);

    private Stage<DatagramBatch, FlowBatch> stage(Map<String, ?> options) throws OptionException {
        return context.create(new DecodeSflowStageProvider(), options);
    }

    private FlowBatch send(Stage<DatagramBatch, FlowBatch> s, String agent, long sequence,
                           UnaryOperator<SflowBuilder> samples) throws Exception {
        byte[] d = samples.apply(SflowBuilder.datagram().agent(agent).sequence(sequence).uptimeMs(sequence * 1000))
                .build();
        return s.apply(DatagramBatch.of(new Datagram(d, SENDER, clock.millis())));
    }

    /** Flow samples from data sources {@code first .. first + n - 1}, each its source's sample {@code sequence}. */
    private static UnaryOperator<SflowBuilder> sources(int first, int n, long sequence) {
        return b -> {
            for (int i = first; i < first + n; i++) {
                int index = i;
                b.flowSample(f -> f.sequence(sequence).sourceId(0, index));
            }
            return b;
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private static Map<String, Object> agent(Stage<DatagramBatch, FlowBatch> s, String agent) {
        return map(map(s.status().get("agents")).get(agent));
    }

    private double stateBytes() {
        return context.gauge("caravan.decoder.state_bytes", Map.of("protocol", "sflow")).orElseThrow();
    }

    private long counter(String name, String... kv) {
        Map<String, String> tags = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            tags.put(kv[i], kv[i + 1]);
        }
        return context.counter(name, tags).orElseThrow(() -> new AssertionError("no series " + name + tags));
    }

    @Test
    void aHundredThousandDataSourceIdsFromAFewAgentsStayWithinTheBudgets() throws Exception {
        long total = 1 << 20;
        long perAgent = 256 << 10;
        Stage<DatagramBatch, FlowBatch> s = stage(Map.of("maxStateBytes", total, "maxAgentStateBytes", perAgent));
        List<String> agents = List.of("203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4");
        long records = 0;
        long sequence = 1;

        for (int first = 0; first < 25_000; first += 100, sequence++) {
            for (String a : agents) {
                records += send(s, a, sequence, sources(first, 100, 1)).size();
                assertThat(stateBytes()).isLessThanOrEqualTo(total);
            }
            clock.advance(10);
        }

        assertThat(records).as("every sample still decoded").isEqualTo(100_000);
        long sum = 0;
        for (String a : agents) {
            long held = (Long) agent(s, a).get("stateBytes");
            assertThat(held).as(a).isLessThanOrEqualTo(perAgent).isGreaterThan(perAgent / 2);
            assertThat((Long) agent(s, a).get("untracked")).as(a).isPositive();
            sum += held;
        }
        assertThat(s.status()).containsEntry("stateBytes", sum);
        assertThat((double) sum).isEqualTo(stateBytes());
        assertThat(counter("caravan.sflow.state_refusals", "kind", "data_sources")).isPositive();
        assertThat(counter("caravan.decoder.state_evictions", "protocol", "sflow", "kind", "data_sources")).isZero();
        assertThat(s.degraded()).hasValueSatisfying(r -> assertThat(r).contains("maxAgentStateBytes (262144 bytes)"));
    }

    @Test
    void theDefaultBudgetsHoldAHundredThousandDataSourcesWithinFourMebibytesAnAgent() throws Exception {
        Stage<DatagramBatch, FlowBatch> s = stage(Map.of());
        List<String> agents = List.of("203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4");

        for (int k = 0; k < 25_000; k += 100) {
            int first = k;
            for (String a : agents) {
                send(s, a, first / 100 + 1, b -> sources(first, 99, 1).apply(b).counterSample(c -> c.sequence(1)
                        .sourceId(0, first + 99).genericInterface(g -> g.ifIndex(1))));
            }
        }

        for (String a : agents) {
            assertThat((Long) agent(s, a).get("stateBytes")).as(a).isLessThanOrEqualTo(4L << 20);
        }
        assertThat(stateBytes()).isLessThanOrEqualTo(16L << 20);
        assertThat(s.degraded()).isPresent();
    }

    @Test
    void aSteadyAgentKeepsItsSequenceAccountingThroughAFloodOfSpoofedAgentsAndDataSources() throws Exception {
        long total = 256 << 10;
        Stage<DatagramBatch, FlowBatch> s = stage(Map.of("maxStateBytes", total, "maxAgentStateBytes", "64KiB",
                "stateIdleAfter", "5s"));
        int spoofed = 0;
        int hostileSource = 0;
        for (long seq = 1; seq <= 200; seq++) {
            long n = seq;
            if (seq != 50 && seq != 51) {                         // two datagrams (and their samples) lost on the way
                send(s, STEADY, n, b -> b.flowSample(f -> f.sequence(n).sourceId(0, 1))
                        .counterSample(c -> c.sequence(n).sourceId(0, 1).genericInterface(g -> g.ifIndex(1))));
            }
            for (int i = 0; i < 20; i++, spoofed++) {              // new agent addresses, each with new data sources
                send(s, AgentCapTest.agent(spoofed), 1, sources(0, 20, 1));
            }
            send(s, "192.0.2.66", n, sources(hostileSource, 100, 1)); // one agent spraying data-source ids
            hostileSource += 100;
            assertThat(stateBytes()).isLessThanOrEqualTo(total);
            clock.advance(1_000);
        }

        Map<String, Object> steady = agent(s, STEADY);
        assertThat(steady).containsEntry("datagrams", 198L).containsEntry("restarts", 0L).containsEntry("untracked", 0L)
                .containsEntry("sequenceGaps", Map.of("datagrams", 2L, "samples", 4L))
                .containsEntry("outOfOrder", Map.of("datagrams", 0L, "samples", 0L));
        assertThat(counter("caravan.decoder.sequence_gaps", "protocol", "sflow", "exporter", STEADY, "unit",
                "datagrams")).isEqualTo(2);
        assertThat(counter("caravan.decoder.state_evictions", "protocol", "sflow", "kind", "agents")).isPositive();
        assertThat(counter("caravan.sflow.state_refusals", "kind", "agents")
                + counter("caravan.sflow.state_refusals", "kind", "data_sources")).isPositive();
        assertThat((int) s.status().get("agentsTracked")).isLessThan(spoofed);
    }

    @Test
    void idleDataSourcesOfAnAgentMakeRoomForItsNewOnesAndActiveOnesStay() throws Exception {
        Stage<DatagramBatch, FlowBatch> s = stage(Map.of("maxAgentStateBytes", "16KiB", "stateIdleAfter", "10s"));
        send(s, STEADY, 1, sources(1, 60, 1));                    // more than fit: some refused
        long refused = counter("caravan.sflow.state_refusals", "kind", "data_sources");
        assertThat(refused).isPositive();

        List<Long> gaps = new ArrayList<>();
        for (long seq = 2; seq <= 20; seq++) {
            long n = seq;
            clock.advance(1_000);
            // Source 1 keeps sending and skips sample 10; sources 100.. are new every datagram.
            send(s, STEADY, n, b -> sources(100 * (int) n, 5, 1).apply(b.flowSample(f -> f.sequence(n == 10 ? 11 : n)
                    .sourceId(0, 1))));
            gaps.add((Long) map(agent(s, STEADY).get("sequenceGaps")).get("samples"));
        }

        assertThat(counter("caravan.decoder.state_evictions", "protocol", "sflow", "kind", "data_sources")).isPositive();
        assertThat((Long) agent(s, STEADY).get("stateBytes")).isLessThanOrEqualTo(16 << 10);
        // Sample 10 of source 1 went missing at datagram 10 and counts lost 2 s later: source 1 was never evicted.
        assertThat(gaps.get(gaps.size() - 1)).isEqualTo(1);
    }

    @Test
    void degradedIsSetWhileNewStateIsRefusedAndClearedAfterward() throws Exception {
        Stage<DatagramBatch, FlowBatch> s = stage(Map.of("maxAgents", "1"));
        send(s, STEADY, 1, sources(1, 1, 1));
        assertThat(s.degraded()).isEmpty();

        send(s, "192.0.2.2", 1, sources(1, 1, 1));

        assertThat(s.degraded()).hasValue("1 agents tracked (maxAgents) and none idle: agent 192.0.2.2 is not tracked "
                + "(1 refusals of new state so far)");
        assertThat((String) s.status().get("degraded")).startsWith("1 agents tracked (maxAgents)");
        clock.advance(DecodeSflowStage.DEGRADED_HOLD_MS - 1);
        send(s, STEADY, 2, sources(1, 1, 2));
        assertThat(s.degraded()).isPresent();
        clock.advance(1);
        assertThat(s.degraded()).isEmpty();
        assertThat(s.status()).containsEntry("degraded", "");
    }
}
