package io.caravan.sflow;

import io.caravan.api.decode.DecodeException;
import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.DatagramBatch;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.Origin;
import io.caravan.api.log.LogLimit;
import io.caravan.api.metrics.Counter;
import io.caravan.api.metrics.DecoderMetrics;
import io.caravan.api.net.AddressText;
import io.caravan.api.stage.LabelCap;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import io.caravan.api.stage.StageException;
import io.caravan.sflow.map.DatagramMapper;
import io.caravan.sflow.map.FlowRecordMapper;
import io.caravan.sflow.session.AgentRegistry;
import io.caravan.sflow.session.AgentState;
import io.caravan.sflow.session.LossDelta;
import io.caravan.sflow.session.StateEvents;
import io.caravan.sflow.session.StateKind;
import io.caravan.sflow.wire.DatagramHeader;
import io.caravan.sflow.wire.SampleLog;
import io.caravan.sflow.wire.SflowDecoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;

/**
 * {@code decode-sflow}: a batch of sFlow v5 datagrams in, one {@link FlowBatch} out (one record
 * per flow sample and per discarded-packet sample; per counter sample too when emitting counters).
 * Decoding and mapping ({@link DatagramMapper}: {@link SflowDecoder}'s checks and
 * {@link FlowRecordMapper}'s records, flow samples read straight into records) are pure; this
 * class does the accounting around them: metrics per exporter label (capped by
 * {@link LabelCap}), per-agent state and loss ({@link AgentRegistry}, bounded by {@code maxAgents}
 * and by byte budgets; idle agents are forgotten lazily inside {@link #apply}), and what happens
 * to a malformed datagram: it is counted by reason and left out, and the rest of the batch goes on.
 *
 * <p>The exporter of a datagram is its agent address; when the header cannot be read that far,
 * or the agent address type is 0 (unknown), the UDP sender's address. Thread-safe: per-call state
 * is local or per thread (the sample log), meters are cached in a concurrent map, agent state
 * locks per agent.
 */
final class DecodeSflowStage implements Stage<DatagramBatch, FlowBatch> {
    /** Agents with no datagram for this long are forgotten, freeing their place and bytes. */
    static final long IDLE_AGENT_MS = 3_600_000L;
    /** {@link #degraded()} reports a refusal of new state for this long after the latest one. */
    static final long DEGRADED_HOLD_MS = 60_000L;
    /** The sFlow-specific count of refused state, by {@code kind} ({@link StateKind#tag()}). */
    static final String STATE_REFUSALS = "caravan.sflow.state_refusals";
    private static final String UNKNOWN_SENDER = "unknown";
    private static final long HOUSEKEEPING_MS = 1000;

    /** What a malformed datagram does besides being counted and left out. */
    enum OnError { DROP, FAIL }

    /** What becomes of counter samples. */
    enum Counters { KEEP, EMIT }

    /**
     * The stage's options, bound and checked.
     *
     * @param stateIdleAfterMs state unused this long is idle and may be evicted when a budget is full
     */
    record Settings(OnError onError, Counters counters, int maxExporterLabels, int maxAgents, long maxStateBytes,
                    long maxAgentStateBytes, long stateIdleAfterMs, boolean frames) {
    }

    private final DatagramMapper datagrams;
    /** Each reader thread's log of the samples of the datagram it decodes. */
    private final ThreadLocal<SampleLog> sampleLogs = ThreadLocal.withInitial(SampleLog::new);
    private final boolean failOnError;
    private final StageContext context;
    private final Logger log;
    private final LabelCap labels;
    private final ConcurrentHashMap<String, ExporterMeters> meters = new ConcurrentHashMap<>();
    private final StateMeters state;
    private final AgentRegistry agents;
    private final Clock clock;
    private final Counter untracked;
    private final AtomicLong nextHousekeepingMs = new AtomicLong(Long.MIN_VALUE);
    private final LogLimit internalLog = new LogLimit(LogLimit.DEFAULT_INTERVAL_MS);

