package io.caravan.skydive.transform;

import io.caravan.skydive.topology.ExpiringCache;
import java.time.Clock;

/**
 * How many times each flow UUID was seen before, with the exporter's expiry rules: a flow that
 * ended by TIMEOUT is forgotten at once, one that ended otherwise is kept 1 min (late duplicates
 * still count on), an open flow 10 min after its last sighting (the agent expires idle flows after
 * 10 min). Bounded: beyond {@code maxEntries} the least recently seen UUID goes, counted in
 * {@link #evictions()}. Not thread-safe.
 */
final class UpdateCounts {
    static final long OPEN_TTL_MS = 10 * 60_000L;
    static final long FINISHED_TTL_MS = 60_000L;

    private final ExpiringCache<String, Long> counts;

    UpdateCounts(Clock clock, int maxEntries) {
        this.counts = new ExpiringCache<>(clock, maxEntries, 60_000);
    }

    /** Records one sighting and returns the number of earlier ones. */
    long sighting(String uuid, FinishType finish) {
        Long before = counts.get(uuid);
        long count = before == null ? 0 : before;
        switch (finish) {
            case TIMEOUT -> counts.remove(uuid);
            case NOT_FINISHED -> counts.put(uuid, count + 1, OPEN_TTL_MS);
            default -> counts.put(uuid, count + 1, FINISHED_TTL_MS);
        }
        return count;
    }

    int size() {
        return counts.size();
    }

    long evictions() {
        return counts.evictions();
    }

    void clear() {
        counts.clear();
    }
}
