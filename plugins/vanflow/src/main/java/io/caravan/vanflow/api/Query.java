package io.caravan.vanflow.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Skupper 1.x collection query (spec §3.2): {@code state}, time range, field filters (strings
 * by prefix, numbers exact, repeats OR-ed, dotted keys into nested objects, legacy
 * {@code filter=<field>.<prefix>}), {@code sortBy}, {@code offset}/{@code limit}, and the envelope
 * {@code {results, status, count, timeRangeCount, totalCount}}.
 */
public final class Query {
    /** Default time range: the last 15 minutes. */
    static final long DEFAULT_RANGE_US = 15L * 60 * 1_000_000;
    private static final Set<String> RESERVED = Set.of("offset", "limit", "sortBy", "timeRangeStart", "timeRangeEnd",
            "timeRangeOperation", "state", "filter", "nonce", "includeDeleted", "watch", "vanaddr", "id");
    /** Pair endpoints match these ids exactly (1.x), not by prefix. */
    private static final Set<String> EXACT = Set.of("sourceId", "destinationId");

    private final Map<String, List<String>> params;

    public Query(Map<String, List<String>> params) {
        this.params = params;
    }

    /** Parses a raw query string ({@code a=1&b=x%20y&a=2}); repeated keys keep every value. */
    public static Map<String, List<String>> parse(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String part : raw.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    public String first(String key) {
        List<String> v = params.get(key);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public List<String> all(String key) {
        return params.getOrDefault(key, List.of());
    }

    /** A query that cannot be answered: its reason goes into {@code status} with HTTP 400. */
    public static final class BadQuery extends RuntimeException {
        BadQuery(String message) {
            super(message);
        }
    }

    /** Filters, sorts and pages {@code items}, wrapped in the 1.x envelope. */
    public Map<String, Object> collection(List<Map<String, Object>> items, long nowMicros) {
        long start = number("timeRangeStart", nowMicros - DEFAULT_RANGE_US);
        long end = number("timeRangeEnd", nowMicros);
        String op = first("timeRangeOperation") == null ? "intersects" : first("timeRangeOperation");
        if (!Set.of("intersects", "contains", "within").contains(op)) {
            throw new BadQuery("timeRangeOperation must be intersects, contains or within, got '" + op + "'");
        }
        String state = first("state") == null ? "all" : first("state");
        if (!Set.of("all", "active", "terminated").contains(state)) {
            throw new BadQuery("state must be all, active or terminated, got '" + state + "'");
        }
        long offset = number("offset", 0);
        long limit = number("limit", -1);
        List<Map<String, Object>> kept = new ArrayList<>();
        for (Map<String, Object> item : items) {
            long s = asLong(item.get("startTime"));
            long e = asLong(item.get("endTime"));
            boolean live = e == 0;
            if (state.equals("active") && !live || state.equals("terminated") && live) {
                continue;
            }
            if (!inRange(op, s, e, start, end) || !matches(item)) {
                continue;
            }
            kept.add(item);
        }
        kept.sort(comparator());
        int from = (int) Math.min(Math.max(0, offset), kept.size());
        int to = limit < 0 ? kept.size() : (int) Math.min(kept.size(), from + limit);
        List<Map<String, Object>> page = kept.subList(from, to);
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("results", page);
        env.put("status", "");
        env.put("count", page.size());
        env.put("timeRangeCount", kept.size());
        env.put("totalCount", items.size());
        return env;
    }

    /** One item in the envelope: {@code count} 1, or results null and 0. */
    public static Map<String, Object> item(Map<String, Object> item) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("results", item);
        env.put("status", item == null ? "not found" : "");
        int n = item == null ? 0 : 1;
        env.put("count", n);
        env.put("timeRangeCount", n);
        env.put("totalCount", n);
        return env;
    }

    private static boolean inRange(String op, long s, long e, long start, long end) {
        boolean live = e == 0;
        return switch (op) {
            case "contains" -> s <= start && (live || e >= end);
            case "within" -> s >= start && !live && e <= end;
            default -> s <= end && (live || e >= start);
        };
    }

    private boolean matches(Map<String, Object> item) {
        for (Map.Entry<String, List<String>> p : params.entrySet()) {
            String key = p.getKey();
            if (key.equals("filter")) {
                for (String f : p.getValue()) {
                    int dot = f.indexOf('.');
                    if (dot < 0 || !matchesAny(item, f.substring(0, dot), List.of(f.substring(dot + 1)))) {
                        return false;
                    }
                }
            } else if (!RESERVED.contains(key) && !matchesAny(item, key, p.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesAny(Map<String, Object> item, String key, List<String> wanted) {
        Object v = path(item, key);
        for (String w : wanted) {
            if (matches(v, w, EXACT.contains(key))) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(Object v, String wanted, boolean exact) {
        if (v instanceof Number n) {
            try {
                return Double.parseDouble(wanted) == n.doubleValue();
            } catch (NumberFormatException e) {
                return false;
            }
        }
        if (v instanceof List<?> list) {
            return list.stream().anyMatch(x -> matches(x, wanted, exact));
        }
        if (v == null) {
            return wanted.isEmpty();
        }
        String s = String.valueOf(v);
        return exact ? s.equals(wanted) : s.startsWith(wanted);
    }

    /** The value at a dotted path ({@code forwardFlow.octets}), or null. */
    static Object path(Map<String, Object> item, String dotted) {
        Object v = item;
        for (String part : dotted.split("\\.")) {
            if (!(v instanceof Map<?, ?> m)) {
                return null;
            }
            v = m.get(part);
        }
        return v;
    }

    private Comparator<Map<String, Object>> comparator() {
        String sortBy = first("sortBy") == null ? "identity.asc" : first("sortBy");
        boolean desc = sortBy.endsWith(".desc");
        String field = sortBy.endsWith(".desc") || sortBy.endsWith(".asc")
                ? sortBy.substring(0, sortBy.lastIndexOf('.')) : sortBy;
        Comparator<Map<String, Object>> c = (a, b) -> compare(path(a, field), path(b, field));
        c = c.thenComparing((a, b) -> compare(a.get("identity"), b.get("identity")));
        return desc ? c.reversed() : c;
    }

    private static int compare(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        return String.valueOf(a).compareTo(String.valueOf(b));
    }

    private long number(String key, long dflt) {
        String v = first(key);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new BadQuery(key + " must be an integer, got '" + v + "'");
        }
    }

    static long asLong(Object o) {
        return o instanceof Number n ? n.longValue() : 0L;
    }
}
