package io.caravan.sflow.fuzz;

import io.caravan.testkit.fuzz.DatagramSequence;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * sFlow v5 decoding, coverage-guided: a sequence of datagrams ({@link DatagramSequence}) from a few senders
 * into one stage, each datagram's version field set to 5 so every execution tries the decoder, starting from
 * the seeds in {@code SflowFuzzTestInputs/datagramSequence/} (flow, counter, expanded and discarded-packet
 * samples; raw headers of Ethernet, VLAN, MPLS, IPv4, IPv6 with extension headers, TCP, UDP, ICMP; sequence
 * gaps and restarts); the properties are {@link SflowFuzzHarness}'s. Without {@code JAZZER_FUZZ} it replays
 * that corpus as a regression test.
 */
class SflowFuzzTest {

    @FuzzTest(maxDuration = "1m")
    void datagramSequence(FuzzedDataProvider in) throws Exception {
        SflowFuzzHarness.replay(DatagramSequence.read(in).withVersion(5, 4));
    }
}
