package io.caravan.vanflow.api;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The collector's config keys, read from the server's properties.
 *
 * @param ttl        {@code caravan.vanflow.record.ttl}: how long ended records are kept (default 15m)
 * @param maxRecords {@code caravan.vanflow.max.records}: the most records held
 * @param users      {@code caravan.vanflow.api.users}: Basic-auth users of the REST API; empty = open
 * @param cors       {@code caravan.vanflow.api.cors.origins}: origins whose pages may read it (see {@link Cors})
 */
public record VanFlowSettings(Duration ttl, int maxRecords, String users, Cors cors) {
    public static final String TTL = "caravan.vanflow.record.ttl";
    public static final String MAX_RECORDS = "caravan.vanflow.max.records";
    public static final String USERS = "caravan.vanflow.api.users";
    public static final String CORS_ORIGINS = "caravan.vanflow.api.cors.origins";

    /** Reads the keys through {@code property} (null or empty = unset). */
    public static VanFlowSettings read(UnaryOperator<String> property, Duration defaultTtl, int defaultMax) {
        String ttl = property.apply(TTL);
        String max = property.apply(MAX_RECORDS);
        int maxRecords;
        try {
            maxRecords = max == null || max.isBlank() ? defaultMax : Integer.parseInt(max.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(MAX_RECORDS + " must be a whole number, got '" + max + "'");
        }
        String users = property.apply(USERS);
        return new VanFlowSettings(ttl == null || ttl.isBlank() ? defaultTtl : duration(ttl.trim()), maxRecords,
                users == null ? "" : users, new Cors(property.apply(CORS_ORIGINS)));
    }

    /** {@code 15m}, {@code 900s}, {@code 1h}, a bare number of seconds, or ISO-8601 ({@code PT15M}). */
    static Duration duration(String v) {
        try {
            String s = v.toLowerCase(Locale.ROOT);
            if (s.startsWith("pt") || s.startsWith("p")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            long n = Long.parseLong(s.replaceAll("[smh]$", ""));
            return switch (s.charAt(s.length() - 1)) {
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(TTL + " must be a duration like 15m, 900s or PT15M, got '" + v + "'");
        }
    }
}
