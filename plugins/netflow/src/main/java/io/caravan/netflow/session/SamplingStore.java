package io.caravan.netflow.session;

import io.caravan.netflow.map.SamplerRates;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sampling rates and system init times learnt from options data, keyed by exporter <b>address</b> (never port:
 * some exporters send options from another source port than data), version, domain and sampler id. Sampler id
 * -1 is the system scope (an options record naming no sampler). Bounded: past {@code maxEntries} new keys are
 * ignored (known keys still update). Thread-safe.
 */
public final class SamplingStore {
    /** Sampler id of options records that name none (system scope). */
    public static final long SYSTEM = -1;

    /** A rate or init time key; {@code samplerId} is {@link #SYSTEM} for system scope and init times. */
    public record Key(InetAddress exporter, int version, long domain, long samplerId) {
    }

    private final int maxEntries;
    private final ConcurrentHashMap<Key, Long> rates = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Key, Long> sysInit = new ConcurrentHashMap<>();

    public SamplingStore(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** Records a rate announced for a sampler ({@link #SYSTEM} when the options record names none). */
    public void putRate(InetAddress exporter, int version, long domain, long samplerId, long rate) {
        bounded(rates, new Key(exporter, version, domain, samplerId), rate);
    }

    public void putSysInit(InetAddress exporter, int version, long domain, long sysInitMs) {
        bounded(sysInit, new Key(exporter, version, domain, SYSTEM), sysInitMs);
    }

    private void bounded(ConcurrentHashMap<Key, Long> map, Key key, long value) {
        if (map.containsKey(key) || map.size() < maxEntries) {
            map.put(key, value);
        }
    }

    /** Rates by sampler id for one exporter and domain (a lookup per distinct sampler id of a datagram). */
    public SamplerRates rates(InetAddress exporter, int version, long domain) {
        return id -> {
            Long r = rates.get(new Key(exporter, version, domain, id));
            return r == null ? 0 : r;
        };
    }

    /** The rate for records naming no sampler: system scope, else sampler 0; 0 if neither is known. */
    public long systemRate(InetAddress exporter, int version, long domain) {
        Long r = rates.get(new Key(exporter, version, domain, SYSTEM));
        if (r == null) {
            r = rates.get(new Key(exporter, version, domain, 0));
        }
        return r == null ? 0 : r;
    }

    /** systemInitTimeMilliseconds known for the domain, 0 if none. */
    public long sysInit(InetAddress exporter, int version, long domain) {
        Long v = sysInit.get(new Key(exporter, version, domain, SYSTEM));
        return v == null ? 0 : v;
    }

    /** Snapshot of rates: key → rate. */
    public Map<Key, Long> rates() {
        return Map.copyOf(rates);
    }

    /** Snapshot of init times: key → epoch ms. */
    public Map<Key, Long> sysInits() {
        return Map.copyOf(sysInit);
    }

    /** Rates of one exporter address. */
    public List<Map.Entry<Key, Long>> rates(InetAddress exporter) {
        List<Map.Entry<Key, Long>> out = new ArrayList<>();
        rates.forEach((k, v) -> {
            if (java.util.Objects.equals(k.exporter(), exporter)) {
                out.add(Map.entry(k, v));
            }
        });
        return out;
    }
}
