package io.caravan.netflow.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceTrackerTest {
    @Test
    void gapsReorderAndRestart() {
        SequenceTracker t = new SequenceTracker(10, 1000);
        assertThat(t.observe(100, 5)).isZero();      // first: sync, expect 105
        assertThat(t.observe(105, 5)).isZero();      // expect 110
        assertThat(t.observe(113, 1)).isEqualTo(3);  // expect 114
        assertThat(t.observe(111, 1)).isZero();      // 3 behind: reordered
        assertThat(t.reordered()).isEqualTo(1);
        assertThat(t.observe(114, 1)).isZero();
        assertThat(t.observe(5_000, 1)).isZero();    // jump >= 1000 forward: restart
        assertThat(t.observe(4_000, 1)).isZero();    // far behind: restart
        assertThat(t.restarts()).isEqualTo(2);
        assertThat(t.observe(4_002, 1)).isEqualTo(1);
        assertThat(t.gaps()).isEqualTo(4);
    }

    @Test
    void wrapsModulo2Pow32() {
        SequenceTracker t = new SequenceTracker(10, 1000);
        t.observe(0xFFFFFFFEL, 1);
        assertThat(t.observe(0xFFFFFFFFL, 1)).isZero();
        assertThat(t.observe(3, 1)).isEqualTo(3);
    }

    @Test
    void resyncForgetsTheExpectation() {
        SequenceTracker t = new SequenceTracker(10, 1000);
        t.observe(1, 1);
        t.resync();
        assertThat(t.observe(500, 1)).isZero();
        assertThat(t.observe(501, 1)).isZero();
    }
}
