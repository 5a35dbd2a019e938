package io.caravan.api.plugin;

import java.util.Map;
import java.util.Optional;

/**
 * Implemented by a contributed component's endpoint that has state an operator needs to see: a
 * connection to an analyzer or a broker, a database that is away, a spool, the last error. The
 * runtime lists it under {@code GET /admin/endpoints} with its route, and a {@link #degraded}
 * reason makes readiness DEGRADED (still serving). Called from the admin thread: return a
 * snapshot, cheap, never holding a lock the data path holds for long, and never a credential.
 */
public interface EndpointStatus {

    /** JSON-friendly values (maps, lists, strings, numbers, booleans). */
    Map<String, Object> status();

    /** Why the endpoint works below par now (disconnected, retrying, spooling), or empty. */
    default Optional<String> degraded() {
        return Optional.empty();
    }
}
