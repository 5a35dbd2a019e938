package io.caravan.netflow.fuzz;

import io.caravan.testkit.fuzz.DatagramSequence;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * IPFIX decoding, coverage-guided: a sequence of datagrams ({@link DatagramSequence}) from a few exporters
 * into one stage, each datagram's version field set to 10 so every execution tries the IPFIX
 * decoder, starting from the IPFIX seeds in {@code IpfixFuzzTestInputs/datagramSequence/}; the properties
 * are {@link NetflowFuzzHarness}'s. Without {@code JAZZER_FUZZ} it replays that corpus as a regression test.
 */
class IpfixFuzzTest {

    @FuzzTest(maxDuration = "1m")
    void datagramSequence(FuzzedDataProvider in) throws Exception {
        NetflowFuzzHarness.replay(DatagramSequence.read(in).withVersion(10, 2));
    }
}
