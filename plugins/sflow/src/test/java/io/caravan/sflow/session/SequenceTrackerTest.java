package io.caravan.sflow.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.sflow.session.SequenceTracker.Outcome;
import org.junit.jupiter.api.Test;

class SequenceTrackerTest {
    private final SequenceTracker t = new SequenceTracker(10);

    @Test
    void inOrderGapsDuplicatesAndLateArrivals() {
        assertThat(t.observe(100)).isEqualTo(Outcome.FIRST);
        assertThat(t.observe(101)).isEqualTo(Outcome.NEXT);
        assertThat(t.gap()).isZero();
        assertThat(t.observe(105)).isEqualTo(Outcome.GAP);
        assertThat(t.gap()).isEqualTo(3);
        assertThat(t.observe(105)).isEqualTo(Outcome.DUPLICATE);
        assertThat(t.observe(103)).isEqualTo(Outcome.LATE);   // reordered, within the window
        assertThat(t.gap()).isZero();
        assertThat(t.last()).isEqualTo(105);
        assertThat(t.observe(106)).isEqualTo(Outcome.NEXT);
    }

    @Test
    void wrapsModulo2To32() {
        t.observe(0xFFFF_FFFEL);
        assertThat(t.observe(0xFFFF_FFFFL)).isEqualTo(Outcome.NEXT);
        assertThat(t.observe(0)).isEqualTo(Outcome.NEXT);
        assertThat(t.observe(3)).isEqualTo(Outcome.GAP);
        assertThat(t.gap()).isEqualTo(2);
        assertThat(t.observe(0xFFFF_FFFFL)).isEqualTo(Outcome.LATE);
    }

    @Test
    void aJumpBackBeyondTheWindowIsAReset() {
        t.observe(5000);
        assertThat(t.observe(1)).isEqualTo(Outcome.RESET);
        assertThat(t.gap()).isZero();
        assertThat(t.last()).isEqualTo(1);
        assertThat(t.observe(2)).isEqualTo(Outcome.NEXT);
    }

    @Test
    void resetForgetsTheStream() {
        t.observe(7);
        t.reset();
        assertThat(t.last()).isEqualTo(-1);
        assertThat(t.observe(1000)).isEqualTo(Outcome.FIRST);
    }
}
