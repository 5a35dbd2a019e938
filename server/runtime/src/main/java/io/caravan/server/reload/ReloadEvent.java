package io.caravan.server.reload;

import java.time.Instant;
import java.util.List;

/**
 * One reload outcome, for the log and the admin API.
 *
 * @param kind    "routes" or "plugin"
 * @param target  the file name
 * @param action  what was attempted: added, replaced, removed, loaded, unloaded, retried
 * @param outcome ok, rejected (old state kept) or failed (nothing from the target is running)
 * @param routes  the routes of the target now running
 * @param error   the error text, or null
 */
public record ReloadEvent(Instant time, String kind, String target, String action, String outcome,
                          List<String> routes, String error) {
    public static final String OK = "ok";
    public static final String REJECTED = "rejected";
    public static final String FAILED = "failed";
}
