package io.caravan.netflow.encode;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.api.flow.Origin;
import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.Stage;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

/** An {@code encode-netflow} stage built as the runtime builds it, on a settable clock, plus record builders. */
final class ExportUnderTest {
    static final long BOOT_MS = 1_700_000_000_000L;

    final SettableClock clock = new SettableClock(BOOT_MS);
    final RecordingStageContext context = RecordingStageContext.of("encode-netflow", clock);
    final Stage<FlowBatch, List<byte[]>> stage;

    ExportUnderTest(Map<String, ?> options) throws OptionException {
        this.stage = context.create(new EncodeNetflowStageProvider(), options);
    }

    List<byte[]> encode(FlowRecord... records) throws io.caravan.api.stage.StageException {
        List<byte[]> out = stage.apply(FlowBatch.of(Origin.UNKNOWN, records));
        return out == null ? List.of() : out;
    }

    long count(String name, String... tags) {
        Map<String, String> t = new java.util.LinkedHashMap<>();
        for (int i = 0; i < tags.length; i += 2) {
            t.put(tags[i], tags[i + 1]);
        }
        return context.counter(name, t).orElseThrow(() -> new AssertionError(name + t + " not in " + context.counters()));
    }

    /** A TCP flow of every field the formats carry, started 1 s after boot plus {@code i} ms. */
    static FlowRecord v4(int i) {
        return new FlowRecord().type(FlowType.NETFLOW_V9)
                .srcAddr(ip("10.1." + (i >> 8 & 0xFF) + "." + (i & 0xFF))).dstAddr(ip("192.0.2.7"))
                .nextHop(ip("10.0.0.254")).srcPort(40_000 + i % 20_000).dstPort(443).proto(6).tcpFlags(0x1B).ipTos(0x10)
                .packets(10 + i).bytes(1_500L * (10 + i)).inIf(3).outIf(70_000).srcAs(64_512).dstAs(4_200_000_000L)
                .srcNet(24).dstNet(32).srcVlan(100).dstVlan(200).srcMac(0x0A0B0C0D0E0FL).dstMac(0x112233445566L)
                .flowDirection(1).timeReceivedNs((BOOT_MS + 5_000) * 1_000_000)
                .timeFlowStartNs((BOOT_MS + 1_000 + i) * 1_000_000).timeFlowEndNs((BOOT_MS + 4_000 + i) * 1_000_000);
    }

    static FlowRecord v6(int i) {
        return v4(i).srcAddr(ip("2001:db8::" + Integer.toHexString(i + 1))).dstAddr(ip("2001:db8:1::2"))
                .nextHop(ip("fe80::1")).srcNet(48).dstNet(64);
    }

    static byte[] ip(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
