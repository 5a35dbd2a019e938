package io.caravan.api.stage;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the distinct values of a metric label (exporter addresses, say): the first
 * {@code limit} values seen keep their own label, every later one folds into {@code other}, so a
 * spoofed or churning source cannot grow the metrics without bound. Thread-safe.
 */
public final class LabelCap {
    public static final String OTHER = "other";

    private final int limit;
    private final ConcurrentHashMap<String, Boolean> admitted = new ConcurrentHashMap<>();

    public LabelCap(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0");
        }
        this.limit = limit;
    }

    /** The label to use for {@code value}: itself while fewer than the limit are admitted, else {@code other}. */
    public String label(String value) {
        if (admitted.containsKey(value)) {
            return value;
        }
        synchronized (this) {
            if (admitted.containsKey(value)) {
                return value;
            }
            if (admitted.size() < limit) {
                admitted.put(value, Boolean.TRUE);
                return value;
            }
        }
        return OTHER;
    }
}
