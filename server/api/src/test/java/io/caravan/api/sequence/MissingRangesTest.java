package io.caravan.api.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Positions below are "units behind the reference" 1000 unless said: unit 990 is 10 behind. */
class MissingRangesTest {
    private static final long REF = 1000;
    private static final long NOW = 1_700_000_000_000L;
    private static final long WAIT = MissingRanges.MAX_WAIT_MS;

    @Test
    void aLateRunFillsTheMiddleOfARangeAndSplitsIt() {
        MissingRanges m = new MissingRanges();
        m.add(900, 50, NOW);                          // 900..949
        assertThat(m.fill(REF, 910, 5)).isZero();     // 910..914 arrived
        assertThat(m.units()).isEqualTo(45);
        assertThat(m.ranges()).isEqualTo(2);
        // Only the window can expire them now: 900..909 is 91..100 behind, 915..949 is 51..85.
        assertThat(m.expire(REF, 90, NOW)).isEqualTo(10);
        assertThat(m.expire(REF, 60, NOW)).isEqualTo(25); // 915..939 are 61..85 behind
        assertThat(m.units()).isEqualTo(10);
    }

    @Test
    void aLateRunAcrossTwoRangesTakesItsPartOfEachAndDuplicatesTakeNothing() {
        MissingRanges m = new MissingRanges();
        m.add(900, 10, NOW);                          // 900..909
        m.add(920, 10, NOW);                          // 920..929
        assertThat(m.fill(REF, 905, 20)).isZero();    // 905..924: 905..909 and 920..924
        assertThat(m.units()).isEqualTo(10);
        assertThat(m.fill(REF, 910, 10)).isZero();    // 910..919 were never missing
        assertThat(m.fill(REF, 905, 20)).isZero();    // a duplicate
        assertThat(m.units()).isEqualTo(10);
        assertThat(m.clear()).isEqualTo(10);
        assertThat(m.ranges()).isZero();
    }

    @Test
    void aRangeMissingForTheMaximumWaitExpiresWholeWhateverTheWindow() {
        MissingRanges m = new MissingRanges();
        m.add(990, 5, NOW);
        m.add(996, 2, NOW + 500);
        assertThat(m.expire(REF, 1_000_000, NOW + WAIT - 1)).isZero();
        assertThat(m.expire(REF, 1_000_000, NOW + WAIT)).isEqualTo(5);
        assertThat(m.expire(REF, 1_000_000, NOW + 500 + WAIT)).isEqualTo(2);
        assertThat(m.units()).isZero();
    }

    @Test
    void beyondTheLimitTheOldestRangeIsEvictedAndReturned() {
        MissingRanges m = new MissingRanges();
        for (int k = 0; k < MissingRanges.MAX_RANGES; k++) {
            assertThat(m.add(10L * k, 3, NOW)).isZero();
        }
        assertThat(m.add(10L * MissingRanges.MAX_RANGES, 7, NOW)).isEqualTo(3);
        assertThat(m.ranges()).isEqualTo(MissingRanges.MAX_RANGES);
        // A split of a full set evicts the (new) oldest: 10..12 split by 11 leaves 10 and 12.
        assertThat(m.fill(10L * MissingRanges.MAX_RANGES + 100, 11, 1)).isEqualTo(1);
        assertThat(m.units()).isEqualTo(3L * (MissingRanges.MAX_RANGES - 1) + 7 - 1 - 1);
    }

    @Test
    void positionsWrapAt2To32() {
        MissingRanges m = new MissingRanges();
        m.add(0xFFFF_FFFEL, 4, NOW);                  // 0xFFFFFFFE, 0xFFFFFFFF, 0, 1
        assertThat(m.fill(5, 0xFFFF_FFFFL, 2)).isZero(); // 0xFFFFFFFF and 0 came
        assertThat(m.units()).isEqualTo(2);
        assertThat(m.ranges()).isEqualTo(2);
        assertThat(m.expire(5, 5, NOW)).isEqualTo(1); // 0xFFFFFFFE is 7 behind 5; 1 is 4 behind
        assertThat(m.units()).isEqualTo(1);
    }
}
