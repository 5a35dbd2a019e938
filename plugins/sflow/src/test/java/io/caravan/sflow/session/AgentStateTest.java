package io.caravan.sflow.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.sflow.wire.DatagramHeader;
import io.caravan.api.decode.DecodeException;
import io.caravan.sflow.wire.SflowDatagram;
import io.caravan.sflow.wire.SflowDecoder;
import io.caravan.traffic.datagram.SflowBuilder;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class AgentStateTest {
    private final AgentState agent = new AgentState("192.0.2.1");
    private final SflowDecoder decoder = new SflowDecoder();

    /** Feeds one datagram; returns {datagram gap, sample gap, drops}. */
    private long[] feed(long sequence, long uptime, UnaryOperator<SflowBuilder> samples) throws DecodeException {
        return feed(0, sequence, uptime, samples);
    }

    private long[] feed(long subAgent, long sequence, long uptime, UnaryOperator<SflowBuilder> samples)
            throws DecodeException {
        byte[] b = samples.apply(SflowBuilder.datagram().subAgentId(subAgent).sequence(sequence).uptimeMs(uptime))
                .build();
        DatagramHeader h = DatagramHeader.parse(b);
        agent.received(b.length, 1000, 1000);
        long lost = agent.header(h, 1000, 1000);
        SflowDatagram d = decoder.decode(h, b);
        LossDelta delta = agent.samples(d, d.samples().size(), 1000, 1000);
        return new long[] {lost, delta.samples(), delta.drops()};
    }

    private static UnaryOperator<SflowBuilder> flow(long sequence, long drops) {
        return b -> b.flowSample(s -> s.sequence(sequence).sourceId(0, 3).drops(drops));
    }

    private Map<String, Object> status() {
        return agent.snapshot();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @Test
    void datagramAndSampleGapsAreCountedSeparately() throws Exception {
        assertThat(feed(1, 1000, flow(10, 0))).containsExactly(0, 0, 0);
        assertThat(feed(2, 2000, flow(11, 0))).containsExactly(0, 0, 0);
        assertThat(feed(5, 5000, flow(15, 0))).containsExactly(0, 0, 0); // datagrams 3, 4 and samples 12..14 missing
        long window = AgentState.REORDER_WINDOW;
        assertThat(inOrder(6, 2 + window, 10)).containsExactly(0, 0, 0); // sample 12 is the window behind: may come
        assertThat(inOrder(3 + window, 5 + window, 10)).containsExactly(2, 3, 0); // all more than the window behind

        Map<String, Object> s = status();
        assertThat(s).containsEntry("datagrams", 3L + window)
                .containsEntry("sequenceGaps", Map.of("datagrams", 2L, "samples", 3L))
                .containsEntry("restarts", 0L);
        assertThat(s.get("samples")).isEqualTo(Map.of("flow", 3L + window, "counters", 0L, "discard", 0L));
    }

    /** Feeds datagrams {@code from..to}, each with flow sample {@code sequence + offset}; returns the summed feeds. */
    private long[] inOrder(long from, long to, long offset) throws DecodeException {
        long[] sum = new long[3];
        for (long seq = from; seq <= to; seq++) {
            long[] r = feed(seq, seq * 1000, flow(seq + offset, 0));
            for (int i = 0; i < sum.length; i++) {
                sum[i] += r[i];
            }
        }
        return sum;
    }

    @Test
    void samplesOfEachSourceAndKindAreNumberedSeparately() throws Exception {
        feed(1, 1000, b -> b.flowSample(s -> s.sequence(1).sourceId(0, 3)).flowSample(s -> s.sequence(100).sourceId(0, 4))
                .counterSample(c -> c.sequence(50).sourceId(0, 3)));
        long[] second = feed(2, 2000, b -> b.flowSample(s -> s.sequence(2).sourceId(0, 3))
                .flowSample(s -> s.sequence(101).sourceId(0, 4)).counterSample(c -> c.sequence(52).sourceId(0, 3)));

        long[] reboot = feed(1, 10, b -> b.flowSample(s -> s.sequence(1).sourceId(0, 3))
                .flowSample(s -> s.sequence(1).sourceId(0, 4)).counterSample(c -> c.sequence(1).sourceId(0, 3)));

        assertThat(second).containsExactly(0, 0, 0);   // counter sample 51 is missing, may still come late
        assertThat(reboot).containsExactly(0, 1, 0);   // the restart counts what is missing: only 51
        assertThat(status()).containsEntry("outOfOrder", Map.of("datagrams", 0L, "samples", 0L));
    }

    @Test
    void uptimeGoingBackwardsIsARestartNotAGap() throws Exception {
        feed(100, 900_000, flow(500, 40));
        long[] afterReboot = feed(101, 1_000, flow(1, 0));
        long[] next = feed(102, 2_000, flow(2, 5));

        assertThat(afterReboot).containsExactly(0, 0, 0);
        assertThat(next).containsExactly(0, 0, 5);
        assertThat(status()).containsEntry("restarts", 1L).containsEntry("agentDrops", 5L);
    }

    @Test
    void aSequenceResetIsARestartEvenWithUptimeGoingOn() throws Exception {
        feed(50_000, 1_000, flow(9000, 0));
        long[] reset = feed(1, 2_000, flow(1, 0));

        assertThat(reset).containsExactly(0, 0, 0);
        assertThat(status()).containsEntry("restarts", 1L)
                .containsEntry("sequenceGaps", Map.of("datagrams", 0L, "samples", 0L));
    }

    @Test
    void aQuickRebootThatRestartsTheSequenceNearItsOldValueIsStillARestart() throws Exception {
        feed(1, 2000, flow(1, 0));
        feed(4, 5000, flow(4, 0));                              // 2, 3 missing
        long[] reboot = feed(3, 30, flow(3, 0));                // 1 behind, but the uptime is 5 s behind
        long[] next = feed(4, 1030, flow(4, 0));

        assertThat(reboot).containsExactly(2, 2, 0);            // the restart counts 2, 3 lost: 3 is not filled
        assertThat(next).containsExactly(0, 0, 0);
        assertThat(status()).containsEntry("restarts", 1L)
                .containsEntry("outOfOrder", Map.of("datagrams", 0L, "samples", 0L));
    }

    @Test
    void uptimeWrappingPast2To32IsNotARestart() throws Exception {
        feed(1, 0xFFFF_FF00L, flow(1, 0));
        long[] wrapped = feed(2, 0x100, flow(2, 0));

        assertThat(wrapped).containsExactly(0, 0, 0);
        assertThat(status()).containsEntry("restarts", 0L);
    }

    @Test
    void lateAndDuplicateDatagramsChangeNothingButOutOfOrder() throws Exception {
        feed(1, 1000, flow(1, 0));
        feed(3, 3000, flow(3, 0));                           // datagram 2 and sample 2 missing
        long[] late = feed(2, 2000, flow(2, 0));             // ... then arrive late
        long[] duplicate = feed(3, 3000, flow(3, 0));

        long[] after = inOrder(4, 4 + AgentState.REORDER_WINDOW, 0); // 2 would now be past the window

        assertThat(late).containsExactly(0, 0, 0);
        assertThat(duplicate).containsExactly(0, 0, 0);
        assertThat(after).containsExactly(0, 0, 0);
        assertThat(status()).containsEntry("restarts", 0L)
                .containsEntry("outOfOrder", Map.of("datagrams", 2L, "samples", 2L))
                .containsEntry("sequenceGaps", Map.of("datagrams", 0L, "samples", 0L));
    }

    @Test
    void dropsAreCumulativeCountersCountedByTheirGrowthModulo2To32() throws Exception {
        assertThat(feed(1, 1000, flow(1, 0xFFFF_FFF0L))).containsExactly(0, 0, 0); // baseline, not counted
        assertThat(feed(2, 2000, flow(2, 0xFFFF_FFFAL))).containsExactly(0, 0, 10);
        assertThat(feed(3, 3000, flow(3, 4))).containsExactly(0, 0, 10);          // wrapped
        assertThat(feed(4, 4000, flow(4, 4))).containsExactly(0, 0, 0);
        assertThat(status()).containsEntry("agentDrops", 20L);
    }

    @Test
    void subAgentsHaveTheirOwnDatagramSequences() throws Exception {
        feed(0, 1, 1000, flow(1, 0));
        feed(1, 500, 1000, b -> b);
        long[] a = feed(0, 2, 2000, flow(2, 0));
        long[] b = feed(1, 501, 2000, x -> x);

        assertThat(a).containsExactly(0, 0, 0);
        assertThat(b).containsExactly(0, 0, 0);
        assertThat(map(status().get("subAgents"))).containsOnlyKeys("0", "1");
    }

    @Test
    void latestCountersPerDataSourceAreInTheSnapshot() throws Exception {
        feed(1, 1000, b -> b.counterSample(c -> c.sequence(1).sourceId(0, 3).genericInterface(i -> i.ifIndex(3)
                .ifInOctets(100))));
        feed(2, 2000, b -> b.counterSample(c -> c.sequence(2).sourceId(0, 3).genericInterface(i -> i.ifIndex(3)
                .ifInOctets(250)).ethernet(e -> e.dot3StatsFCSErrors(4))));
        agent.error(DecodeException.Reason.BAD_LENGTH);

        Map<String, Object> s = status();
        Map<String, Object> sub = map(map(s.get("subAgents")).get("0"));
        Map<String, Object> counters = map(map(sub.get("counters")).get("0:3"));
        assertThat(sub.get("sequence")).isEqualTo(2L);
        assertThat(sub.get("uptimeMs")).isEqualTo(2000L);
        assertThat(counters.get("sequence")).isEqualTo(2L);
        assertThat(counters.get("receivedMs")).isEqualTo(1000L);
        assertThat(map(counters.get("generic"))).containsEntry("ifIndex", 3L).containsEntry("ifInOctets", 250L);
        assertThat(map(counters.get("ethernet"))).containsEntry("dot3StatsFcsErrors", 4L);
        assertThat(s.get("errors")).isEqualTo(Map.of("BAD_LENGTH", 1L));
    }
}
