package io.caravan.sflow.session;

import io.caravan.api.sequence.MissingRanges;

/**
 * Estimated heap bytes of each entry of per-agent state, charged to the byte budgets when the
 * entry is created (64-bit JVM, compressed references, 8-byte alignment). Each figure counts the
 * entry's objects and its map node and key, and errs high: measured as the heap growth of 100 000
 * entries after a full GC (JDK 17, default G1), a flow data source took 284 bytes, a counter data
 * source with its latest counters 570, a sub-agent 229 and an agent 527.
 */
public final class StateCost {
    /**
     * An agent: its {@code AgentState} with lock and counters, error counts, the two maps of
     * sub-agents and data sources, its address key and its node in the registry.
     */
    public static final long AGENT = 640;
    /**
     * A sub-agent: its node and key, the entry with its datagram sequence tracker, and room for
     * {@value #INITIAL_RANGES} missing-number ranges.
     */
    public static final long SUB_AGENT = 320;
    /**
     * A data source of flow or discard samples: its node and key, the entry with its sample
     * sequence tracker and drop counter, and room for {@value #INITIAL_RANGES} missing ranges.
     */
    public static final long DATA_SOURCE = 320;
    /** A data source of counter samples: as {@link #DATA_SOURCE}, plus its latest generic and Ethernet counters. */
    public static final long COUNTER_SOURCE = DATA_SOURCE + 176 + 128;
    /** A tracker's missing ranges start with room for this many, and double up to {@value MissingRanges#MAX_RANGES}. */
    public static final int INITIAL_RANGES = 4;
    /** One missing range: start, length and when it went missing (three longs). */
    public static final long RANGE = 24;

    private StateCost() {
    }
}
