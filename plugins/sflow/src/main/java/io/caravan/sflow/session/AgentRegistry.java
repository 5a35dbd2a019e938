package io.caravan.sflow.session;

import io.caravan.api.limit.Slots;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agents tracked, at most {@code maxAgents} (a spoofed or churning source cannot grow memory
 * without bound): an agent beyond the cap is decoded and counted in metrics, but has no state,
 * loss tracking or status entry; its datagrams are counted as untracked. The cap is exact: a slot
 * is reserved before a state is created, and freed when an idle agent is forgotten. Thread-safe.
 */
public final class AgentRegistry {
    private final Slots slots;
    private final ConcurrentHashMap<String, AgentState> agents = new ConcurrentHashMap<>();
    private final AtomicLong untrackedDatagrams = new AtomicLong();

    public AgentRegistry(int maxAgents) {
        this.slots = new Slots(maxAgents);
    }

    /** The agent's state, created on first sight, or null (and counted) when the cap is reached. */
    public AgentState get(String agent) {
        AgentState s = agents.get(agent);
        if (s != null) {
            return s;
        }
        // A null from the mapping function leaves the key absent.
        s = agents.computeIfAbsent(agent, a -> slots.take() ? new AgentState(a) : null);
        if (s == null) {
            untrackedDatagrams.incrementAndGet();
        }
        return s;
    }

    /** Forgets agents whose last datagram arrived before {@code cutoffMs}, freeing their slots; returns how many. */
    public int forgetIdle(long cutoffMs) {
        int n = 0;
        for (AgentState a : agents.values()) {
            long last = a.lastReceivedMs();
            // 0: created by get() but its first datagram not yet accounted; never idle.
            if (last != 0 && last < cutoffMs && agents.remove(a.agent(), a)) {
                slots.release();
                n++;
            }
        }
        return n;
    }

    public int maxAgents() {
        return slots.max();
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
        Map<String, Object> m = new java.util.TreeMap<>();
        for (AgentState a : agents.values()) {
            m.put(a.agent(), a.snapshot());
        }
        return m;
    }
}
