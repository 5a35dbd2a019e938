package io.caravan.skydive.source;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state of one subscription as operators see it: connecting, connected, waiting to reconnect
 * or stopped, since when, and the last error (credentials never appear: errors are made by this
 * plugin's own messages). Thread-safe (one lock, tiny critical sections).
 */
final class ConnectionStatus {
    enum State { STOPPED, CONNECTING, CONNECTED, WAITING }

    private final Clock clock;
    private State state = State.STOPPED;
    private Instant since;
    private String lastError = "";
    private Instant lastErrorAt;
    private Instant nextAttempt;

    ConnectionStatus(Clock clock) {
        this.clock = clock;
        this.since = clock.instant();
    }

    synchronized void set(State s) {
        if (s != state) {
            state = s;
            since = clock.instant();
        }
        if (s != State.WAITING) {
            nextAttempt = null;
        }
    }

    synchronized void waiting(String error, Instant next) {
        set(State.WAITING);
        lastError = error;
        lastErrorAt = clock.instant();
        nextAttempt = next;
    }

    synchronized void error(String error) {
        lastError = error;
        lastErrorAt = clock.instant();
    }

    synchronized State state() {
        return state;
    }

    synchronized String lastError() {
        return lastError;
    }

    synchronized Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
        m.put("since", since.toString());
        m.put("lastError", lastError);
        m.put("lastErrorAt", lastErrorAt == null ? "" : lastErrorAt.toString());
        if (nextAttempt != null) {
            m.put("nextAttempt", nextAttempt.toString());
        }
        return m;
    }
}
