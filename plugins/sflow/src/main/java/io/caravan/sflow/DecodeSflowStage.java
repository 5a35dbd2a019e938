package io.caravan.sflow;

import io.caravan.api.metrics.Counter;
import io.caravan.api.net.AddressText;
import io.caravan.api.flow.Datagram;
import io.caravan.api.log.LogLimit;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.Origin;
import io.caravan.api.stage.LabelCap;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import io.caravan.api.stage.StageException;
import io.caravan.sflow.map.FlowRecordMapper;
import io.caravan.sflow.session.AgentRegistry;
import io.caravan.sflow.session.AgentState;
import io.caravan.sflow.session.LossDelta;
import io.caravan.sflow.wire.CounterSample;
import io.caravan.sflow.wire.DatagramHeader;
import io.caravan.sflow.wire.DecodeException;
import io.caravan.sflow.wire.DiscardedPacket;
import io.caravan.sflow.wire.FlowSample;
import io.caravan.sflow.wire.Sample;
import io.caravan.sflow.wire.SflowDatagram;
import io.caravan.sflow.wire.SflowDecoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code decode-sflow}: one sFlow v5 datagram in, a {@link FlowBatch} out (one record per flow
 * sample and per discarded-packet sample; per counter sample too when emitting counters).
 * Decoding ({@link SflowDecoder}) and mapping ({@link FlowRecordMapper}) are pure; this class
 * does the accounting around them: metrics per exporter label (capped by {@link LabelCap}),
 * per-agent state and loss ({@link AgentRegistry}, capped by {@code maxAgents}; idle agents are
 * forgotten lazily inside {@link #apply}), and what happens to a malformed datagram.
 *
 * <p>The exporter of a datagram is its agent address; when the header cannot be read that far,
 * or the agent address type is 0 (unknown), the UDP sender's address. Thread-safe: per-call state
 * is local, meters are cached in a concurrent map, agent state locks per agent.
 */
final class DecodeSflowStage implements Stage<Datagram, FlowBatch> {
    private static final Logger LOG = LoggerFactory.getLogger(DecodeSflowStage.class);
    private static final String UNKNOWN_SENDER = "unknown";
    static final String UNTRACKED_DATAGRAMS = "caravan.decoder.overflow_datagrams";
    /** Agents with no datagram for this long are forgotten, freeing their place under maxAgents. */
    static final long IDLE_AGENT_MS = 3_600_000L;
    private static final long HOUSEKEEPING_MS = 1000;

    private final SflowDecoder decoder;
    private final FlowRecordMapper mapper;
    private final boolean failOnError;
    private final boolean emitCounters;
    private final StageContext context;
    private final LabelCap labels;
    private final ConcurrentHashMap<String, ExporterMeters> meters = new ConcurrentHashMap<>();
    private final AgentRegistry agents;
    private final Clock clock;
    private final Counter untracked;
    private final AtomicLong nextHousekeepingMs = new AtomicLong(Long.MIN_VALUE);
    private final LogLimit untrackedLog = new LogLimit(LogLimit.DEFAULT_INTERVAL_MS);

    DecodeSflowStage(StageContext context, boolean failOnError, boolean emitCounters, int maxExporterLabels,
                     int maxAgents) {
        this.decoder = new SflowDecoder();
        this.mapper = new FlowRecordMapper();
        this.failOnError = failOnError;
        this.emitCounters = emitCounters;
        this.context = context;
        this.labels = new LabelCap(maxExporterLabels);
        this.agents = new AgentRegistry(maxAgents);
        this.clock = context.clock();
        this.untracked = context.counter(UNTRACKED_DATAGRAMS, "protocol", ExporterMeters.PROTOCOL);
        context.gauge("caravan.sflow.agents", agents::size);
    }

    @Override
    public FlowBatch apply(Datagram datagram) throws StageException {
        byte[] b = datagram.payload() == null ? new byte[0] : datagram.payload();
        long receivedMs = datagram.receivedMs();
        housekeeping();
        DatagramHeader h;
        try {
            h = DatagramHeader.parse(b);
        } catch (DecodeException e) {
            String sender = senderText(datagram.sender());
            return failed(sender, received(sender, b.length, receivedMs), meters(sender, b.length), e);
        }
        String exporter = h.agentAddress() != null ? AddressText.format(h.agentAddress()) : senderText(datagram.sender());
        byte[] sampler = h.agentAddress() != null ? h.agentAddress() : senderBytes(datagram.sender());
        ExporterMeters m = meters(exporter, b.length);
        AgentState agent = received(exporter, b.length, receivedMs);
        if (agent != null) {
            long lost = agent.header(h, receivedMs);
            if (lost > 0) {
                m.datagramGaps.increment(lost);
            }
        }
        SflowDatagram d;
        try {
            d = decoder.decode(h, b);
        } catch (DecodeException e) {
            return failed(exporter, agent, m, e);
        }
        long receivedNs = receivedMs * 1_000_000L;
        List<FlowRecord> out = new ArrayList<>(d.samples().size());
        int flows = 0;
        int counters = 0;
        int discards = 0;
        for (Sample s : d.samples()) {
            if (s instanceof FlowSample f) {
                flows++;
                out.add(mapper.flow(f, h, sampler, receivedNs));
            } else if (s instanceof CounterSample c) {
                counters++;
                if (emitCounters) {
                    out.add(mapper.counters(c, h, sampler, receivedNs));
                }
            } else if (s instanceof DiscardedPacket p) {
                discards++;
                out.add(mapper.discarded(p, h, sampler, receivedNs));
            }
        }
        count(m.flowSamples, flows);
        count(m.counterSamples, counters);
        count(m.discardSamples, discards);
        count(m.unknownSamples, d.unknownSamples());
        count(m.unknownRecords, d.unknownRecords());
        count(m.records, out.size());
        if (agent != null) {
            LossDelta loss = agent.samples(d, out.size(), receivedMs);
            count(m.sampleGaps, loss.samples());
            count(m.agentDrops, loss.drops());
        }
        return new FlowBatch(new Origin(datagram.sender(), h.subAgentId(), receivedMs), out);
    }

    private AgentState received(String exporter, int size, long receivedMs) {
        AgentState agent = agents.get(exporter);
        if (agent != null) {
            agent.received(size, receivedMs);
        } else {
            untracked();
        }
        return agent;
    }

    /** Counts a datagram of an agent beyond maxAgents; warns at most once per LogLimit's interval. */
    private void untracked() {
        untracked.increment();
        if (untrackedLog.allow()) {
            LOG.warn("stage '{}': {} agents tracked, the cap; datagrams from further agents are decoded and counted "
                    + "in metrics, but without status, sequence or counter tracking ({} so far). Raise the option "
                    + "maxAgents to track more.", context.stageName(), agents.maxAgents(), agents.untrackedDatagrams());
        }
    }

    /** Forgets idle agents, at most once a second, on the calling thread (the stage starts none). */
    private void housekeeping() {
        long now = clock.millis();
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

    private FlowBatch failed(String exporter, AgentState agent, ExporterMeters m, DecodeException e)
            throws StageException {
        m.errors(e.reason()).increment();
        if (agent != null) {
            agent.error(e.reason());
        }
        if (failOnError) {
            throw new StageException("sFlow datagram from " + exporter + ": " + e.getMessage(), e);
        }
        return null;
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
     * Per agent (by address): datagrams, bytes, records, samples by kind, unknown formats, errors
     * by reason, sequence gaps, agent drops, restarts, out-of-order counts, and per sub-agent the
     * last sequence and uptime and the latest counters of each data source.
     */
    @Override
    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("agents_tracked", agents.size());
        s.put("max_agents", agents.maxAgents());
        s.put("untracked_datagrams", agents.untrackedDatagrams());
        s.put("agents", agents.snapshot());
        return s;
    }
}
