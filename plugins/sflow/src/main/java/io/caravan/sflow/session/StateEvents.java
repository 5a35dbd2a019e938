package io.caravan.sflow.session;

/** What the agent state tells its owner about its bounds, for metrics, logs and {@code degraded()}. Thread-safe. */
public interface StateEvents {

    /** The bounds on state, named as the stage options that set them. */
    enum Bound {
        MAX_AGENTS("maxAgents"),
        MAX_STATE_BYTES("maxStateBytes"),
        MAX_AGENT_STATE_BYTES("maxAgentStateBytes");

        private final String option;

        Bound(String option) {
            this.option = option;
        }

        /** The stage option that sets this bound. */
        public String option() {
            return option;
        }
    }

    /** {@code n} entries of {@code kind} were evicted, idle and least recently used first, to make room. */
    void evicted(StateKind kind, long n);

    /**
     * New state of {@code kind} for {@code agent} was refused: {@code bound} is reached and nothing
     * idle could be evicted. Called on the data path: record, do not format.
     */
    void refused(StateKind kind, Bound bound, String agent);

    /** Events that go nowhere, for tests and tools. */
    StateEvents NONE = new StateEvents() {
        @Override
        public void evicted(StateKind kind, long n) {
        }

        @Override
        public void refused(StateKind kind, Bound bound, String agent) {
        }
    };
}
