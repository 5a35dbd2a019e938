package io.caravan.netflow.fuzz;

import io.caravan.testkit.fuzz.DatagramSequence;
import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.decode.DecodeException.Reason;
import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.DatagramBatch;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.metrics.DecoderMetrics;
import io.caravan.api.stage.Stage;
import io.caravan.netflow.DecodeNetflowStageProvider;
import io.caravan.netflow.session.SamplingStore;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One fresh {@code decode-netflow} stage per fuzz input, built as the runtime builds it, with small state caps
 * so that inputs reach them, and the properties every netflow fuzz target asserts:
 * <ul>
 *   <li>nothing escapes the stage: a {@code StageException} or an unchecked exception fails the input (a
 *       decoder stage leaves a bad datagram out of its batch and counts it), and so does a datagram the stage
 *       counted as {@code INTERNAL} (an unchecked exception inside the decoder, which the stage swallows);</li>
 *   <li>every datagram is counted ({@code caravan.decoder.datagrams}); the stage returns a batch (possibly
 *       empty) for every one, so a rejected datagram is told by its count in {@code caravan.decoder.errors}
 *       under a datagram reason (with pending off: at most one such count per datagram, none for one that
 *       produced records, and errors + decoded == fed; held data released by a template is counted along with
 *       the datagram that released it);</li>
 *   <li>the state stays within its budgets: template bytes in total (the status and the
 *       {@code caravan.decoder.state_bytes} gauges) and per exporter, fields per template, exporters tracked,
 *       datagrams held per exporter ({@link #assertStateBounded}).</li>
 * </ul>
 * Not thread-safe; one per input.
 */
final class NetflowFuzzHarness implements AutoCloseable {
    static final long START_MS = 1_700_000_000_000L;
    /**
     * Template budgets at their minimums (16 KiB, about 20 templates of ten fields, see
     * {@code CompiledTemplate.estimateBytes}), the total below what three exporters could hold, so that inputs
     * reach both; and a field cap that a fuzzed template can pass (TEMPLATE_TOO_LARGE).
     */
    static final long MAX_TEMPLATE_BYTES = 32 * 1024;
    static final long MAX_TEMPLATE_BYTES_PER_EXPORTER = 16 * 1024;
    static final int MAX_TEMPLATE_FIELDS = 64;
    static final int MAX_EXPORTERS = 3;
    static final int PENDING_DATAGRAMS = 3;
    /** Sampling entries the stage keeps at most. */
    static final int MAX_SAMPLING_ENTRIES = SamplingStore.MAX_ENTRIES;
    /** The {@code protocol} tags of the stage's {@code caravan.decoder.state_bytes} gauges (template bytes). */
    static final List<String> TEMPLATE_PROTOCOLS = List.of("netflow_v9", "ipfix");
    /**
     * Reasons that count a part of a datagram (a template refused for the budget or for its size, held data
     * given up), not a rejected datagram: the datagram itself is still decoded (see {@link Reason}).
     */
    static final Set<String> PART_REASONS = Set.of(Reason.MISSING_TEMPLATE.name(), Reason.TEMPLATE_LIMIT.name(),
            Reason.TEMPLATE_TOO_LARGE.name());
    private static final Pattern REASON = Pattern.compile("[{,]" + DecoderMetrics.TAG_REASON + "=([A-Z_]+)[,}]");

    private final SettableClock clock = new SettableClock(START_MS);
    private final RecordingStageContext context = RecordingStageContext.of("fuzz", clock);
    private final Stage<DatagramBatch, FlowBatch> stage;
    private final boolean pending;
    private long fed;
    private long accepted;
    private long records;

    private NetflowFuzzHarness(Map<String, String> options) throws Exception {
        this.stage = context.create(new DecodeNetflowStageProvider(), options);
        this.pending = !"0".equals(options.get("pendingDatagrams"));
    }

    /**
     * A stage for one input. {@code config} bits: 0 hold data for missing templates ({@value PENDING_DATAGRAMS}
     * datagrams, 5 s), 1 key templates by source port too, 2 keep templates forever instead of 60 s, 3 a
     * configured sampling rate for every exporter.
     */
    static NetflowFuzzHarness start(int config) throws Exception {
        return start(config, Map.of());
    }

    /** As {@link #start(int)}, with further options (which win). */
    static NetflowFuzzHarness start(int config, Map<String, String> more) throws Exception {
        Map<String, String> o = new HashMap<>();
        o.put("maxTemplateBytes", String.valueOf(MAX_TEMPLATE_BYTES));
        o.put("maxTemplateBytesPerExporter", String.valueOf(MAX_TEMPLATE_BYTES_PER_EXPORTER));
        o.put("maxTemplateFields", String.valueOf(MAX_TEMPLATE_FIELDS));
        o.put("maxExporters", String.valueOf(MAX_EXPORTERS));
        o.put("maxExporterLabels", "2");
        o.put("pendingDatagrams", (config & 1) != 0 ? String.valueOf(PENDING_DATAGRAMS) : "0");
        o.put("pendingTimeout", "5s");
        o.put("templateKeyIncludesPort", String.valueOf((config & 2) != 0));
        o.put("templateTimeout", (config & 4) != 0 ? "0s" : "60s");
        if ((config & 8) != 0) {
            o.put("samplingRates", "*=10");
        }
        o.putAll(more);
        return new NetflowFuzzHarness(o);
    }

    /**
     * Feeds every datagram of a {@link DatagramSequence}, checking after each one, then the state.
     *
     * @return records decoded
     */
    static long replay(DatagramSequence.Input input) throws Exception {
        try (NetflowFuzzHarness h = start(input.config())) {
            for (DatagramSequence.Step s : input.steps()) {
                h.clock.advance(s.advanceMs());
                h.feed(s.payload(), s.sender(2055));
            }
            h.assertStateBounded();
            return h.records;
        }
    }

    SettableClock clock() {
        return clock;
    }

    /**
     * Feeds one datagram received now and checks its accounting.
     *
     * @return records decoded from it (held data that its templates released included); -1 when the stage
     *         rejected it (counted under a datagram reason)
     */
    int feed(byte[] payload, InetSocketAddress sender) throws Exception {
        long before = datagramErrors();
        FlowBatch out = apply(new Datagram(payload, sender, clock.millis()));
        long counted = datagramErrors() - before;
        fed++;
        assertThat(context.sum(DecoderMetrics.DATAGRAMS)).as("datagrams counted").isEqualTo(fed);
        assertThat(errors(Reason.INTERNAL.name()))
                .as("datagrams whose decoding threw an unchecked exception (INTERNAL)").isZero();
        assertThat(out).as("the batch the stage returns (empty when it left the datagram out)").isNotNull();
        assertThat(out.records()).doesNotContainNull();
        if (!pending) {
            // Without held data, a datagram reason is counted only for the datagram itself, and at most once.
            assertThat(counted).as("datagram errors counted for one datagram").isBetween(0L, 1L);
            if (counted == 1) {
                assertThat(out.records()).as("records of a rejected datagram").isEmpty();
                return -1;
            }
            accepted++;
            assertThat(datagramErrors() + accepted).as("datagram errors + decoded datagrams").isEqualTo(fed);
        } else if (counted > 0 && out.records().isEmpty()) {
            // Held sets that a template releases are decoded (and may be counted) along with the datagram.
            return -1;
        }
        records += out.size();
        return out.size();
    }

    /** The one call that hands the stage its input, as a batch of one; the stage never returns null. */
    private FlowBatch apply(Datagram datagram) throws Exception {
        return stage.apply(DatagramBatch.of(datagram));
    }

    long records() {
        return records;
    }

    /** The state budgets hold, and the stage reports its status and health without failing. */
    @SuppressWarnings("unchecked")
    void assertStateBounded() {
        Map<String, Object> status = stage.status();
        stage.degraded();
        assertThat(((Number) status.get("templateBytes")).longValue()).as("template bytes")
                .isLessThanOrEqualTo(MAX_TEMPLATE_BYTES);
        double gauged = 0;
        for (String protocol : TEMPLATE_PROTOCOLS) {
            Optional<Double> g = context.gauge(DecoderMetrics.STATE_BYTES, Map.of(DecoderMetrics.TAG_PROTOCOL, protocol));
            assertThat(g).as("%s{%s=%s} gauge", DecoderMetrics.STATE_BYTES, DecoderMetrics.TAG_PROTOCOL, protocol)
                    .isPresent();
            assertThat(g.get()).as("%s of %s", DecoderMetrics.STATE_BYTES, protocol)
                    .isLessThanOrEqualTo((double) MAX_TEMPLATE_BYTES);
            gauged += g.get();
        }
        assertThat(gauged).as("%s of all protocols", DecoderMetrics.STATE_BYTES)
                .isLessThanOrEqualTo((double) MAX_TEMPLATE_BYTES);
        assertThat(((Number) status.get("exportersTracked")).intValue()).as("exporters tracked")
                .isLessThanOrEqualTo(MAX_EXPORTERS);
        int rates = 0;
        for (Map<String, Object> ex : (List<Map<String, Object>>) status.get("exporters")) {
            assertThat(((Number) ex.get("templateBytes")).longValue()).as("template bytes of %s", ex.get("exporter"))
                    .isLessThanOrEqualTo(MAX_TEMPLATE_BYTES_PER_EXPORTER);
            assertThat(((Number) ex.get("pending")).intValue()).as("datagrams held for %s", ex.get("exporter"))
                    .isLessThanOrEqualTo(PENDING_DATAGRAMS);
            rates += ((List<?>) ex.get("samplingRates")).size();
        }
        assertThat(rates).as("sampling rates").isLessThanOrEqualTo(MAX_SAMPLING_ENTRIES);
    }

    /** Errors under the reasons that reject a whole datagram. */
    private long datagramErrors() {
        long n = 0;
        for (Map.Entry<String, Long> c : context.counters().entrySet()) {
            String reason = reason(c.getKey());
            if (reason != null && !PART_REASONS.contains(reason)) {
                n += c.getValue();
            }
        }
        return n;
    }

    private long errors(String reason) {
        long n = 0;
        for (Map.Entry<String, Long> c : context.counters().entrySet()) {
            if (reason.equals(reason(c.getKey()))) {
                n += c.getValue();
            }
        }
        return n;
    }

    private static String reason(String series) {
        if (!series.startsWith(DecoderMetrics.ERRORS + "{")) {
            return null;
        }
        Matcher m = REASON.matcher(series);
        return m.find() ? m.group(1) : null;
    }

    @Override
    public void close() {
        stage.close();
    }
}
