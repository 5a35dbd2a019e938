package io.caravan.sflow.session;

import io.caravan.api.limit.Slots;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The agents tracked, bounded twice so that spoofed or churning agent addresses and data-source
 * ids cannot grow the heap: at most {@code maxAgents} agents, and at most {@code maxBytes} of
 * state over all agents ({@link StateBudget}, estimated per entry by {@link StateCost}), each
 * agent itself at most {@code maxAgentBytes} (see {@link AgentState}).
 *
 * <p>When a bound is reached, state that is idle (unused for {@code idleAfterMs}) makes room,
 * least recently used first: here whole idle agents; inside an agent its idle sub-agents and data
 * sources. State that is in use is never evicted, so a flood of new agents or data sources cannot
 * take the state of an agent that keeps sending: when nothing idle is left, the new state is
 * refused instead. A refused agent is still decoded and counted in metrics, but has no state,
 * loss tracking or status entry; its datagrams are counted as untracked. Every eviction and
 * refusal is reported to {@link StateEvents}.
 *
 * <p>Times for idleness come from the stage's clock, not the datagrams' receive times. Evicting
 * runs on the thread that needs room, in batches that free a sixteenth of the bound beyond the
 * request, so a flood pays for one scan per batch; when nothing is idle, no scan runs again before
 * the earliest time something can have become idle. Thread-safe.
 */
public final class AgentRegistry {
    /** Evicting frees this fraction of a bound beyond the request, so that the next requests fit without a scan. */
    static final int HEADROOM_DIVISOR = 16;

    private final Slots slots;
    private final StateBudget budget;
    private final long maxAgentBytes;
    private final long idleAfterMs;
    private final StateEvents events;
    private final ConcurrentHashMap<String, AgentState> agents = new ConcurrentHashMap<>();
    private final AtomicLong untrackedDatagrams = new AtomicLong();
    private final Object evictLock = new Object();
    /** Guarded by evictLock: no agent can be idle before this time, so scanning sooner finds nothing. */
    private long noIdleAgentUntilMs = Long.MIN_VALUE;

    /**
     * @param maxAgents     agents tracked at most
     * @param maxBytes      estimated bytes of state over all agents
     * @param maxAgentBytes estimated bytes of state of one agent (its own entry included)
     * @param idleAfterMs   state unused this long is idle, and may be evicted to make room
     */
    public AgentRegistry(int maxAgents, long maxBytes, long maxAgentBytes, long idleAfterMs, StateEvents events) {
        if (maxAgentBytes < 0 || idleAfterMs < 0) {
            throw new IllegalArgumentException("bounds must be >= 0");
        }
        this.slots = new Slots(maxAgents);
        this.budget = new StateBudget(maxBytes);
        this.maxAgentBytes = maxAgentBytes;
        this.idleAfterMs = idleAfterMs;
        this.events = events;
    }

    /** A registry without bounds, for tests and tools. */
    public static AgentRegistry unbounded() {
        return new AgentRegistry(Integer.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, StateEvents.NONE);
    }

    /**
     * Accounts a datagram of {@code size} bytes from {@code agent}, received at {@code receivedMs},
     * at {@code nowMs} by the stage's clock; returns the agent's state, created on first sight, or
     * null (and counted as untracked) when no state can be had for it.
     */
    public AgentState received(String agent, int size, long receivedMs, long nowMs) {
        while (true) {
            AgentState s = get(agent, nowMs);
            if (s == null) {
                untrackedDatagrams.incrementAndGet();
                return null;
            }
            if (s.received(size, receivedMs, nowMs)) {
                return s;
            }
            // Evicted between the look-up and the lock: what replaces it is a fresh state.
            agents.remove(agent, s);
        }
    }

    private AgentState get(String agent, long nowMs) {
        AgentState s = agents.get(agent);
        return s != null ? s : admit(agent, nowMs);
    }

