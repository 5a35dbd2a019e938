package io.caravan.netflow.fuzz;

import io.caravan.testkit.fuzz.DatagramSequence;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * NetFlow v9 decoding, coverage-guided: a sequence of datagrams ({@link DatagramSequence}) from a few exporters
 * into one stage, each datagram's version field set to 9 so every execution tries the NetFlow v9
 * decoder, starting from the v9 seeds in {@code NetflowV9FuzzTestInputs/datagramSequence/}; the properties
 * are {@link NetflowFuzzHarness}'s. Without {@code JAZZER_FUZZ} it replays that corpus as a regression test.
 */
class NetflowV9FuzzTest {

    @FuzzTest(maxDuration = "1m")
    void datagramSequence(FuzzedDataProvider in) throws Exception {
        NetflowFuzzHarness.replay(DatagramSequence.read(in).withVersion(9, 2));
    }
}
