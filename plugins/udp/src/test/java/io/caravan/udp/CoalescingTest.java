package io.caravan.udp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CoalescingTest {
    private static final long MAX = 1_000_000; // 1 ms
    /** Large enough not to cap a 1 ms wait: a quarter is 4 MiB, a sixteenth 1 MiB. */
    private static final long BUFFER = 16 << 20;
    /** Datagrams of 1400 bytes charge 2424 bytes each: 2000 of them are over a quarter of BUFFER. */
    private static final int MANY = 2000;
    private static final int FEW = 10;

    @Test
    void startsAtTheConfiguredWaitAndKeepsItWhileLittleGathers() {
        Coalescing c = new Coalescing(MAX, BUFFER);
        assertThat(c.waitNs()).isEqualTo(MAX);
        gather(c, FEW);
        c.emptied();
        assertThat(c.waitNs()).isEqualTo(MAX);
    }

    @Test
    void halvesWhenAWaitFilledMoreThanAQuarterOfTheBufferDownToTheFloor() {
        Coalescing c = new Coalescing(MAX, BUFFER);
        gather(c, MANY);
        c.emptied();
        assertThat(c.waitNs()).isEqualTo(MAX / 2);
        for (int i = 0; i < 20; i++) {
            gather(c, MANY);
            c.emptied();
        }
        assertThat(c.waitNs()).isEqualTo(Coalescing.MIN_WAIT_NS);
    }

    @Test
    void growsBackToTheConfiguredWaitOnceGatheringsAreSmallAgain() {
        Coalescing c = new Coalescing(MAX, BUFFER);
        for (int i = 0; i < 20; i++) {
            gather(c, MANY);
            c.emptied();
        }
        assertThat(c.waitNs()).isEqualTo(Coalescing.MIN_WAIT_NS);
        for (int i = 0; i < 20; i++) {
            gather(c, FEW);
            c.emptied();
        }
        assertThat(c.waitNs()).isEqualTo(MAX);
    }

    @Test
    void betweenASixteenthAndAQuarterTheWaitStaysWhereItIs() {
        Coalescing c = new Coalescing(MAX, BUFFER);
        gather(c, MANY);
        c.emptied();
        long before = c.waitNs();
        // 1000 * 2424 bytes: between 1 MiB and 4 MiB.
        gather(c, 1000);
        c.emptied();
        assertThat(c.waitNs()).isEqualTo(before);
    }

    @Test
    void aSmallBufferCapsTheWaitAtWhatABurstOfAMillionDatagramsASecondFillsAQuarterOfItIn() {
        // 212992 bytes granted, reported doubled: the kernel's default net.core.rmem_max.
        Coalescing c = new Coalescing(MAX, 425_984);
        // A quarter is 106,496 bytes; 1000 full-size datagrams (2524 bytes charged) per ms fill it in 42.2 µs.
        assertThat(c.waitNs()).isEqualTo(42_193);
        for (int i = 0; i < 20; i++) {
            gather(c, FEW);
            c.emptied();
        }
        assertThat(c.waitNs()).as("never grows past the cap").isEqualTo(42_193);
    }

    @Test
    void aConfiguredWaitBelowTheFloorIsNeverRaisedAndZeroStaysOff() {
        Coalescing small = new Coalescing(5_000, BUFFER);
        gather(small, MANY * 2);
        small.emptied();
        assertThat(small.waitNs()).isEqualTo(5_000);

        Coalescing off = new Coalescing(0, BUFFER);
        gather(off, 1);
        off.emptied();
        assertThat(off.waitNs()).isZero();
    }

    @Test
    void noWaitWhereDatagramsComeFurtherApartThanTheWaitAndBackOnceTheyComeCloser() {
        Coalescing c = new Coalescing(MAX, BUFFER);
        c.blocked(MAX + 1);           // the selector waited longer than a wait would: sparse traffic
        assertThat(c.waitNs()).isZero();
        c.blocked(MAX / 10);          // datagrams closer together again
        assertThat(c.waitNs()).isEqualTo(MAX);
    }

    @Test
    void theCapIsTheConfiguredWaitOrWhatTheBufferAllowsWhicheverIsLess() {
        assertThat(Coalescing.cap(MAX, BUFFER)).isEqualTo(MAX);
        assertThat(Coalescing.cap(MAX, 425_984)).isEqualTo(42_193);
        assertThat(Coalescing.cap(0, BUFFER)).isZero();
    }

    private static void gather(Coalescing c, int datagrams) {
        for (int i = 0; i < datagrams; i++) {
            c.read(1400);
        }
    }
}