    /** Creates an agent's state: a slot and its bytes are reserved first, so the bounds are exact under races. */
    private AgentState admit(String agent, long nowMs) {
        if (!slots.take()) {
            evictIdleAgents(nowMs, () -> slots.taken() < slots.max(), null);
            if (!slots.take()) {
                events.refused(StateKind.AGENTS, StateEvents.Bound.MAX_AGENTS, agent);
                return null;
            }
        }
        if (!reserve(StateCost.AGENT, nowMs, null)) {
            slots.release();
            events.refused(StateKind.AGENTS, StateEvents.Bound.MAX_STATE_BYTES, agent);
            return null;
        }
        AgentState fresh = new AgentState(agent, this, nowMs);
        AgentState raced = agents.putIfAbsent(agent, fresh);
        if (raced != null) {
            slots.release();
            budget.release(StateCost.AGENT);
            return raced;
        }
        return fresh;
    }

    /**
     * Takes {@code bytes} from the global budget, first evicting idle agents other than {@code
     * asking} if they do not fit; false when they still do not.
     */
    boolean reserve(long bytes, long nowMs, AgentState asking) {
        if (budget.reserve(bytes)) {
            return true;
        }
        long headroom = budget.maxBytes() / HEADROOM_DIVISOR;
        evictIdleAgents(nowMs, () -> budget.fits(bytes + headroom), asking);
        return budget.reserve(bytes);
    }

    /** Whether {@code bytes} more fit in the global budget now. */
    boolean fits(long bytes) {
        return budget.fits(bytes);
    }

    void release(long bytes) {
        budget.release(bytes);
    }

    /**
     * Evicts idle agents (other than {@code except}), least recently used first, until {@code
     * enough} holds; returns whether it does.
     */
    private boolean evictIdleAgents(long nowMs, BooleanSupplier enough, AgentState except) {
        synchronized (evictLock) {
            if (enough.getAsBoolean()) {
                return true;
            }
            if (nowMs < noIdleAgentUntilMs) {
                return false;
            }
            long cutoff = nowMs - idleAfterMs;
            List<AgentState> idle = new ArrayList<>();
            for (AgentState a : agents.values()) {
                if (a != except && a.lastSeenMs() <= cutoff) {
                    idle.add(a);
                }
            }
            idle.sort(Comparator.comparingLong(AgentState::lastSeenMs));
            long evicted = 0;
            for (AgentState a : idle) {
                if (enough.getAsBoolean()) {
                    break;
                }
                if (forget(a, cutoff)) {
                    evicted++;
                }
            }
            if (evicted > 0) {
                events.evicted(StateKind.AGENTS, evicted);
            }
            if (enough.getAsBoolean()) {
                return true;
            }
            long earliest = Long.MAX_VALUE;
            for (AgentState a : agents.values()) {
                if (a != except) {
                    earliest = Math.min(earliest, a.lastSeenMs());
                }
            }
            noIdleAgentUntilMs = earliest == Long.MAX_VALUE ? nowMs + idleAfterMs : earliest + idleAfterMs;
            return false;
        }
    }

    /**
     * Forgets an agent unused since {@code cutoffMs}, giving back its slot and bytes; false when
     * it is busy or was used since.
     */
    private boolean forget(AgentState a, long cutoffMs) {
        long bytes = a.retireIfIdle(cutoffMs);
        if (bytes < 0) {
            return false;
        }
        agents.remove(a.agent(), a);
        slots.release();
        budget.release(bytes);
        return true;
    }

    /** Forgets the agents unused since {@code cutoffMs}, freeing their places and bytes; returns how many. */
    public int forgetIdle(long cutoffMs) {
        int n = 0;
        for (AgentState a : agents.values()) {
            if (a.lastSeenMs() < cutoffMs && forget(a, cutoffMs - 1)) {
                n++;
            }
        }
        return n;
    }

    public int maxAgents() {
        return slots.max();
    }

    public long maxBytes() {
        return budget.maxBytes();
    }

    public long maxAgentBytes() {
        return maxAgentBytes;
    }

    public long idleAfterMs() {
        return idleAfterMs;
    }

    StateEvents events() {
        return events;
    }

    /** Estimated bytes of state held over all agents. */
    public long usedBytes() {
        return budget.used();
    }

    public int size() {
        return agents.size();
    }

    public long untrackedDatagrams() {
        return untrackedDatagrams.get();
    }

    public List<AgentState> agents() {
        return List.copyOf(agents.values());
    }

    /** Agent → snapshot, for the stage status. */
    public Map<String, Object> snapshot() {
        Map<String, Object> m = new TreeMap<>();
        for (AgentState a : agents.values()) {
            m.put(a.agent(), a.snapshot());
        }
        return m;
    }
}
