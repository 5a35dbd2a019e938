package io.caravan.vanflow.api;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The origins of {@code caravan.vanflow.api.cors.origins} whose browser pages may read the REST API
 * (a Skupper console served from another host; Skupper's collector offers the same with
 * {@code USE_CORS}): empty is none, {@code *} any, else a comma-separated list such as
 * {@code https://console.example.com,http://localhost:3000}. A listed origin may send credentials
 * (Basic auth); {@code *} may not, as browsers require.
 */
public final class Cors {
    /** What a preflight answers: the API is read-only. */
    static final String METHODS = "GET, HEAD, OPTIONS";
    static final String HEADERS = "Authorization, Content-Type";
    static final String MAX_AGE_SECONDS = "600";

    private final boolean any;
    private final Set<String> origins = new LinkedHashSet<>();

    public Cors(String spec) {
        String s = spec == null ? "" : spec.trim();
        this.any = s.equals("*");
        if (any || s.isEmpty()) {
            return;
        }
        for (String entry : s.split(",")) {
            String o = strip(entry.trim());
            if (!o.matches("https?://[^/?#\\s]+")) {
                throw new IllegalArgumentException(VanFlowSettings.CORS_ORIGINS + ": '" + entry.trim()
                        + "' is not an origin such as https://console.example.com (or use * for any)");
            }
            origins.add(o.toLowerCase(Locale.ROOT));
        }
    }

    private static String strip(String origin) {
        return origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
    }

    public boolean off() {
        return !any && origins.isEmpty();
    }

    /** The value of Access-Control-Allow-Origin for a request from {@code origin}, or null when it may not read. */
    String allow(String origin) {
        if (origin == null || origin.isBlank()) {
            return null;
        }
        if (any) {
            return "*";
        }
        return origins.contains(strip(origin.trim()).toLowerCase(Locale.ROOT)) ? origin.trim() : null;
    }

    /** Whether credentials may go with a cross-origin request: only to origins named one by one. */
    boolean credentials() {
        return !any;
    }

    @Override
    public String toString() {
        return off() ? "no cross-origin reads" : any ? "cross-origin reads from any origin"
                : "cross-origin reads from " + String.join(", ", origins);
    }
}