    DecodeSflowStage(StageContext context, Settings settings) {
        this.datagrams = new DatagramMapper(new SflowDecoder(), new FlowRecordMapper(settings.frames()),
                settings.counters() == Counters.EMIT);
        this.failOnError = settings.onError() == OnError.FAIL;
        this.context = context;
        this.log = context.logger(DecodeSflowStage.class.getName());
        this.labels = new LabelCap(settings.maxExporterLabels());
        this.clock = context.clock();
        this.state = new StateMeters();
        this.agents = new AgentRegistry(settings.maxAgents(), settings.maxStateBytes(), settings.maxAgentStateBytes(),
                settings.stateIdleAfterMs(), state);
        this.untracked = context.counter(DecoderMetrics.OVERFLOW_DATAGRAMS, DecoderMetrics.TAG_PROTOCOL,
                ExporterMeters.PROTOCOL);
        context.gauge("caravan.sflow.agents", agents::size);
        context.gauge(DecoderMetrics.STATE_BYTES, agents::usedBytes, DecoderMetrics.TAG_PROTOCOL,
                ExporterMeters.PROTOCOL);
    }

    @Override
    public FlowBatch apply(DatagramBatch batch) throws StageException {
        long nowMs = clock.millis();
        housekeeping(nowMs);
        List<FlowRecord> out = new ArrayList<>();
        Origin origin = null;
        Undecodable first = null;
        int undecodable = 0;
        for (Datagram datagram : batch.datagrams()) {
            try {
                Origin o = decode(datagram, out, nowMs);
                origin = origin == null ? o : Origin.merge(origin, o);
            } catch (Undecodable e) {
                undecodable++;
                first = first == null ? e : first;
            }
        }
        if (first != null && failOnError) {
            throw new StageException(first.getMessage() + (undecodable > 1
                    ? " (and " + (undecodable - 1) + " more undecodable datagrams in the batch)" : ""), first.exception);
        }
        return origin == null ? null : new FlowBatch(origin, out);
    }

    /**
     * Decodes one datagram into {@code out} and accounts it; returns its origin. An undecodable
     * one is counted by reason, adds nothing to {@code out}, and throws {@link Undecodable}.
     */
    private Origin decode(Datagram datagram, List<FlowRecord> out, long nowMs) throws Undecodable {
        byte[] b = datagram.payload() == null ? new byte[0] : datagram.payload();
        long receivedMs = datagram.receivedMs();
        DatagramHeader h;
        try {
            h = DatagramHeader.parse(b);
        } catch (DecodeException | RuntimeException e) {
            String sender = senderText(datagram.sender());
            AgentState agent = track(sender, b.length, receivedMs, nowMs);
            throw failed(sender, agent, meters(sender, b.length), reasonOf(e, b));
        }
        String exporter = h.agentAddress() != null ? AddressText.format(h.agentAddress()) : senderText(datagram.sender());
        byte[] sampler = h.agentAddress() != null ? h.agentAddress() : senderBytes(datagram.sender());
        ExporterMeters m = meters(exporter, b.length);
        AgentState agent = track(exporter, b.length, receivedMs, nowMs);
        if (agent != null) {
            count(m.datagramGaps, agent.header(h, receivedMs, nowMs));
        }
        int start = out.size();
        SampleLog log = sampleLogs.get();
        try {
            datagrams.map(h, b, sampler, receivedMs * 1_000_000L, out, log);
        } catch (DecodeException | RuntimeException e) {
            out.subList(start, out.size()).clear();
            throw failed(exporter, agent, m, reasonOf(e, b));
        }
        int produced = out.size() - start;
        count(m.flowSamples, log.count(SampleLog.FLOW));
        count(m.counterSamples, log.count(SampleLog.COUNTERS));
        count(m.discardSamples, log.count(SampleLog.DISCARD));
        count(m.unknownSamples, log.unknownSamples());
        count(m.unknownRecords, log.unknownRecords());
        count(m.records, produced);
        if (agent != null) {
            LossDelta loss = agent.samples(h.subAgentId(), log, produced, receivedMs, nowMs);
            count(m.sampleGaps, loss.samples());
            count(m.agentDrops, loss.drops());
        }
        return new Origin(datagram.sender(), h.subAgentId(), receivedMs);
    }

