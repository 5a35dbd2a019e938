package io.caravan.netflow.session;

import io.caravan.netflow.map.SamplerRates;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sampling rates and system init times learnt from options data, keyed by exporter <b>address</b> (never port:
 * some exporters send options from another source port than data), version, domain and sampler id. Sampler id
 * -1 is the system scope (an options record naming no sampler).
 *
 * <p>Bounded: at most {@code maxPerAddress} keys per exporter address and {@code maxEntries} in all (rates and init
 * times together); past either, new keys are ignored while known keys still update. Values not announced again
 * within the stage's template timeout are forgotten by {@link #expire} (options data is re-sent with the templates),
 * so keys of sources that went away make room again. Lookups are lock-free; writes, rare (options data), take one
 * lock. Thread-safe.
 */
public final class SamplingStore {
    /** Sampler id of options records that name none (system scope). */
    public static final long SYSTEM = -1;
    /** Keys one exporter address may hold: far more sampler ids and domains than any real exporter uses. */
    public static final int MAX_PER_ADDRESS = 256;
    /** Keys in all, about 10 MiB at most. */
    public static final int MAX_ENTRIES = 65_536;

    /** A rate or init time key; {@code samplerId} is {@link #SYSTEM} for system scope and init times. */
    public record Key(InetAddress exporter, int version, long domain, long samplerId) {
    }

    private record Value(long value, long seenMs) {
    }

    private final Clock clock;
    private final int maxEntries;
    private final int maxPerAddress;
    private final ConcurrentHashMap<Key, Value> rates = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Key, Value> sysInit = new ConcurrentHashMap<>();
    /** Stands for the null address (datagrams without a sender) in {@link #perAddress}, which takes no null key. */
    private static final Object NO_ADDRESS = new Object();

    /**
     * Keys per address ({@link #NO_ADDRESS} for datagrams without a sender); changed under this lock, read without
     * it: the lookups of an address that has none skip the maps (and their keys) altogether.
     */
    private final ConcurrentHashMap<Object, Integer> perAddress = new ConcurrentHashMap<>();

    public SamplingStore(Clock clock, int maxEntries, int maxPerAddress) {
        this.clock = clock;
        this.maxEntries = maxEntries;
        this.maxPerAddress = maxPerAddress;
    }

    /** Records a rate announced for a sampler ({@link #SYSTEM} when the options record names none). */
    public void putRate(InetAddress exporter, int version, long domain, long samplerId, long rate) {
        bounded(rates, new Key(exporter, version, domain, samplerId), rate);
    }

    public void putSysInit(InetAddress exporter, int version, long domain, long sysInitMs) {
        bounded(sysInit, new Key(exporter, version, domain, SYSTEM), sysInitMs);
    }

    private synchronized void bounded(ConcurrentHashMap<Key, Value> map, Key key, long value) {
        Value v = new Value(value, clock.millis());
        if (map.containsKey(key)) {
            map.put(key, v);
            return;
        }
        int n = perAddress.getOrDefault(address(key.exporter()), 0);
        if (n < maxPerAddress && rates.size() + sysInit.size() < maxEntries) {
            map.put(key, v);
            perAddress.put(address(key.exporter()), n + 1);
        }
    }

    /** Forgets values not announced again within {@code timeoutMs} (0 keeps them); returns how many. */
    public synchronized int expire(long timeoutMs) {
        if (timeoutMs <= 0) {
            return 0;
        }
        long now = clock.millis();
        int n = 0;
        for (ConcurrentHashMap<Key, Value> map : List.of(rates, sysInit)) {
            var it = map.entrySet().iterator();
            while (it.hasNext()) {
                var m = it.next();
                if (now - m.getValue().seenMs() > timeoutMs) {
                    it.remove();
                    perAddress.computeIfPresent(address(m.getKey().exporter()), (a, c) -> c > 1 ? c - 1 : null);
                    n++;
                }
            }
        }
        return n;
    }

    /** Rates by sampler id for one exporter and domain (a lookup per distinct sampler id of a datagram). */
    public SamplerRates rates(InetAddress exporter, int version, long domain) {
        if (!known(exporter)) {
            return SamplerRates.NONE;
        }
        return id -> {
            Value r = rates.get(new Key(exporter, version, domain, id));
            return r == null ? 0 : r.value();
        };
    }

    /** The rate for records naming no sampler: system scope, else sampler 0; 0 if neither is known. */
    public long systemRate(InetAddress exporter, int version, long domain) {
        if (!known(exporter)) {
            return 0;
        }
        Value r = rates.get(new Key(exporter, version, domain, SYSTEM));
        if (r == null) {
            r = rates.get(new Key(exporter, version, domain, 0));
        }
        return r == null ? 0 : r.value();
    }

    /** systemInitTimeMilliseconds known for the domain, 0 if none. */
    public long sysInit(InetAddress exporter, int version, long domain) {
        if (!known(exporter)) {
            return 0;
        }
        Value v = sysInit.get(new Key(exporter, version, domain, SYSTEM));
        return v == null ? 0 : v.value();
    }

    /** Whether any rate or init time of this address is held. */
    private boolean known(InetAddress exporter) {
        return perAddress.containsKey(address(exporter));
    }

    private static Object address(InetAddress exporter) {
        return exporter == null ? NO_ADDRESS : exporter;
    }

    /** Keys held, rates and init times together. */
    public int size() {
        return rates.size() + sysInit.size();
    }

    /** Snapshot of rates: key → rate. */
    public Map<Key, Long> rates() {
        return values(rates);
    }

    /** Snapshot of init times: key → epoch ms. */
    public Map<Key, Long> sysInits() {
        return values(sysInit);
    }

    private static Map<Key, Long> values(Map<Key, Value> map) {
        Map<Key, Long> out = new HashMap<>();
        map.forEach((k, v) -> out.put(k, v.value()));
        return out;
    }

    /** Rates of one exporter address. */
    public List<Map.Entry<Key, Long>> rates(InetAddress exporter) {
        List<Map.Entry<Key, Long>> out = new ArrayList<>();
        rates.forEach((k, v) -> {
            if (Objects.equals(k.exporter(), exporter)) {
                out.add(Map.entry(k, v.value()));
            }
        });
        return out;
    }
}
