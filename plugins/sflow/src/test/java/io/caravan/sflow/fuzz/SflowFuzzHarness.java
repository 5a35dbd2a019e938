package io.caravan.sflow.fuzz;

import io.caravan.testkit.fuzz.DatagramSequence;
import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.DatagramBatch;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.metrics.DecoderMetrics;
import io.caravan.api.stage.Stage;
import io.caravan.sflow.DecodeSflowStageProvider;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;

/**
 * One fresh {@code decode-sflow} stage per fuzz input, built as the runtime builds it, with a small agent cap
 * and state budgets at their minimums so that inputs reach them, and the properties the sFlow fuzz target
 * asserts:
 * <ul>
 *   <li>nothing escapes the stage: a {@code StageException} or an unchecked exception fails the input (the
 *       stage runs with {@code onError=drop}: a bad datagram is counted and left out of the batch);</li>
 *   <li>every datagram is counted ({@code caravan.decoder.datagrams}); a rejected one is told by its count in
 *       {@code caravan.decoder.errors} (the stage returns null or an empty batch for it): exactly one error per
 *       rejected datagram, none for an accepted one: errors + decoded == fed;</li>
 *   <li>the state stays within its budgets: agents tracked, state bytes in total (the status and the
 *       {@code caravan.decoder.state_bytes} gauge) and per agent ({@link #assertStateBounded}).</li>
 * </ul>
 * Not thread-safe; one per input.
 */
final class SflowFuzzHarness implements AutoCloseable {
    static final long START_MS = 1_700_000_000_000L;
    static final int MAX_AGENTS = 2;
    /** The state budgets at their minimums. */
    static final long MAX_STATE_BYTES = 64 * 1024;
    static final long MAX_AGENT_STATE_BYTES = 4 * 1024;
    /** The {@code protocol} tag of the stage's {@code caravan.decoder.state_bytes} gauge. */
    static final String PROTOCOL = "sflow";

    private final SettableClock clock = new SettableClock(START_MS);
    private final RecordingStageContext context = RecordingStageContext.of("fuzz", clock);
    private final Stage<DatagramBatch, FlowBatch> stage;
    private long fed;
    private long accepted;
    private long records;

    private SflowFuzzHarness(Map<String, String> options) throws Exception {
        this.stage = context.create(new DecodeSflowStageProvider(), options);
    }

    /** A stage for one input. {@code config} bits: 0 emit counter samples as records too. */
    static SflowFuzzHarness start(int config) throws Exception {
        return new SflowFuzzHarness(Map.of("onError", "drop", "counters", (config & 1) != 0 ? "emit" : "keep",
                "maxAgents", String.valueOf(MAX_AGENTS), "maxExporterLabels", "2",
                "maxStateBytes", String.valueOf(MAX_STATE_BYTES), "maxAgentStateBytes",
                String.valueOf(MAX_AGENT_STATE_BYTES)));
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
                h.feed(s.payload(), s.sender(6343));
            }
            h.assertStateBounded();
            return h.records;
        }
    }

    /**
     * Feeds one datagram received now and checks its accounting.
     *
     * @return records decoded from it; -1 when the stage rejected it (counted in {@code caravan.decoder.errors})
     */
    int feed(byte[] payload, InetSocketAddress sender) throws Exception {
        long before = context.sum(DecoderMetrics.ERRORS);
        FlowBatch out = apply(new Datagram(payload, sender, clock.millis()));
        long counted = context.sum(DecoderMetrics.ERRORS) - before;
        fed++;
        assertThat(context.sum(DecoderMetrics.DATAGRAMS)).as("datagrams counted").isEqualTo(fed);
        assertThat(counted).as("errors counted for one datagram").isBetween(0L, 1L);
        if (counted == 1) {
            assertThat(out == null || out.records().isEmpty()).as("a rejected datagram is left out").isTrue();
            return -1;
        }
        assertThat(out).as("the batch of an accepted datagram").isNotNull();
        accepted++;
        assertThat(context.sum(DecoderMetrics.ERRORS) + accepted).as("errors + decoded datagrams").isEqualTo(fed);
        assertThat(out.records()).doesNotContainNull();
        records += out.size();
        return out.size();
    }

    /** The one call that hands the stage its input, as a batch of one. */
    private FlowBatch apply(Datagram datagram) throws Exception {
        return stage.apply(DatagramBatch.of(datagram));
    }

    /** The state budgets hold, and the stage reports its status and health without failing. */
    @SuppressWarnings("unchecked")
    void assertStateBounded() {
        Map<String, Object> status = stage.status();
        stage.degraded();
        assertThat(((Number) status.get("stateBytes")).longValue()).as("state bytes")
                .isLessThanOrEqualTo(MAX_STATE_BYTES);
        Optional<Double> gauge = context.gauge(DecoderMetrics.STATE_BYTES, Map.of(DecoderMetrics.TAG_PROTOCOL, PROTOCOL));
        assertThat(gauge).as("%s gauge", DecoderMetrics.STATE_BYTES).isPresent();
        assertThat(gauge.get()).as(DecoderMetrics.STATE_BYTES).isLessThanOrEqualTo((double) MAX_STATE_BYTES);
        Map<String, Object> agents = (Map<String, Object>) status.get("agents");
        assertThat(agents).as("agents tracked").hasSizeLessThanOrEqualTo(MAX_AGENTS);
        for (Map.Entry<String, Object> a : agents.entrySet()) {
            Map<String, Object> agent = (Map<String, Object>) a.getValue();
            assertThat(((Number) one(agent, "stateBytes")).longValue()).as("state bytes of %s", a.getKey())
                    .isLessThanOrEqualTo(MAX_AGENT_STATE_BYTES);
            Map<String, Object> subAgents = (Map<String, Object>) one(agent, "subAgents");
            for (Object s : subAgents.values()) {
                assertThat(((Number) one((Map<String, Object>) s, "dataSources")).intValue())
                        .as("data sources of %s", a.getKey()).isNotNegative();
            }
        }
    }

    /** The status value under its (camelCase) key; fails when it is not there. */
    private static Object one(Map<String, Object> m, String key) {
        Object v = m.get(key);
        assertThat(v).as("status key %s", key).isNotNull();
        return v;
    }

    @Override
    public void close() {
        stage.close();
    }
}
