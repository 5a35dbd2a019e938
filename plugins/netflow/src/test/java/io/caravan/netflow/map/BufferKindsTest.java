package io.caravan.netflow.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.flow.FlowRecord;
import io.caravan.netflow.NetflowDecoder;
import io.caravan.netflow.session.ExporterKey;
import io.caravan.netflow.session.InMemoryTemplateStore;
import io.caravan.netflow.session.SamplingStore;
import io.caravan.netflow.session.TemplateBudget;
import io.caravan.netflow.session.TemplateStore;
import io.caravan.testkit.SettableClock;
import io.caravan.traffic.datagram.IpfixBuilder;
import io.caravan.traffic.datagram.SyntheticFlow;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link RecordDecoder} reads a heap buffer's own array; a buffer without one, or with bytes past its limit, must
 * decode to the same records.
 */
class BufferKindsTest {
    private static final long NOW_MS = 1_700_000_000_000L;

    @Test
    void readOnlyDirectAndOversizedBuffersDecodeAsTheHeapBufferDoes() throws Exception {
        List<SyntheticFlow> flows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            flows.add(new SyntheticFlow(new byte[] {10, 1, 2, (byte) (1 + i)}, new byte[] {(byte) 198, 18, 0, 9},
                    1024 + i, 443, 6, 10 + i, 8000 + i, NOW_MS - 20_000, NOW_MS - 1000, 0x1b, 0, 3, 4, 64512, 64513,
                    new byte[] {10, 1, 0, 1}, 24, 24));
        }
        byte[] datagram = new IpfixBuilder().exportTime(NOW_MS / 1000).observationDomain(1).standardTemplates(256)
                .addFlows(256, flows).build();
        ByteBuffer direct = ByteBuffer.allocateDirect(datagram.length).put(datagram).flip();
        byte[] longer = Arrays.copyOf(datagram, datagram.length + 16);
        Arrays.fill(longer, datagram.length, longer.length, (byte) 0x7F);

        List<String> heap = decode(ByteBuffer.wrap(datagram));

        assertThat(heap).hasSize(5);
        assertThat(heap.get(0)).contains("[10, 1, 2, 1]", "[-58, 18, 0, 9]", "1024", "8000");
        assertThat(decode(ByteBuffer.wrap(datagram).asReadOnlyBuffer())).isEqualTo(heap);
        assertThat(decode(direct)).isEqualTo(heap);
        assertThat(decode(ByteBuffer.wrap(longer).limit(datagram.length))).isEqualTo(heap);
    }

    private static List<String> decode(ByteBuffer b) throws Exception {
        SettableClock clock = new SettableClock(NOW_MS);
        TemplateStore templates = new InMemoryTemplateStore(clock, 0, new TemplateBudget(512, 1 << 20, 1 << 22),
                TemplateStore.EvictionListener.NONE);
        NetflowDecoder decoder = new NetflowDecoder(templates,
                new SamplingStore(clock, SamplingStore.MAX_ENTRIES, SamplingStore.MAX_PER_ADDRESS), a -> 0);
        ExporterKey exporter = new ExporterKey(InetAddress.getByName("192.0.2.1"), -1);
        return decoder.decode(b, exporter, NOW_MS).records().stream().map(BufferKindsTest::describe).toList();
    }

    private static String describe(FlowRecord r) {
        Function<byte[], String> a = Arrays::toString;
        return String.join(" ", a.apply(r.srcAddr()), a.apply(r.dstAddr()), a.apply(r.nextHop()),
                String.valueOf(r.srcPort()), String.valueOf(r.dstPort()), String.valueOf(r.proto()),
                String.valueOf(r.packets()), String.valueOf(r.bytes()), String.valueOf(r.srcAs()),
                String.valueOf(r.dstAs()), String.valueOf(r.inIf()), String.valueOf(r.outIf()),
                String.valueOf(r.srcNet()), String.valueOf(r.dstNet()), String.valueOf(r.tcpFlags()),
                String.valueOf(r.timeFlowStartNs()), String.valueOf(r.timeFlowEndNs()), String.valueOf(r.etype()));
    }
}
