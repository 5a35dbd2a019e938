package io.caravan.sflow.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.sequence.MissingRanges;
import io.caravan.sflow.session.SequenceTracker.Outcome;
import org.junit.jupiter.api.Test;

class SequenceTrackerTest {
    private static final long NOW = 1_700_000_000_000L;

    private final SequenceTracker t = new SequenceTracker(10);

    /** Observes {@code from..to} in order; returns the numbers they made lost. */
    private long inOrder(long from, long to) {
        long lost = 0;
        for (long seq = from; seq <= to; seq++) {
            t.observe(seq, NOW);
            lost += t.lost();
        }
        return lost;
    }

    @Test
    void inOrderGapsDuplicatesAndLateArrivals() {
        assertThat(t.observe(100, NOW)).isEqualTo(Outcome.FIRST);
        assertThat(t.observe(101, NOW)).isEqualTo(Outcome.NEXT);
        assertThat(t.gap()).isZero();
        assertThat(t.observe(105, NOW)).isEqualTo(Outcome.GAP);
        assertThat(t.gap()).isEqualTo(3);
        assertThat(t.lost()).isZero();                        // missing, not yet lost
        assertThat(t.pending()).isEqualTo(3);
        assertThat(t.observe(105, NOW)).isEqualTo(Outcome.DUPLICATE);
        assertThat(t.observe(103, NOW)).isEqualTo(Outcome.LATE);   // reordered, within the window
        assertThat(t.gap()).isZero();
        assertThat(t.pending()).isEqualTo(2);
        assertThat(t.last()).isEqualTo(105);
        assertThat(t.observe(106, NOW)).isEqualTo(Outcome.NEXT);
    }

    @Test
    void anInOrderStreamLosesNothing() {
        assertThat(inOrder(0, 1_000)).isZero();
        assertThat(t.pending()).isZero();
    }

    @Test
    void aMissingNumberIsLostOnceTheNewestIsMoreThanTheWindowPastIt() {
        t.observe(1, NOW);
        t.observe(4, NOW);                                         // 2, 3 missing
        assertThat(inOrder(5, 12)).isZero();                  // 2 is 10 behind 12: may still come
        assertThat(t.pending()).isEqualTo(2);
        t.observe(13, NOW);
        assertThat(t.lost()).isEqualTo(1);                    // 2 is 11 behind
        t.observe(14, NOW);
        assertThat(t.lost()).isEqualTo(1);                    // and 3
        assertThat(t.pending()).isZero();
    }

    @Test
    void aLateNumberFillsItsGapAndNothingIsLost() {
        t.observe(1, NOW);
        t.observe(3, NOW);
        assertThat(t.observe(2, NOW)).isEqualTo(Outcome.LATE);
        assertThat(t.lost()).isZero();
        assertThat(inOrder(4, 100)).isZero();
        assertThat(t.pending()).isZero();
    }

    @Test
    void aDuplicateOfAReceivedNumberFillsNothing() {
        t.observe(1, NOW);
        t.observe(2, NOW);
        t.observe(5, NOW);                                         // 3, 4 missing
        assertThat(t.observe(2, NOW)).isEqualTo(Outcome.LATE);     // received already
        assertThat(t.observe(5, NOW)).isEqualTo(Outcome.DUPLICATE);
        assertThat(t.pending()).isEqualTo(2);
        assertThat(inOrder(6, 20)).isEqualTo(2);
    }

    @Test
    void overflowingTheMissingRangesReportsTheOldestLost() {
        SequenceTracker w = new SequenceTracker(10_000);
        w.observe(0, NOW);
        for (int k = 0; k < MissingRanges.MAX_RANGES; k++) {
            w.observe(4L * k + 4, NOW);                            // 4k+1 .. 4k+3 missing
            assertThat(w.lost()).isZero();
        }
        assertThat(w.observe(262, NOW)).isEqualTo(Outcome.GAP);    // 257..261 missing: evicts 1..3
        assertThat(w.lost()).isEqualTo(3);
        assertThat(w.observe(6, NOW)).isEqualTo(Outcome.LATE);     // splits 5..7 into 5 and 7: evicts 5
        assertThat(w.lost()).isEqualTo(1);
        assertThat(w.pending()).isEqualTo(3L * MissingRanges.MAX_RANGES + 5 - 1 - 4); // new, filled, evicted
    }

    @Test
    void aResetReportsWhatIsStillMissing() {
        t.observe(1, NOW);
        t.observe(4, NOW);                                         // 2, 3 missing
        assertThat(t.observe(5000, NOW)).isEqualTo(Outcome.GAP);   // forward: 5..4999 missing, all but 10 lost at once
        assertThat(t.lost()).isEqualTo(2 + 4995 - 10);
        assertThat(t.observe(1, NOW)).isEqualTo(Outcome.RESET);
        assertThat(t.lost()).isEqualTo(10);
        t.observe(3, NOW);                                         // 2 missing
        assertThat(t.reset()).isEqualTo(1);
        assertThat(t.pending()).isZero();
    }

    @Test
    void wrapsModulo2To32() {
        t.observe(0xFFFF_FFFEL, NOW);
        assertThat(t.observe(0xFFFF_FFFFL, NOW)).isEqualTo(Outcome.NEXT);
        assertThat(t.observe(0, NOW)).isEqualTo(Outcome.NEXT);
        assertThat(t.observe(3, NOW)).isEqualTo(Outcome.GAP);
        assertThat(t.gap()).isEqualTo(2);
        assertThat(t.observe(0xFFFF_FFFFL, NOW)).isEqualTo(Outcome.LATE); // received already
        assertThat(t.observe(1, NOW)).isEqualTo(Outcome.LATE);            // fills 1
        assertThat(t.pending()).isEqualTo(1);
        assertThat(inOrder(4, 12)).isZero();                         // 2 is 10 behind
        assertThat(inOrder(13, 13)).isEqualTo(1);
    }

    @Test
    void classifyChangesNothing() {
        t.observe(1, NOW);
        t.observe(4, NOW);
        assertThat(t.classify(2)).isEqualTo(Outcome.LATE);
        assertThat(t.classify(9)).isEqualTo(Outcome.GAP);
        assertThat(t.pending()).isEqualTo(2);
        assertThat(t.last()).isEqualTo(4);
    }

    @Test
    void aJumpBackBeyondTheWindowIsAReset() {
        t.observe(5000, NOW);
        assertThat(t.observe(1, NOW)).isEqualTo(Outcome.RESET);
        assertThat(t.gap()).isZero();
        assertThat(t.last()).isEqualTo(1);
        assertThat(t.observe(2, NOW)).isEqualTo(Outcome.NEXT);
    }

    @Test
    void resetForgetsTheStream() {
        t.observe(7, NOW);
        t.reset();
        assertThat(t.last()).isEqualTo(-1);
        assertThat(t.observe(1000, NOW)).isEqualTo(Outcome.FIRST);
    }

    @Test
    void aNumberMissingForTheMaximumWaitIsLostAtTheNextNumberWhateverTheWindow() {
        SequenceTracker t = new SequenceTracker();
        t.observe(1, NOW);
        t.observe(3, NOW);                                    // 2 missing
        t.observe(4, NOW + MissingRanges.MAX_WAIT_MS - 1);
        assertThat(t.lost()).isZero();
        assertThat(t.pending()).isEqualTo(1);
        // Counter samples come every 30 s: the next one says 2 is lost, not 256 samples (2 hours) later.
        t.observe(5, NOW + 30_000);
        assertThat(t.lost()).isEqualTo(1);
        assertThat(t.pending()).isZero();
    }
}