    /** The agent's state with this datagram counted, or null (counted as untracked) when it has none. */
    private AgentState track(String exporter, int size, long receivedMs, long nowMs) {
        AgentState agent = agents.received(exporter, size, receivedMs, nowMs);
        if (agent == null) {
            untracked.increment();
        }
        return agent;
    }

    /** A decoder exception as it is, or a decoder bug as {@code INTERNAL} (logged now and then). */
    private DecodeException reasonOf(Exception e, byte[] b) {
        if (e instanceof DecodeException d) {
            return d;
        }
        if (internalLog.allow()) {
            log.warn("stage '{}': the sFlow decoder failed on a datagram; it is dropped and counted as INTERNAL "
                    + "(logged at most every {} s)", context.stageName(), internalLog.intervalSeconds(), e);
        }
        return new DecodeException(DecodeException.Reason.INTERNAL, 0, e.toString(), b);
    }

    /** Forgets idle agents, at most once a second, on the calling thread (the stage starts none). */
    private void housekeeping(long now) {
        long next = nextHousekeepingMs.get();
        if (now >= next && nextHousekeepingMs.compareAndSet(next, now + HOUSEKEEPING_MS)) {
            // Count what can no longer arrive before an idle agent, and its missing numbers, are forgotten.
            for (AgentState agent : agents.agents()) {
                LossDelta loss = agent.expireSequences(now);
                if (loss != LossDelta.NONE) {
                    ExporterMeters m = metersOf(agent.agent());
                    count(m.datagramGaps, loss.datagrams());
                    count(m.sampleGaps, loss.samples());
                }
            }
            agents.forgetIdle(now - IDLE_AGENT_MS);
        }
    }

    /** The exporter's meters (its label capped), with this datagram counted. */
    private ExporterMeters meters(String exporter, int size) {
        ExporterMeters m = metersOf(exporter);
        m.datagrams.increment();
        m.bytes.increment(size);
        return m;
    }

    /** The exporter's meters (its label capped). */
    private ExporterMeters metersOf(String exporter) {
        String label = labels.label(exporter);
        ExporterMeters m = meters.get(label);
        if (m == null) {
            m = meters.computeIfAbsent(label, l -> new ExporterMeters(context, l));
        }
        return m;
    }

    private static Undecodable failed(String exporter, AgentState agent, ExporterMeters m, DecodeException e) {
        m.errors(e.reason()).increment();
        if (agent != null) {
            agent.error(e.reason());
        }
        return new Undecodable("sFlow datagram from " + exporter + ": " + e.getMessage(), e);
    }

    private static void count(Counter c, long n) {
        if (n > 0) {
            c.increment(n);
        }
    }

    private static String senderText(InetSocketAddress sender) {
        byte[] a = senderBytes(sender);
        return a == null ? UNKNOWN_SENDER : AddressText.format(a);
    }

    private static byte[] senderBytes(InetSocketAddress sender) {
        InetAddress a = sender == null ? null : sender.getAddress();
        return a == null ? null : a.getAddress();
    }

