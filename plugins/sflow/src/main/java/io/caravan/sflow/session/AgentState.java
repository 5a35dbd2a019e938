package io.caravan.sflow.session;

import io.caravan.api.decode.DecodeException;
import io.caravan.api.sequence.MissingRanges;
import io.caravan.api.sequence.SequenceTracker;
import io.caravan.api.sequence.SequenceTracker.Outcome;
import io.caravan.sflow.map.CounterFields;
import io.caravan.sflow.wire.CounterData;
import io.caravan.sflow.wire.CounterSample;
import io.caravan.sflow.wire.DatagramHeader;
import io.caravan.sflow.wire.EthernetCounters;
import io.caravan.sflow.wire.GenericInterfaceCounters;
import io.caravan.sflow.wire.SampleLog;
import io.caravan.sflow.wire.SflowDatagram;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Everything known about one agent (keyed by its address; by the UDP sender when no agent address
 * could be read): counts, errors by reason, loss, restarts, and per sub-agent the datagram
 * sequence and per data source the sample sequence, drop counter and latest interface counters.
 *
 * <p>Loss (spec §7): datagram sequence gaps per sub-agent; sample sequence gaps per data source
 * and sample kind (flow, counters and discards are numbered separately); growth of the agent's
 * cumulative {@code drops} per data source, counted from the first sample seen. A missing number
 * is counted lost only once it can no longer come late ({@link SequenceTracker}: more than
 * {@value #REORDER_WINDOW} numbers behind the newest, or missing for {@value
 * MissingRanges#MAX_WAIT_MS} ms), so a late (reordered) one is never counted; late and duplicate
 * numbers add to {@code outOfOrder}. A restart is counted, starts every sequence of that sub-agent
 * afresh and is itself never a gap: the uptime going backwards (by more than {@value
 * #REORDER_UPTIME_MS} ms when the sequence is only a little behind), or the datagram sequence
 * jumping back beyond the reorder window. Numbers still missing at a restart are counted lost then
 * (a data source's when it is next seen, or by {@link #expireSequences} once they have been
 * missing for {@value MissingRanges#MAX_WAIT_MS} ms).
 *
 * <p>Memory: every sub-agent and data source is charged to this agent's byte budget and to the
 * stage's ({@link AgentRegistry}, estimates in {@link StateCost}) before it is created, and so is
 * every growth of a sequence tracker's missing ranges. When a budget is full, this agent's idle
 * sub-agents and data sources are evicted least recently used first; with nothing idle the new
 * entry is refused (its datagrams or samples are counted as {@code untracked}), and a tracker that
 * cannot grow counts what it has missing as lost at once.
 *
 * <p>Thread-safe: every method locks this agent only, except that making room may evict other,
 * idle agents, which it never waits for (a busy agent is not idle).
 */
public final class AgentState {
    /**
     * A datagram a little behind in sequence is a reordered one only if its uptime is at most this
     * far behind the newest; further back it is an agent restart (a reboot that reset the sequence).
     */
    public static final long REORDER_UPTIME_MS = 1000;
    /** How many numbers behind the newest a datagram or sample may come and still be late, not a restart. */
    public static final long REORDER_WINDOW = 256;

    private static final long MASK = 0xFFFF_FFFFL;
    private static final long HALF = 0x8000_0000L;
    /** The tracker counts from the expected number, one past the newest. */
    private static final long TRACKER_WINDOW = REORDER_WINDOW + 1;
    /** Forward steps of 2^31 or more from the newest are restarts (2^31 - 1 from the expected number). */
    private static final long RESTART_JUMP = HALF - 1;
    private static final int FLOW = SampleLog.FLOW;
    private static final int COUNTERS = SampleLog.COUNTERS;
    private static final int DISCARD = SampleLog.DISCARD;

    private final String agent;
    private final AgentRegistry registry;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean retired;
    /** Estimated bytes held, this agent's own entry included; charged to the registry's budget too. */
    private long stateBytes = StateCost.AGENT;
    /** Stage clock time of the latest datagram: what idleness and eviction order go by. */
    private volatile long lastSeenMs;
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
    /** In access order: least recently used first. */
    private final LinkedHashMap<Long, SubAgent> subAgents = new LinkedHashMap<>(16, 0.75f, true);
    /** Every data source of every sub-agent, in access order: least recently used first. */
    private final LinkedHashMap<SourceKey, Source> sources = new LinkedHashMap<>(16, 0.75f, true);

    /** An agent with no bounds on its state, for tests and tools. */
    public AgentState(String agent) {
        this(agent, AgentRegistry.unbounded(), 0);
    }

    AgentState(String agent, AgentRegistry registry, long nowMs) {
        this.agent = agent;
        this.registry = registry;
        this.lastSeenMs = nowMs;
    }

    public String agent() {
        return agent;
    }

    /**
     * A datagram of {@code size} bytes arrived (decodable or not) at {@code receivedMs}, at {@code
     * nowMs} by the stage's clock; false when this state was evicted meanwhile and must not be used.
     */
    boolean received(int size, long receivedMs, long nowMs) {
        lock.lock();
        try {
            if (retired) {
                return false;
            }
            datagrams++;
            bytes += size;
            lastReceivedMs = receivedMs;
            lastSeenMs = Math.max(lastSeenMs, nowMs);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Receive time of the latest datagram, 0 before the first. */
    public long lastReceivedMs() {
        lock.lock();
        try {
            return lastReceivedMs;
        } finally {
            lock.unlock();
        }
    }

    /** Stage clock time of the latest datagram (or of the state's creation). */
    long lastSeenMs() {
        return lastSeenMs;
    }

    /** Estimated bytes this agent's state holds. */
    public long stateBytes() {
        lock.lock();
        try {
            return stateBytes;
        } finally {
            lock.unlock();
        }
    }

    public void error(DecodeException.Reason reason) {
        lock.lock();
        try {
            errors.merge(reason, 1L, Long::sum);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Follows the datagram sequence and uptime of the header's sub-agent, for a datagram received
     * at {@code receivedMs} ({@code nowMs} by the stage's clock); returns the datagrams now lost.
     */
    public long header(DatagramHeader h, long receivedMs, long nowMs) {
        lock.lock();
        try {
            if (retired) {
                return 0;
            }
            SubAgent s = subAgent(h.subAgentId(), nowMs);
            if (s == null) {
                untracked++;
                return 0;
            }
            SequenceTracker t = s.sequence;
            // Classified before it is observed: a restart's number must not fill one missing from the old numbering.
            Outcome o = t.classify(h.sequence());
            long uptime = h.uptimeMs();
            long back = s.lastUptime - uptime;
            boolean backwards = o != Outcome.FIRST && back > 0 && back < HALF;
            if (o == Outcome.LATE) {
                if (!backwards || back <= REORDER_UPTIME_MS) {
                    datagramsOutOfOrder++;
                    return datagramsLost(observe(s, o, h.sequence(), receivedMs, nowMs));
                }
            } else if (!backwards && o != Outcome.RESTART) {
                s.lastUptime = uptime;
                return datagramsLost(observe(s, o, h.sequence(), receivedMs, nowMs));
            }
            s.lastUptime = uptime;
            restarts++;
            s.epoch++;
            long lost = t.resync();
            t.observe(h.sequence(), 1, receivedMs);
            return datagramsLost(lost);
        } finally {
            lock.unlock();
        }
    }

    private long datagramsLost(long n) {
        datagramGaps += n;
        return n;
    }

    /** Accounts a decoded datagram's samples: counts, sample gaps, drops and latest counters. */
    public LossDelta samples(SflowDatagram d, int recordsOut, long receivedMs, long nowMs) {
        return samples(d.header().subAgentId(), SampleLog.of(d), recordsOut, receivedMs, nowMs);
    }

    /** Accounts the samples of a datagram of {@code subAgentId}: counts, sample gaps, drops and latest counters. */
    public LossDelta samples(long subAgentId, SampleLog log, int recordsOut, long receivedMs, long nowMs) {
        lock.lock();
        try {
            if (retired) {
                return LossDelta.NONE;
            }
            records += recordsOut;
            unknownSamples += log.unknownSamples();
            unknownRecords += log.unknownRecords();
            SubAgent s = subAgents.get(subAgentId);
            long gaps = 0;
            long drops = 0;
            for (int i = 0; i < log.size(); i++) {
                int kind = log.kind(i);
                samples[kind]++;
                if (s == null) {
                    continue;
                }
                Source src = source(s, subAgentId, kind, log.sourceType(i), log.sourceIndex(i), nowMs);
                if (src == null) {
                    untracked++;
                    continue;
                }
                if (src.epoch != s.epoch) {
                    gaps += src.sequence.resync();
                    src.dropsKnown = false;
                    src.epoch = s.epoch;
                }
                long sequence = log.sequence(i);
                Outcome o = src.sequence.classify(sequence);
                gaps += observe(src, o, sequence, receivedMs, nowMs);
                if (o == Outcome.LATE) {
                    samplesOutOfOrder++;
                    continue;
                }
                if (o == Outcome.RESTART) {
                    src.dropsKnown = false;
                }
                long agentDropCounter = log.drops(i);
                if (agentDropCounter >= 0) {
                    long delta = (agentDropCounter - src.lastDrops) & MASK;
                    if (src.dropsKnown && delta < HALF) {
                        drops += delta;
                    }
                    src.lastDrops = agentDropCounter;
                    src.dropsKnown = true;
                }
                CounterSample c = log.counters(i);
                if (c != null) {
                    src.latest(c, receivedMs);
                }
            }
            sampleGaps += gaps;
            agentDrops += drops;
            return gaps == 0 && drops == 0 ? LossDelta.NONE : new LossDelta(0, gaps, drops);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Observes a number in an entry's tracker. A gap or late number may need one more missing
     * range: when the tracker's room is full, the room is doubled if the budgets allow, else what
     * is missing so far is counted lost at once, so the new range fits in the room already paid for.
     */
    private long observe(Entry e, Outcome o, long sequence, long receivedMs, long nowMs) {
        long lost = 0;
        SequenceTracker t = e.sequence;
        if ((o == Outcome.GAP || o == Outcome.LATE) && t.missingRanges() >= e.rangeRoom
                && e.rangeRoom < MissingRanges.MAX_RANGES) {
            int room = Math.min(2 * e.rangeRoom, MissingRanges.MAX_RANGES);
            if (charge((room - e.rangeRoom) * StateCost.RANGE, nowMs, StateKind.MISSING_RANGES)) {
                e.rangeRoom = room;
            } else {
                lost += t.expireAll();
            }
        }
        return lost + t.observe(sequence, 1, receivedMs);
    }

    private SubAgent subAgent(long id, long nowMs) {
        SubAgent s = subAgents.get(id);
        if (s == null) {
            if (!charge(StateCost.SUB_AGENT, nowMs, StateKind.SUB_AGENTS)) {
                return null;
            }
            s = new SubAgent();
            subAgents.put(id, s);
        }
        s.lastSeenMs = nowMs;
        return s;
    }

    private Source source(SubAgent s, long subAgentId, int kind, long sourceType, long sourceIndex, long nowMs) {
        SourceKey key = new SourceKey(subAgentId, ((long) kind << 62) | ((sourceType & 0x3FFF_FFFFL) << 32)
                | (sourceIndex & MASK));
        Source src = sources.get(key);
        if (src == null) {
            long cost = kind == COUNTERS ? StateCost.COUNTER_SOURCE : StateCost.DATA_SOURCE;
            if (!charge(cost, nowMs, StateKind.DATA_SOURCES)) {
                return null;
            }
            src = new Source(s, cost);
            sources.put(key, src);
            s.sources++;
        }
        src.lastSeenMs = nowMs;
        return src;
    }

    /**
     * Charges {@code n} estimated bytes of new state to this agent's budget and the stage's,
     * evicting idle state to make room; false (reported as refused) when there is none.
     */
    private boolean charge(long n, long nowMs, StateKind kind) {
        long max = registry.maxAgentBytes();
        if (n > max - stateBytes) {
            long target = max - max / AgentRegistry.HEADROOM_DIVISOR;
            evictIdleEntries(nowMs, () -> stateBytes + n <= target);
            if (n > max - stateBytes) {
                registry.events().refused(kind, StateEvents.Bound.MAX_AGENT_STATE_BYTES, agent);
                return false;
            }
        }
        if (!registry.reserve(n, nowMs, this)) {
            // No other agent is idle: this agent's own idle entries make room, if it has any.
            long headroom = registry.maxBytes() / AgentRegistry.HEADROOM_DIVISOR;
            if (evictIdleEntries(nowMs, () -> registry.fits(n + headroom)) == 0 || !registry.reserve(n, nowMs, this)) {
                registry.events().refused(kind, StateEvents.Bound.MAX_STATE_BYTES, agent);
                return false;
            }
        }
        stateBytes += n;
        return true;
    }

    /**
     * Evicts this agent's idle data sources, then idle sub-agents (with what is left of their
     * sources), least recently used first, until {@code enough} holds; returns the bytes freed
     * (given back to both budgets). Both maps are in access order, so the scan stops at the first
     * entry in use: it costs nothing when nothing is idle.
     */
    private long evictIdleEntries(long nowMs, BooleanSupplier enough) {
        long cutoff = nowMs - registry.idleAfterMs();
        long freed = 0;
        long evictedSources = 0;
        long evictedSubAgents = 0;
        Iterator<Map.Entry<SourceKey, Source>> it = sources.entrySet().iterator();
        while (!enough.getAsBoolean() && it.hasNext()) {
            Map.Entry<SourceKey, Source> e = it.next();
            Source src = e.getValue();
            if (src.lastSeenMs > cutoff) {
                break;
            }
            it.remove();
            src.owner.sources--; // not subAgents.get: that would count as a use and reorder it
            freed += free(src.bytes());
            evictedSources++;
        }
        Iterator<SubAgent> subs = subAgents.values().iterator();
        while (!enough.getAsBoolean() && subs.hasNext()) {
            SubAgent s = subs.next();
            if (s.lastSeenMs > cutoff) {
                break;
            }
            subs.remove();
            if (s.sources > 0) {
                Iterator<Map.Entry<SourceKey, Source>> left = sources.entrySet().iterator();
                while (left.hasNext()) {
                    Map.Entry<SourceKey, Source> e = left.next();
                    if (e.getValue().owner == s) {
                        left.remove();
                        freed += free(e.getValue().bytes());
                        evictedSources++;
                    }
                }
            }
            freed += free(s.bytes());
            evictedSubAgents++;
        }
        if (evictedSources > 0) {
            registry.events().evicted(StateKind.DATA_SOURCES, evictedSources);
        }
        if (evictedSubAgents > 0) {
            registry.events().evicted(StateKind.SUB_AGENTS, evictedSubAgents);
        }
        return freed;
    }

    /** Gives back the bytes of an evicted entry to both budgets; returns them. */
    private long free(long entryBytes) {
        stateBytes -= entryBytes;
        registry.release(entryBytes);
        return entryBytes;
    }

    /**
     * Retires this state if it has not been used since {@code cutoffMs} and no thread holds it:
     * returns the bytes it held (for the caller to give back), or -1 when it stays. Never waits.
     */
    long retireIfIdle(long cutoffMs) {
        if (!lock.tryLock()) {
            return -1;
        }
        try {
            if (retired || lastSeenMs > cutoffMs) {
                return -1;
            }
            retired = true;
            long held = stateBytes;
            stateBytes = 0;
            return held;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Counts the missing datagrams and samples that can no longer arrive late at {@code nowMs} as
     * lost, in sequences that may have gone quiet; returns them for the caller's metrics.
     */
    public LossDelta expireSequences(long nowMs) {
        lock.lock();
        try {
            long lostDatagrams = 0;
            long lostSamples = 0;
            for (SubAgent s : subAgents.values()) {
                lostDatagrams += s.sequence.expireAt(nowMs);
            }
            for (Source src : sources.values()) {
                lostSamples += src.sequence.expireAt(nowMs);
            }
            datagramGaps += lostDatagrams;
            sampleGaps += lostSamples;
            return lostDatagrams == 0 && lostSamples == 0 ? LossDelta.NONE : new LossDelta(lostDatagrams, lostSamples, 0);
        } finally {
            lock.unlock();
        }
    }

    /** A JSON-friendly copy of everything above, for the stage status (camelCase keys). */
    public Map<String, Object> snapshot() {
        lock.lock();
        try {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("datagrams", datagrams);
            m.put("bytes", bytes);
            m.put("records", records);
            m.put("samples", Map.of("flow", samples[FLOW], "counters", samples[COUNTERS], "discard", samples[DISCARD]));
            m.put("unknownFormat", Map.of("samples", unknownSamples, "records", unknownRecords));
            Map<String, Object> e = new LinkedHashMap<>();
            errors.forEach((reason, n) -> e.put(reason.name(), n));
            m.put("errors", e);
            m.put("sequenceGaps", Map.of("datagrams", datagramGaps, "samples", sampleGaps));
            long datagramsMissing = 0;
            for (SubAgent s : subAgents.values()) {
                datagramsMissing += s.sequence.pending();
            }
            long samplesMissing = 0;
            for (Source src : sources.values()) {
                samplesMissing += src.sequence.pending();
            }
            m.put("sequenceMissing", Map.of("datagrams", datagramsMissing, "samples", samplesMissing));
            m.put("agentDrops", agentDrops);
            m.put("restarts", restarts);
            m.put("outOfOrder", Map.of("datagrams", datagramsOutOfOrder, "samples", samplesOutOfOrder));
            m.put("untracked", untracked);
            m.put("lastReceivedMs", lastReceivedMs);
            m.put("stateBytes", stateBytes);
            Map<Long, Map<String, Object>> counters = new TreeMap<>();
            sources.forEach((key, src) -> {
                if (src.counterSequence >= 0) {
                    counters.computeIfAbsent(key.subAgent(), k -> new TreeMap<>()).put(src.sourceIdType + ":" + src.sourceIdIndex, src.counters());
                }
            });
            Map<String, Object> subs = new TreeMap<>();
            subAgents.forEach((id, s) -> subs.put(String.valueOf(id), s.snapshot(counters.getOrDefault(id, Map.of()))));
            m.put("subAgents", subs);
            return m;
        } finally {
            lock.unlock();
        }
    }

    /** A data source of one sub-agent, sample kind, source id type and index (packed in {@code key}). */
    private record SourceKey(long subAgent, long key) {
    }

    /** What sub-agents and data sources share: a sequence tracker with room for its missing ranges paid for. */
    private abstract static class Entry {
        final SequenceTracker sequence = new SequenceTracker(TRACKER_WINDOW, RESTART_JUMP);
        /** Missing ranges the budgets were charged for. */
        int rangeRoom = StateCost.INITIAL_RANGES;
        long lastSeenMs;

        /** Estimated bytes held, as charged. */
        abstract long bytes();

        long rangeBytes() {
            return (rangeRoom - StateCost.INITIAL_RANGES) * StateCost.RANGE;
        }
    }

    /** One sub-agent: datagram sequence, uptime, restart epoch, how many data sources it has. */
    private static final class SubAgent extends Entry {
        long lastUptime;
        long epoch;
        int sources;

        @Override
        long bytes() {
            return StateCost.SUB_AGENT + rangeBytes();
        }

        Map<String, Object> snapshot(Map<String, Object> counters) {
            Map<String, Object> m = new LinkedHashMap<>();
            long expected = sequence.expected();
            m.put("sequence", expected < 0 ? -1 : (expected - 1) & MASK);
            m.put("uptimeMs", lastUptime);
            m.put("dataSources", sources);
            m.put("counters", counters);
            return m;
        }
    }

    /** One data source of one sample kind, with the latest counters of a counter-sample source. */
    private static final class Source extends Entry {
        final SubAgent owner;
        final long cost;
        long epoch;
        long lastDrops;
        boolean dropsKnown;
        long sourceIdType;
        long sourceIdIndex;
        long counterSequence = -1;
        long counterReceivedMs;
        GenericInterfaceCounters generic;
        EthernetCounters ethernet;

        Source(SubAgent owner, long cost) {
            this.owner = owner;
            this.cost = cost;
        }

        @Override
        long bytes() {
            return cost + rangeBytes();
        }

        /** Keeps a counter sample's latest generic and Ethernet records (its last of each, as sent). */
        void latest(CounterSample c, long receivedMs) {
            sourceIdType = c.sourceIdType();
            sourceIdIndex = c.sourceIdIndex();
            counterSequence = c.sequence();
            counterReceivedMs = receivedMs;
            generic = null;
            ethernet = null;
            for (CounterData d : c.records()) {
                if (d instanceof GenericInterfaceCounters g) {
                    generic = g;
                } else if (d instanceof EthernetCounters e) {
                    ethernet = e;
                }
            }
        }

        Map<String, Object> counters() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sequence", counterSequence);
            m.put("receivedMs", counterReceivedMs);
            if (generic != null) {
                m.put("generic", CounterFields.camelCase(CounterFields.generic(generic)));
            }
            if (ethernet != null) {
                m.put("ethernet", CounterFields.camelCase(CounterFields.ethernet(ethernet)));
            }
            return m;
        }
    }
}
