package io.caravan.sflow.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.metrics.DecoderMetrics;
import io.caravan.api.stage.Stage;
import io.caravan.sflow.DecodeSflowStageProvider;
import io.caravan.sflow.session.AgentState;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * One fresh {@code decode-sflow} stage per fuzz input, built as the runtime builds it, with a small agent cap
 * so that inputs reach it, and the properties the sFlow fuzz target asserts:
 * <ul>
 *   <li>nothing escapes the stage: a {@code StageException} or an unchecked exception fails the input (the
 *       stage runs with {@code onError=drop});</li>
 *   <li>every datagram is counted ({@code caravan.decoder.datagrams}), every rejected one exactly once in
 *       {@code caravan.decoder.errors}, an accepted one never: errors + decoded == fed;</li>
 *   <li>the state stays within its caps: agents tracked, sub-agents per agent, data sources per sub-agent
 *       ({@link #assertStateBounded}).</li>
 * </ul>
 * Not thread-safe; one per input.
 */
final class SflowFuzzHarness implements AutoCloseable {
    static final long START_MS = 1_700_000_000_000L;
    static final int MAX_AGENTS = 2;

    private final SettableClock clock = new SettableClock(START_MS);
    private final RecordingStageContext context = RecordingStageContext.of("fuzz", clock);
    private final Stage<Datagram, FlowBatch> stage;
    private long fed;
    private long accepted;
    private long records;

    private SflowFuzzHarness(Map<String, String> options) throws Exception {
        this.stage = context.create(new DecodeSflowStageProvider(), options);
    }

    /** A stage for one input. {@code config} bits: 0 emit counter samples as records too. */
    static SflowFuzzHarness start(int config) throws Exception {
        return new SflowFuzzHarness(Map.of("onError", "drop", "counters", (config & 1) != 0 ? "emit" : "keep",
                "maxAgents", String.valueOf(MAX_AGENTS), "maxExporterLabels", "2"));
    }

    /**
     * Feeds every datagram of a {@link DatagramSequence}, checking after each one, then the state.
     *
     * @return records decoded
     */
    static long replay(DatagramSequence.Input input) throws Exception {
        try (SflowFuzzHarness h = start(input.config())) {
            for (DatagramSequence.Step s : input.steps()) {
                h.clock.advance(s.advanceMs());
                h.feed(s.payload(), s.sender());
            }
            h.assertStateBounded();
            return h.records;
        }
    }

    /**
     * Feeds one datagram received now and checks its accounting.
     *
     * @return records decoded from it; -1 when the stage dropped it as malformed
     */
    int feed(byte[] payload, InetSocketAddress sender) throws Exception {
        long before = context.sum(DecoderMetrics.ERRORS);
        FlowBatch out = apply(new Datagram(payload, sender, clock.millis()));
        long counted = context.sum(DecoderMetrics.ERRORS) - before;
        fed++;
        assertThat(context.sum(DecoderMetrics.DATAGRAMS)).as("datagrams counted").isEqualTo(fed);
        if (out == null) {
            assertThat(counted).as("errors counted for a rejected datagram").isEqualTo(1);
            return -1;
        }
        accepted++;
        assertThat(counted).as("errors counted for an accepted datagram").isZero();
        assertThat(context.sum(DecoderMetrics.ERRORS) + accepted).as("errors + decoded datagrams").isEqualTo(fed);
        assertThat(out.records()).doesNotContainNull();
        records += out.size();
        return out.size();
    }

    /** The one call that hands the stage its input; null when the stage dropped the datagram. */
    private FlowBatch apply(Datagram datagram) throws Exception {
        return stage.apply(datagram);
    }

    /** The state caps hold, and the stage reports its status and health without failing. */
    @SuppressWarnings("unchecked")
    void assertStateBounded() {
        Map<String, Object> status = stage.status();
        stage.degraded();
        Map<String, Object> agents = (Map<String, Object>) status.get("agents");
        assertThat(agents).as("agents tracked").hasSizeLessThanOrEqualTo(MAX_AGENTS);
        for (Map.Entry<String, Object> a : agents.entrySet()) {
            Map<String, Object> subAgents = (Map<String, Object>) one((Map<String, Object>) a.getValue(),
                    "subAgents", "sub_agents");
            assertThat(subAgents).as("sub-agents of %s", a.getKey())
                    .hasSizeLessThanOrEqualTo(AgentState.MAX_SUB_AGENTS);
            for (Object s : subAgents.values()) {
                assertThat(((Number) one((Map<String, Object>) s, "dataSources", "data_sources")).intValue())
                        .as("data sources of %s", a.getKey()).isLessThanOrEqualTo(AgentState.MAX_DATA_SOURCES);
            }
        }
    }

    /** The status value under its camelCase key (or the snake_case one it replaces); fails when neither is there. */
    private static Object one(Map<String, Object> m, String key, String formerKey) {
        Object v = m.containsKey(key) ? m.get(key) : m.get(formerKey);
        assertThat(v).as("status key %s", key).isNotNull();
        return v;
    }

    @Override
    public void close() {
        stage.close();
    }
}
