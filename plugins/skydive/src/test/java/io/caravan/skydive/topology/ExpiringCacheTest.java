package io.caravan.skydive.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.testkit.SettableClock;
import org.junit.jupiter.api.Test;

class ExpiringCacheTest {
    private final SettableClock clock = new SettableClock(0);

    @Test
    void entriesExpireEachAfterTheirOwnTtl() {
        ExpiringCache<String, Integer> cache = new ExpiringCache<>(clock, 10, 1000);
        cache.put("short", 1, 100);
        cache.put("long", 2, 10_000);

        clock.advance(100);

        assertThat(cache.get("short")).isNull();
        assertThat(cache.get("long")).isEqualTo(2);
    }

    @Test
    void theBoundDropsTheLeastRecentlyWrittenAndCountsIt() {
        ExpiringCache<String, Integer> cache = new ExpiringCache<>(clock, 2, 1000);
        cache.put("a", 1, 1000);
        cache.put("b", 2, 1000);
        cache.put("a", 3, 1000);
        cache.put("c", 4, 1000);

        assertThat(cache.snapshot()).containsOnlyKeys("a", "c");
        assertThat(cache.evictions()).isEqualTo(1);
    }

    @Test
    void aSweepFreesExpiredEntriesNobodyReads() {
        ExpiringCache<String, Integer> cache = new ExpiringCache<>(clock, 100, 1000);
        for (int i = 0; i < 50; i++) {
            cache.put("k" + i, i, 10);
        }
        clock.advance(1000);
        cache.put("fresh", 1, 10);

        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.evictions()).isZero();
    }
}
