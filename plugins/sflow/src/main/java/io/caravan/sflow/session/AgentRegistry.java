package io.caravan.sflow.session;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agents tracked, at most {@code maxAgents} (a spoofed or churning source cannot grow memory
 * without bound): an agent beyond the cap is decoded and counted in metrics, but has no state,
 * loss tracking or status entry; its datagrams are counted as untracked. Thread-safe.
 */
public final class AgentRegistry {
    private final int maxAgents;
    private final ConcurrentHashMap<String, AgentState> agents = new ConcurrentHashMap<>();
    private final AtomicLong untrackedDatagrams = new AtomicLong();

    public AgentRegistry(int maxAgents) {
        if (maxAgents < 0) {
            throw new IllegalArgumentException("maxAgents must be >= 0");
        }
        this.maxAgents = maxAgents;
    }

    /** The agent's state, created on first sight, or null (and counted) when the cap is reached. */
    public AgentState get(String agent) {
        AgentState s = agents.get(agent);
        if (s != null) {
            return s;
        }
        if (agents.size() >= maxAgents) {
            untrackedDatagrams.incrementAndGet();
            return null;
        }
        return agents.computeIfAbsent(agent, AgentState::new);
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
