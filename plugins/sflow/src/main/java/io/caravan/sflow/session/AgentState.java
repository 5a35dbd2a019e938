package io.caravan.sflow.session;

import io.caravan.sflow.map.CounterFields;
import io.caravan.sflow.wire.CounterData;
import io.caravan.sflow.wire.CounterSample;
import io.caravan.sflow.wire.DatagramHeader;
import io.caravan.sflow.wire.DecodeException;
import io.caravan.sflow.wire.DiscardedPacket;
import io.caravan.sflow.wire.EthernetCounters;
import io.caravan.sflow.wire.FlowSample;
import io.caravan.sflow.wire.GenericInterfaceCounters;
import io.caravan.sflow.wire.Sample;
import io.caravan.sflow.wire.SflowDatagram;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything known about one agent (keyed by its address; by the UDP sender when no agent address
 * could be read): counts, errors by reason, loss, restarts, and per sub-agent the datagram
 * sequence and per data source the sample sequence, drop counter and latest interface counters.
 *
 * <p>Loss (spec §7): datagram sequence gaps per sub-agent; sample sequence gaps per data source
 * and sample kind (flow, counters and discards are numbered separately); growth of the agent's
 * cumulative {@code drops} per data source, counted from the first sample seen. A missing number
 * is counted lost only once it can no longer come late (see {@link SequenceTracker}), so a late
 * (reordered) one is never counted; late and duplicate numbers add to {@code out_of_order}. A
 * restart is counted, starts every sequence of that sub-agent afresh and is itself never a gap:
 * the uptime going backwards (by more than {@value #REORDER_UPTIME_MS} ms when the sequence is
 * only a little behind), or the datagram sequence jumping back beyond the reorder window. Numbers
 * still missing at a restart are counted lost then (a data source's when it is next seen, or by
 * {@link #expireSequences} once they have been missing for 2 s).
 *
 * <p>Thread-safe: every method locks this agent only.
 */
public final class AgentState {
    /** Sub-agents tracked per agent; more are counted as untracked. */
    public static final int MAX_SUB_AGENTS = 256;
    /** Data sources (per sample kind) tracked per sub-agent; more are counted as untracked. */
    public static final int MAX_DATA_SOURCES = 4096;

    /**
     * A datagram a little behind in sequence is a reordered one only if its uptime is at most this
     * far behind the newest; further back it is an agent restart (a reboot that reset the sequence).
     */
    public static final long REORDER_UPTIME_MS = 1000;

    private static final long MASK = 0xFFFF_FFFFL;
    private static final long HALF = 0x8000_0000L;
    private static final int FLOW = 0;
    private static final int COUNTERS = 1;
    private static final int DISCARD = 2;

    private final String agent;
    private long datagrams;
    private long bytes;
    private long records;
    private final long[] samples = new long[3];
    private long unknownSamples;
    private long unknownRecords;
    private final EnumMap<DecodeException.Reason, Long> errors = new EnumMap<>(DecodeException.Reason.class);
    private long datagramGaps;
    private long sampleGaps;
    private long agentDrops;
    private long restarts;
    private long datagramsOutOfOrder;
    private long samplesOutOfOrder;
    private long untracked;
    private long lastReceivedMs;
    private final Map<Long, SubAgent> subAgents = new HashMap<>();

    public AgentState(String agent) {
        this.agent = agent;
    }

    public String agent() {
        return agent;
    }

    /** A datagram of {@code size} bytes arrived (decodable or not). */
    public synchronized void received(int size, long receivedMs) {
        datagrams++;
        bytes += size;
        lastReceivedMs = receivedMs;
    }

    /** Receive time of the latest datagram, 0 before the first. */
    public synchronized long lastReceivedMs() {
        return lastReceivedMs;
    }

    public synchronized void error(DecodeException.Reason reason) {
        errors.merge(reason, 1L, Long::sum);
    }

    /**
     * Follows the datagram sequence and uptime of the header's sub-agent, for a datagram received
     * at {@code receivedMs}; returns the datagrams now lost.
     */
    public synchronized long header(DatagramHeader h, long receivedMs) {
        SubAgent s = subAgent(h.subAgentId());
        if (s == null) {
            untracked++;
            return 0;
        }
        SequenceTracker t = s.datagrams;
        // Classified before it is observed: a restart's number must not fill one missing from the old numbering.
        SequenceTracker.Outcome o = t.classify(h.sequence());
        long uptime = h.uptimeMs();
        long back = s.lastUptime - uptime;
        boolean backwards = o != SequenceTracker.Outcome.FIRST && back > 0 && back < HALF;
        if (o == SequenceTracker.Outcome.DUPLICATE || o == SequenceTracker.Outcome.LATE) {
            if (!backwards || back <= REORDER_UPTIME_MS) {
                datagramsOutOfOrder++;
                t.observe(h.sequence(), receivedMs);
                return datagramsLost(t.lost());
            }
        } else if (!backwards && o != SequenceTracker.Outcome.RESET) {
            s.lastUptime = uptime;
            t.observe(h.sequence(), receivedMs);
            return datagramsLost(t.lost());
        }
        s.lastUptime = uptime;
        restarts++;
        s.epoch++;
        long lost = t.reset();
        t.observe(h.sequence(), receivedMs);
        return datagramsLost(lost);
    }

    private long datagramsLost(long n) {
        datagramGaps += n;
        return n;
    }

    /** Accounts a decoded datagram's samples: counts, sample gaps, drops and latest counters. */
    public synchronized LossDelta samples(SflowDatagram d, int recordsOut, long receivedMs) {
        records += recordsOut;
        unknownSamples += d.unknownSamples();
        unknownRecords += d.unknownRecords();
        SubAgent s = subAgents.get(d.header().subAgentId());
        long gaps = 0;
        long drops = 0;
        for (Sample sample : d.samples()) {
            int kind = sample instanceof FlowSample ? FLOW : sample instanceof CounterSample ? COUNTERS : DISCARD;
            samples[kind]++;
            if (s == null) {
                continue;
            }
            long key = ((long) kind << 62) | ((sample.sourceIdType() & 0x3FFF_FFFFL) << 32) | (sample.sourceIdIndex() & MASK);
            Source src = s.sources.get(key);
            if (src == null) {
                if (s.sources.size() >= MAX_DATA_SOURCES) {
                    untracked++;
                    continue;
                }
                src = new Source();
                s.sources.put(key, src);
            }
            if (src.epoch != s.epoch) {
                gaps += src.sequence.reset();
                src.dropsKnown = false;
                src.epoch = s.epoch;
            }
            SequenceTracker.Outcome o = src.sequence.observe(sample.sequence(), receivedMs);
            gaps += src.sequence.lost();
            if (o == SequenceTracker.Outcome.DUPLICATE || o == SequenceTracker.Outcome.LATE) {
                samplesOutOfOrder++;
                continue;
            }
            if (o == SequenceTracker.Outcome.RESET) {
                src.dropsKnown = false;
            }
            long agentDropCounter = sample instanceof FlowSample f ? f.drops()
                    : sample instanceof DiscardedPacket p ? p.drops() : -1;
            if (agentDropCounter >= 0) {
                long delta = (agentDropCounter - src.lastDrops) & MASK;
                if (src.dropsKnown && delta < HALF) {
                    drops += delta;
                }
                src.lastDrops = agentDropCounter;
                src.dropsKnown = true;
            }
            if (sample instanceof CounterSample c) {
                src.latest = c;
                src.latestMs = receivedMs;
            }
        }
        sampleGaps += gaps;
        agentDrops += drops;
        return gaps == 0 && drops == 0 ? LossDelta.NONE : new LossDelta(0, gaps, drops);
    }

    private SubAgent subAgent(long id) {
        SubAgent s = subAgents.get(id);
        if (s == null && subAgents.size() < MAX_SUB_AGENTS) {
            s = new SubAgent();
            subAgents.put(id, s);
        }
        return s;
    }

    /**
     * Counts the missing datagrams and samples that can no longer arrive late at {@code nowMs} as
     * lost, in sequences that may have gone quiet; returns them for the caller's metrics.
     */
    public synchronized LossDelta expireSequences(long nowMs) {
        long datagrams = 0;
        long lostSamples = 0;
        for (SubAgent s : subAgents.values()) {
            datagrams += s.datagrams.expireAt(nowMs);
            for (Source src : s.sources.values()) {
                lostSamples += src.sequence.expireAt(nowMs);
            }
        }
        datagramGaps += datagrams;
        sampleGaps += lostSamples;
        return datagrams == 0 && lostSamples == 0 ? LossDelta.NONE : new LossDelta(datagrams, lostSamples, 0);
    }

    /** A JSON-friendly copy of everything above, for the stage status. */
    public synchronized Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("datagrams", datagrams);
        m.put("bytes", bytes);
        m.put("records", records);
        m.put("samples", Map.of("flow", samples[FLOW], "counters", samples[COUNTERS], "discard", samples[DISCARD]));
        m.put("unknown_format", Map.of("samples", unknownSamples, "records", unknownRecords));
        Map<String, Object> e = new LinkedHashMap<>();
        errors.forEach((reason, n) -> e.put(reason.name(), n));
        m.put("errors", e);
        m.put("sequence_gaps", Map.of("datagrams", datagramGaps, "samples", sampleGaps));
        long datagramsMissing = 0;
        long samplesMissing = 0;
        for (SubAgent s : subAgents.values()) {
            datagramsMissing += s.datagrams.pending();
            for (Source src : s.sources.values()) {
                samplesMissing += src.sequence.pending();
            }
        }
        m.put("sequence_missing", Map.of("datagrams", datagramsMissing, "samples", samplesMissing));
        m.put("agent_drops", agentDrops);
        m.put("restarts", restarts);
        m.put("out_of_order", Map.of("datagrams", datagramsOutOfOrder, "samples", samplesOutOfOrder));
        m.put("untracked", untracked);
        m.put("last_received_ms", lastReceivedMs);
        Map<String, Object> subs = new TreeMap<>();
        subAgents.forEach((id, s) -> subs.put(String.valueOf(id), s.snapshot()));
        m.put("sub_agents", subs);
        return m;
    }

    /** One sub-agent: datagram sequence, uptime, restart epoch, data sources. */
    private static final class SubAgent {
        final SequenceTracker datagrams = new SequenceTracker();
        final Map<Long, Source> sources = new HashMap<>();
        long lastUptime;
        long epoch;

        Map<String, Object> snapshot() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sequence", datagrams.last());
            m.put("uptime_ms", lastUptime);
            m.put("data_sources", sources.size());
            Map<String, Object> counters = new TreeMap<>();
            for (Source src : sources.values()) {
                if (src.latest != null) {
                    counters.put(src.latest.sourceIdType() + ":" + src.latest.sourceIdIndex(), src.counters());
                }
            }
            m.put("counters", counters);
            return m;
        }
    }

    /** One data source of one sample kind. */
    private static final class Source {
        final SequenceTracker sequence = new SequenceTracker();
        long epoch;
        long lastDrops;
        boolean dropsKnown;
        CounterSample latest;
        long latestMs;

        Map<String, Object> counters() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sequence", latest.sequence());
            m.put("received_ms", latestMs);
            for (CounterData d : latest.records()) {
                if (d instanceof GenericInterfaceCounters g) {
                    m.put("generic", CounterFields.generic(g));
                } else if (d instanceof EthernetCounters e) {
                    m.put("ethernet", CounterFields.ethernet(e));
                }
            }
            return m;
        }
    }
}
