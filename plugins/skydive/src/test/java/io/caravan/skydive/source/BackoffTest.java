package io.caravan.skydive.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesPerFailureUpToTheCapAndStartsAgainAfterAReset() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));

        assertThat(b.next(false)).isEqualTo(Duration.ofMillis(100));
        assertThat(b.next(false)).isEqualTo(Duration.ofMillis(200));
        assertThat(b.next(false)).isEqualTo(Duration.ofMillis(400));
        assertThat(b.next(false)).isEqualTo(Duration.ofMillis(800));
        assertThat(b.next(false)).isEqualTo(Duration.ofSeconds(1));
        for (int i = 0; i < 100; i++) {
            assertThat(b.next(false)).isEqualTo(Duration.ofSeconds(1));
        }
        b.reset();
        assertThat(b.next(false)).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void refusedCredentialsWaitTheCapAtOnce() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(60));

        assertThat(b.next(true)).isEqualTo(Duration.ofSeconds(60));
        assertThat(b.next(true)).isEqualTo(Duration.ofSeconds(60));
    }
}
