package io.caravan.vanflow.state;

import java.util.HashMap;
import java.util.Map;

/**
 * One record as the collector holds it: the merge of every delta received for its identity.
 * Guarded by the {@link CollectorState}'s lock; never handed out.
 */
final class StoredRecord {
    final int type;
    final String identity;
    final String source;
    /** Collector clock (ms) when the identity was first seen. */
    final long firstSeenMs;
    final Map<Integer, Object> attributes = new HashMap<>();
    /** Collector clock (ms) when the record ended; 0 while live. Ages out from here. */
    long endedAtMs;
    boolean purged;

    StoredRecord(int type, String identity, String source, long firstSeenMs) {
        this.type = type;
        this.identity = identity;
        this.source = source;
        this.firstSeenMs = firstSeenMs;
    }

    String str(int code) {
        Object v = attributes.get(code);
        return v == null ? null : String.valueOf(v);
    }

    long num(int code) {
        return attributes.get(code) instanceof Number n ? n.longValue() : 0L;
    }

    Long numOrNull(int code) {
        return attributes.get(code) instanceof Number n ? n.longValue() : null;
    }

    String parent() {
        return str(Codes.PARENT);
    }

    long startTime() {
        return num(Codes.START_TIME);
    }

    /** END_TIME in µs; 0 (also the 1.x controller's explicit 0) means live. */
    long endTime() {
        return num(Codes.END_TIME);
    }

    boolean ended() {
        return endTime() > 0;
    }
}
