package io.caravan.api.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceTrackerTest {
    private static final long NOW = 1_700_000_000_000L;

    private final SequenceTracker t = new SequenceTracker(10, 1000);

    @Test
    void gapsReorderAndRestart() {
        assertThat(t.observe(100, 5, NOW)).isZero();      // first: sync, expect 105
        assertThat(t.observe(105, 5, NOW)).isZero();      // expect 110
        assertThat(t.observe(113, 1, NOW)).isZero();      // 110..112 missing, expect 114
        assertThat(t.pending()).isEqualTo(3);
        assertThat(t.observe(111, 1, NOW)).isZero();      // 3 behind: reordered, fills 111
        assertThat(t.reordered()).isEqualTo(1);
        assertThat(t.pending()).isEqualTo(2);
        assertThat(t.observe(114, 1, NOW)).isZero();
        assertThat(t.observe(5_000, 1, NOW)).isEqualTo(2); // jump >= 1000 forward: restart, 110 and 112 lost
        assertThat(t.observe(4_000, 1, NOW)).isZero();    // far behind: restart
        assertThat(t.restarts()).isEqualTo(2);
        assertThat(t.observe(4_002, 1, NOW)).isZero();    // 4001 missing
        assertThat(t.gaps()).isEqualTo(2);
        assertThat(t.pending()).isEqualTo(1);
    }

    @Test
    void anInOrderStreamLosesNothing() {
        long lost = 0;
        for (long seq = 0; seq < 1_000; seq += 7) {
            lost += t.observe(seq, 7, NOW);
        }
        assertThat(lost).isZero();
        assertThat(t.gaps()).isZero();
        assertThat(t.pending()).isZero();
        assertThat(t.reordered()).isZero();
    }

    @Test
    void aLossCountsOnceTheStreamIsMoreThanTheWindowPastIt() {
        t.observe(100, 1, NOW);                           // expect 101
        assertThat(t.observe(103, 1, NOW)).isZero();      // 101, 102 missing; expect 104
        for (long seq = 104; seq <= 110; seq++) {
            assertThat(t.observe(seq, 1, NOW)).isZero();  // up to expect 111: 101 is 10 behind, may still come
        }
        assertThat(t.pending()).isEqualTo(2);
        assertThat(t.observe(111, 1, NOW)).isEqualTo(1);  // expect 112: 101 is 11 behind, lost
        assertThat(t.observe(112, 1, NOW)).isEqualTo(1);  // expect 113: 102 too
        assertThat(t.gaps()).isEqualTo(2);
        assertThat(t.pending()).isZero();
    }

    @Test
    void aLateDatagramFillsItsGapAndNothingIsLost() {
        t.observe(1, 1, NOW);
        assertThat(t.observe(3, 1, NOW)).isZero();
        assertThat(t.observe(2, 1, NOW)).isZero();
        for (long seq = 4; seq < 100; seq++) {
            assertThat(t.observe(seq, 1, NOW)).isZero();
        }
        assertThat(t.gaps()).isZero();
        assertThat(t.reordered()).isEqualTo(1);
        assertThat(t.pending()).isZero();
    }

    @Test
    void lateDatagramsFillOnlyTheUnitsTheyCarry() {
        SequenceTracker w = new SequenceTracker(100, 1000);
        w.observe(100, 10, NOW);                          // expect 110
        assertThat(w.observe(140, 10, NOW)).isZero();     // 110..139 missing
        assertThat(w.observe(120, 5, NOW)).isZero();      // fills 120..124: 110..119 and 125..139 left
        assertThat(w.pending()).isEqualTo(25);
        assertThat(w.observe(110, 3, NOW)).isZero();      // fills 110..112
        assertThat(w.pending()).isEqualTo(22);
        assertThat(w.observe(118, 10, NOW)).isZero();     // fills 118, 119 and 125..127 (120..124 came already)
        assertThat(w.pending()).isEqualTo(17);
        assertThat(w.reordered()).isEqualTo(3);
        assertThat(w.observe(150, 200, NOW)).isEqualTo(17); // expect 350: everything missing is past the window
        assertThat(w.gaps()).isEqualTo(17);
    }

    @Test
    void aDuplicateFillsNothing() {
        t.observe(1, 1, NOW);
        t.observe(2, 1, NOW);
        t.observe(5, 1, NOW);                             // 3, 4 missing
        assertThat(t.observe(2, 1, NOW)).isZero();        // duplicate of a received datagram
        assertThat(t.observe(5, 1, NOW)).isZero();        // and of the newest
        assertThat(t.reordered()).isEqualTo(2);
        assertThat(t.pending()).isEqualTo(2);
        assertThat(t.observe(6, 20, NOW)).isEqualTo(2);   // expect 26: 3 and 4 lost
    }

    @Test
    void overflowingTheMissingRangesCountsTheOldestLost() {
        SequenceTracker w = new SequenceTracker(10_000, 100_000);
        w.observe(0, 1, NOW);                             // expect 1
        for (int k = 0; k < MissingRanges.MAX_RANGES; k++) {
            assertThat(w.observe(4L * k + 4, 1, NOW)).isZero(); // 4k+1 .. 4k+3 missing
        }
        assertThat(w.pending()).isEqualTo(3L * MissingRanges.MAX_RANGES);
        assertThat(w.observe(2, 1, NOW)).isEqualTo(1);    // splits 1..3 into 1 and 3: one range too many, 1 lost
        assertThat(w.observe(262, 1, NOW)).isEqualTo(1);  // 257..261 missing: evicts 3
        assertThat(w.observe(258, 1, NOW)).isEqualTo(3);  // splits 257..261: evicts 5..7
        assertThat(w.gaps()).isEqualTo(5);
        assertThat(w.pending()).isEqualTo(3L * MissingRanges.MAX_RANGES + 5 - 2 - 5); // new, filled, evicted
    }

    @Test
    void aRestartOrResyncCountsWhatIsStillMissing() {
        t.observe(100, 1, NOW);
        t.observe(105, 1, NOW);                           // 101..104 missing
        assertThat(t.observe(5_000, 1, NOW)).isEqualTo(4); // restart
        assertThat(t.restarts()).isEqualTo(1);
        t.observe(5_002, 1, NOW);                         // 5001 missing
        assertThat(t.resync()).isEqualTo(1);
        assertThat(t.gaps()).isEqualTo(5);
        assertThat(t.pending()).isZero();
    }

    @Test
    void wrapsModulo2Pow32() {
        t.observe(0xFFFFFFFEL, 1, NOW);
        assertThat(t.observe(0xFFFFFFFFL, 1, NOW)).isZero();
        assertThat(t.observe(3, 1, NOW)).isZero();        // 0..2 missing
        assertThat(t.observe(0xFFFFFFFFL, 1, NOW)).isZero(); // duplicate across the wrap
        assertThat(t.observe(0, 2, NOW)).isZero();        // fills 0, 1
        assertThat(t.pending()).isEqualTo(1);
        assertThat(t.observe(4, 8, NOW)).isZero();        // expect 12: 2 is 10 behind
        assertThat(t.observe(12, 1, NOW)).isEqualTo(1);   // expect 13: 2 is lost
    }

    @Test
    void aGapAcrossTheWrapSplitsAndExpires() {
        t.observe(0xFFFFFFF0L, 14, NOW);                  // expect 0xFFFFFFFE
        assertThat(t.observe(2, 1, NOW)).isZero();        // 0xFFFFFFFE .. 1 missing
        assertThat(t.observe(0xFFFFFFFFL, 1, NOW)).isZero(); // fills the middle
        assertThat(t.pending()).isEqualTo(3);
        assertThat(t.observe(3, 20, NOW)).isEqualTo(3);
    }

    @Test
    void resyncForgetsTheExpectation() {
        t.observe(1, 1, NOW);
        t.resync();
        assertThat(t.observe(500, 1, NOW)).isZero();
        assertThat(t.observe(501, 1, NOW)).isZero();
    }

    @Test
    void aUnitMissingForTheMaximumWaitIsLostAtTheNextDatagramWhateverTheWindow() {
        SequenceTracker t = new SequenceTracker(65_536, 1L << 31); // IPFIX's window: 64 Ki records
        t.observe(0, 10, NOW);                       // expect 10
        assertThat(t.observe(15, 10, NOW)).isZero();  // 10..14 missing
        assertThat(t.observe(25, 10, NOW + MissingRanges.MAX_WAIT_MS - 1)).isZero();
        assertThat(t.pending()).isEqualTo(5);
        assertThat(t.observe(35, 10, NOW + MissingRanges.MAX_WAIT_MS)).isEqualTo(5);
        assertThat(t.pending()).isZero();
        assertThat(t.gaps()).isEqualTo(5);
    }

    @Test
    void aSplitRangeKeepsWhenItWentMissing() {
        SequenceTracker t = new SequenceTracker(1_000, 1L << 31);
        t.observe(0, 1, NOW);                        // expect 1
        t.observe(10, 1, NOW);                       // 1..9 missing since NOW
        t.observe(5, 1, NOW + 1_000);                // fills 5: 1..4 and 6..9, both missing since NOW
        t.observe(20, 1, NOW + 1_500);               // 11..19 missing since NOW + 1500
        assertThat(t.observe(21, 1, NOW + MissingRanges.MAX_WAIT_MS)).isEqualTo(8);
        assertThat(t.pending()).isEqualTo(9);
        assertThat(t.observe(22, 1, NOW + 1_500 + MissingRanges.MAX_WAIT_MS)).isEqualTo(9);
    }

    @Test
    void classifyTellsWhatObserveWouldMakeOfASequenceAndChangesNothing() {
        assertThat(t.classify(100)).isEqualTo(SequenceTracker.Outcome.FIRST);
        assertThat(t.expected()).isEqualTo(-1);
        t.observe(100, 5, NOW);                           // expect 105
        t.observe(108, 1, NOW);                           // 105..107 missing, expect 109
        assertThat(t.classify(109)).isEqualTo(SequenceTracker.Outcome.IN_ORDER);
        assertThat(t.classify(110)).isEqualTo(SequenceTracker.Outcome.GAP);
        assertThat(t.classify(109 + 999)).isEqualTo(SequenceTracker.Outcome.GAP);
        assertThat(t.classify(109 + 1000)).isEqualTo(SequenceTracker.Outcome.RESTART); // the restart jump
        assertThat(t.classify(108)).isEqualTo(SequenceTracker.Outcome.LATE);            // a duplicate of the newest
        assertThat(t.classify(99)).isEqualTo(SequenceTracker.Outcome.LATE);             // 10 behind: the window
        assertThat(t.classify(98)).isEqualTo(SequenceTracker.Outcome.RESTART);
        assertThat(t.expected()).isEqualTo(109);
        assertThat(t.pending()).isEqualTo(3);
        assertThat(t.reordered()).isZero();
        assertThat(t.restarts()).isZero();
    }

    @Test
    void everyOutcomeIsWhatObserveThenDoes() {
        SequenceTracker probe = new SequenceTracker(10, 1000);
        long[] sequences = {100, 101, 105, 103, 105, 5_000, 4_990, 4_989, 0xFFFFFFFFL, 2};
        for (long seq : sequences) {
            SequenceTracker.Outcome o = probe.classify(seq);
            long reorderedBefore = probe.reordered();
            long restartsBefore = probe.restarts();
            long pendingBefore = probe.pending();
            long expectedBefore = probe.expected();
            probe.observe(seq, 1, NOW);
            assertThat(probe.reordered() - reorderedBefore).as("reordered after %s", seq)
                    .isEqualTo(o == SequenceTracker.Outcome.LATE ? 1 : 0);
            assertThat(probe.restarts() - restartsBefore).as("restarts after %s", seq)
                    .isEqualTo(o == SequenceTracker.Outcome.RESTART ? 1 : 0);
            assertThat(probe.pending() > pendingBefore).as("new missing after %s", seq)
                    .isEqualTo(o == SequenceTracker.Outcome.GAP);
            assertThat(probe.expected()).as("expected after %s", seq)
                    .isEqualTo(o == SequenceTracker.Outcome.LATE ? expectedBefore : (seq + 1) & 0xFFFFFFFFL);
        }
    }

    @Test
    void expireAllCountsWhatIsMissingAsLostAndKeepsTheExpectation() {
        t.observe(1, 1, NOW);
        t.observe(3, 1, NOW);                             // 2 missing
        t.observe(6, 1, NOW);                             // 4, 5 missing
        assertThat(t.missingRanges()).isEqualTo(2);
        assertThat(t.expireAll()).isEqualTo(3);
        assertThat(t.missingRanges()).isZero();
        assertThat(t.pending()).isZero();
        assertThat(t.gaps()).isEqualTo(3);
        assertThat(t.expected()).isEqualTo(7);
        assertThat(t.observe(7, 1, NOW)).isZero();        // still in order: not a first or a restart
        assertThat(t.observe(2, 1, NOW)).isZero();        // late, but already counted lost: fills nothing
        assertThat(t.restarts()).isZero();
        assertThat(t.gaps()).isEqualTo(3);
    }
}