    /**
     * The state bounds, what they hold now and what was evicted and refused; then per agent (by
     * address): datagrams, bytes, records, samples by kind, unknown formats, errors by reason,
     * sequence gaps, agent drops, restarts, out-of-order counts, its state bytes, and per
     * sub-agent the last sequence and uptime and the latest counters of each data source.
     */
    @Override
    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("agentsTracked", agents.size());
        s.put("maxAgents", agents.maxAgents());
        s.put("untrackedDatagrams", agents.untrackedDatagrams());
        s.put("stateBytes", agents.usedBytes());
        s.put("maxStateBytes", agents.maxBytes());
        s.put("maxAgentStateBytes", agents.maxAgentBytes());
        s.put("stateIdleAfterMs", agents.idleAfterMs());
        s.put("stateEvictions", state.byKind(state.evictions, false));
        s.put("stateRefusals", state.byKind(state.refusals, true));
        s.put("degraded", degraded().orElse(""));
        s.put("agents", agents.snapshot());
        return s;
    }

    /** While new state was refused within {@link #DEGRADED_HOLD_MS}: which bound, and for whom. */
    @Override
    public Optional<String> degraded() {
        Refusal r = state.last;
        if (r == null || clock.millis() - r.atMs() >= DEGRADED_HOLD_MS) {
            return Optional.empty();
        }
        return Optional.of(state.describe(r));
    }

    /** The latest refusal of new state. */
    private record Refusal(StateKind kind, StateEvents.Bound bound, String agent, long atMs) {
    }

    /** Counts evictions and refusals of state in metrics and status; keeps the latest refusal for {@link #degraded}. */
    private final class StateMeters implements StateEvents {
        final AtomicLongArray evictions = new AtomicLongArray(StateKind.values().length);
        final AtomicLongArray refusals = new AtomicLongArray(StateKind.values().length);
        private final Map<StateKind, Counter> evictionCounters = new EnumMap<>(StateKind.class);
        private final Map<StateKind, Counter> refusalCounters = new EnumMap<>(StateKind.class);
        private final LogLimit refusalLog = new LogLimit(LogLimit.DEFAULT_INTERVAL_MS);
        volatile Refusal last;

        StateMeters() {
            for (StateKind k : StateKind.values()) {
                if (k != StateKind.MISSING_RANGES) {
                    evictionCounters.put(k, context.counter(DecoderMetrics.STATE_EVICTIONS, DecoderMetrics.TAG_PROTOCOL,
                            ExporterMeters.PROTOCOL, DecoderMetrics.TAG_KIND, k.tag()));
                }
                refusalCounters.put(k, context.counter(STATE_REFUSALS, DecoderMetrics.TAG_KIND, k.tag()));
            }
        }

        @Override
        public void evicted(StateKind kind, long n) {
            evictions.addAndGet(kind.ordinal(), n);
            evictionCounters.get(kind).increment(n);
        }

        @Override
        public void refused(StateKind kind, Bound bound, String agent) {
            refusals.incrementAndGet(kind.ordinal());
            refusalCounters.get(kind).increment();
            Refusal r = new Refusal(kind, bound, agent, clock.millis());
            last = r;
            if (refusalLog.allow()) {
                log.warn("stage '{}': {} (logged at most every {} s; see caravan_sflow_state_refusals_total)",
                        context.stageName(), describe(r), refusalLog.intervalSeconds());
            }
        }

        String describe(Refusal r) {
            String what = switch (r.bound()) {
                case MAX_AGENTS -> agents.maxAgents() + " agents tracked (maxAgents) and none idle: agent "
                        + r.agent() + " is not tracked";
                case MAX_STATE_BYTES -> "sFlow state is at maxStateBytes (" + agents.maxBytes()
                        + " bytes) and none is idle: new " + r.kind().tag() + " of agent " + r.agent()
                        + " are not tracked";
                case MAX_AGENT_STATE_BYTES -> "agent " + r.agent() + " is at maxAgentStateBytes ("
                        + agents.maxAgentBytes() + " bytes) and none of its state is idle: its new " + r.kind().tag()
                        + " are not tracked";
            };
            long total = 0;
            for (int i = 0; i < refusals.length(); i++) {
                total += refusals.get(i);
            }
            return what + " (" + total + " refusals of new state so far)";
        }

        Map<String, Object> byKind(AtomicLongArray counts, boolean withRanges) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (StateKind k : StateKind.values()) {
                if (withRanges || k != StateKind.MISSING_RANGES) {
                    m.put(k.statusKey(), counts.get(k.ordinal()));
                }
            }
            return m;
        }
    }

    /** One datagram that could not be decoded: already counted; carries the message for onError=fail. */
    private static final class Undecodable extends Exception {
        final DecodeException exception;

        Undecodable(String message, DecodeException exception) {
            super(message, null, false, false);
            this.exception = exception;
        }
    }
}
