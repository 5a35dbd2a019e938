package io.caravan.netflow.fuzz;

import io.caravan.testkit.fuzz.DatagramSequence;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * NetFlow v5 decoding, coverage-guided: a sequence of datagrams ({@link DatagramSequence}) from a few exporters
 * into one stage, each datagram's version field set to 5 so every execution tries the NetFlow v5
 * decoder, starting from the v5 seeds in {@code NetflowV5FuzzTestInputs/datagramSequence/}; the properties
 * are {@link NetflowFuzzHarness}'s. Without {@code JAZZER_FUZZ} it replays that corpus as a regression test.
 */
class NetflowV5FuzzTest {

    @FuzzTest(maxDuration = "1m")
    void datagramSequence(FuzzedDataProvider in) throws Exception {
        NetflowFuzzHarness.replay(DatagramSequence.read(in).withVersion(5, 2));
    }
}
