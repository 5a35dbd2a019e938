package io.caravan.sflow.session;

/**
 * The kinds of per-agent state the stage keeps and budgets, with the {@code kind} tag value of
 * {@code caravan.decoder.state_evictions} and {@code caravan.sflow.state_refusals}.
 */
public enum StateKind {
    /** An agent's own record: counts, errors, its sub-agent and data-source maps. */
    AGENTS("agents", "agents"),
    /** A sub-agent: its datagram sequence tracker and uptime. */
    SUB_AGENTS("sub_agents", "subAgents"),
    /** A data source of one sample kind: its sample sequence tracker, drop counter and latest counters. */
    DATA_SOURCES("data_sources", "dataSources"),
    /**
     * Room for more missing-number ranges in a sequence tracker; refused, the numbers missing so
     * far are counted lost at once instead of waiting to see whether they arrive late.
     */
    MISSING_RANGES("missing_ranges", "missingRanges");

    private final String tag;
    private final String statusKey;

    StateKind(String tag, String statusKey) {
        this.tag = tag;
        this.statusKey = statusKey;
    }

    /** The key in the stage status. */
    public String statusKey() {
        return statusKey;
    }

    /** The metric tag value. */
    public String tag() {
        return tag;
    }
}
