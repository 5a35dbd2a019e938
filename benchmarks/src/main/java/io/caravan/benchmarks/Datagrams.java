package io.caravan.benchmarks;

import io.caravan.traffic.datagram.IpfixBuilder;
import io.caravan.traffic.datagram.NetflowV5Builder;
import io.caravan.traffic.datagram.NetflowV9Builder;
import io.caravan.traffic.datagram.SflowBuilder;
import io.caravan.traffic.datagram.SyntheticFlow;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Benchmark inputs: datagrams of {@link #RECORDS} flows each, plus the template datagram v9/IPFIX need first. */
final class Datagrams {
    static final int RECORDS = 10;
    static final int TEMPLATE_ID = 256;

    private Datagrams() {
    }

    static List<SyntheticFlow> flows(SplittableRandom r, long nowMs) {
        List<SyntheticFlow> out = new ArrayList<>(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            byte[] src = {10, 1, (byte) r.nextInt(256), (byte) (1 + r.nextInt(254))};
            byte[] dst = {(byte) 198, 18, (byte) r.nextInt(256), (byte) (1 + r.nextInt(254))};
            long packets = 1 + r.nextInt(1000);
            out.add(new SyntheticFlow(src, dst, 1024 + r.nextInt(60000), 443, 6, packets, packets * 800, nowMs - 20_000,
                    nowMs - 1000, 0x1b, 0, 3, 4, 64512, 64513, new byte[] {10, 1, 0, 1}, 24, 24));
        }
        return out;
    }

    /** The template-carrying datagram of a v9 or IPFIX stream (null for v5 and sFlow). */
    static byte[] templates(String protocol, long nowMs) {
        return switch (protocol) {
            case "netflow-v9" -> new NetflowV9Builder().sysUptime(3_600_000).unixSecs(nowMs / 1000).sourceId(1)
                    .standardTemplates(TEMPLATE_ID).build();
            case "ipfix" -> new IpfixBuilder().exportTime(nowMs / 1000).observationDomain(1).standardTemplates(TEMPLATE_ID).build();
            default -> null;
        };
    }

    static byte[] data(String protocol, SplittableRandom r, long nowMs, long sequence) {
        List<SyntheticFlow> flows = flows(r, nowMs);
        return switch (protocol) {
            case "netflow-v5" -> new NetflowV5Builder().sysUptime(3_600_000).exportMs(nowMs).flowSequence(sequence * RECORDS)
                    .addFlows(flows).build();
            case "netflow-v9" -> new NetflowV9Builder().sysUptime(3_600_000).unixSecs(nowMs / 1000).sequence(sequence)
                    .sourceId(1).addFlows(TEMPLATE_ID, flows).build();
            case "ipfix" -> new IpfixBuilder().exportTime(nowMs / 1000).sequence(sequence * RECORDS).observationDomain(1)
                    .addFlows(TEMPLATE_ID, flows).build();
            case "sflow" -> {
                SflowBuilder b = SflowBuilder.datagram().agent("192.0.2.1").sequence(sequence + 1).uptimeMs(3_600_000)
                        .flowSampleSequence(sequence * RECORDS + 1);
                flows.forEach(f -> b.addFlowSample(f, 1000, 128));
                yield b.build();
            }
            default -> throw new IllegalArgumentException(protocol);
        };
    }
}
