package io.caravan.skydive.topology;

import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map whose entries expire, each after its own time to live, read from an injected clock, and
 * whose size is bounded: beyond {@code maxEntries} the least recently written entry goes and
 * {@link #evictions()} counts it (an operator sees the bound bite). Expired entries are dropped
 * when read and by a sweep at most once per {@code sweepMs}, so memory follows live entries.
 *
 * <p>Not thread-safe: each owner calls it under its own lock.
 */
public final class ExpiringCache<K, V> {
    private final Clock clock;
    private final int maxEntries;
    private final long sweepMs;
    private final LinkedHashMap<K, Entry<V>> entries = new LinkedHashMap<>();
    private long nextSweep;
    private long evictions;

    private record Entry<V>(V value, long expiresAt) {
    }

    public ExpiringCache(Clock clock, int maxEntries, long sweepMs) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be >= 1");
        }
        this.clock = clock;
        this.maxEntries = maxEntries;
        this.sweepMs = sweepMs;
        this.nextSweep = clock.millis() + sweepMs;
    }

    /** The live value, or null when absent or expired. */
    public V get(K key) {
        Entry<V> e = entries.get(key);
        if (e == null) {
            return null;
        }
        if (e.expiresAt <= clock.millis()) {
            entries.remove(key);
            return null;
        }
        return e.value;
    }

    public void put(K key, V value, long ttlMs) {
        long now = clock.millis();
        sweep(now);
        entries.remove(key);
        entries.put(key, new Entry<>(value, now + ttlMs));
        if (entries.size() > maxEntries) {
            Iterator<K> eldest = entries.keySet().iterator();
            eldest.next();
            eldest.remove();
            evictions++;
        }
    }

    public void remove(K key) {
        entries.remove(key);
    }

    /** Entries held, expired ones not yet swept included. */
    public int size() {
        return entries.size();
    }

    /** Live entries dropped because the cache was full. */
    public long evictions() {
        return evictions;
    }

    public void clear() {
        entries.clear();
    }

    private void sweep(long now) {
        if (now < nextSweep) {
            return;
        }
        nextSweep = now + sweepMs;
        entries.values().removeIf(e -> e.expiresAt <= now);
    }

    /** A read-only view for tests and status: key to value, live entries only. */
    public Map<K, V> snapshot() {
        long now = clock.millis();
        Map<K, V> out = new LinkedHashMap<>();
        entries.forEach((k, e) -> {
            if (e.expiresAt > now) {
                out.put(k, e.value);
            }
        });
        return out;
    }
}
