package io.caravan.api.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SlotsTest {
    @Test
    void noMoreThanTheCapAreTakenAndAReleasedSlotCanBeTakenAgain() {
        Slots s = new Slots(2);
        assertThat(s.take()).isTrue();
        assertThat(s.take()).isTrue();
        assertThat(s.take()).isFalse();
        s.release();
        assertThat(s.take()).isTrue();
        assertThat(s.taken()).isEqualTo(2);
        assertThat(new Slots(0).take()).isFalse();
        assertThatThrownBy(() -> new Slots(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void threadsRacingForSlotsNeverTakeMoreThanTheCap() throws Exception {
        Slots s = new Slots(100);
        AtomicInteger won = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                tasks.add(pool.submit(() -> {
                    for (int i = 0; i < 1000; i++) {
                        if (s.take()) {
                            won.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : tasks) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(won.get()).isEqualTo(100);
        assertThat(s.taken()).isEqualTo(100);
    }
}
