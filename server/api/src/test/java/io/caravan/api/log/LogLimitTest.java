package io.caravan.api.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LogLimitTest {

    @Test
    void theFirstCallPassesAndLaterOnesWithinTheIntervalDoNot() {
        LogLimit limit = new LogLimit(60_000);

        assertThat(limit.allow()).isTrue();
        for (int i = 0; i < 1000; i++) {
            assertThat(limit.allow()).isFalse();
        }
        assertThat(limit.intervalSeconds()).isEqualTo(60);
    }

    @Test
    void aCallAfterTheIntervalPassesAgain() {
        LogLimit limit = new LogLimit(50);
        assertThat(limit.allow()).isTrue();

        await().atMost(Duration.ofSeconds(5)).until(limit::allow);
        assertThat(limit.allow()).isFalse();
    }

    @Test
    void manyThreadsAtOnceGetOnePassBetweenThem() throws Exception {
        LogLimit limit = new LogLimit(60_000);
        AtomicInteger passed = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 10_000; i++) {
                    if (limit.allow()) {
                        passed.incrementAndGet();
                    }
                }
            });
            threads[t].start();
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }

        assertThat(passed.get()).isEqualTo(1);
    }
}
