package io.caravan.netflow.encode;

import static io.caravan.netflow.encode.ExportUnderTest.BOOT_MS;
import static io.caravan.netflow.encode.ExportUnderTest.v4;
import static io.caravan.netflow.encode.ExportUnderTest.v6;
import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.netflow.StageUnderTest;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the encoder writes, the plugin's own decoder reads back field for field (the independent peers,
 * nfdump and tshark, are in {@link PeersExportTest}); the decoder also checks the sequence numbers.
 */
class RoundTripTest {

    @ParameterizedTest
    @ValueSource(strings = {"5", "9", "10"})
    void everyExportedFieldComesBackAndNoSequenceGapIsSeen(String version) throws Exception {
        ExportUnderTest out = new ExportUnderTest(Map.of("version", version, "mtu", "600", "templatePackets", "4"));
        out.clock.advance(10_000);
        boolean v5 = version.equals("5");
        List<FlowRecord> sent = IntStream.range(0, 100).mapToObj(i -> !v5 && i % 4 == 0 ? v6(i) : v4(i)).toList();
        List<byte[]> datagrams = new ArrayList<>(out.encode(sent.subList(0, 60).toArray(FlowRecord[]::new)));
        datagrams.addAll(out.encode(sent.subList(60, 100).toArray(FlowRecord[]::new)));

        StageUnderTest in = StageUnderTest.create();
        InetSocketAddress exporter = new InetSocketAddress("192.0.2.1", 2055);
        List<Datagram> batch = datagrams.stream().map(d -> new Datagram(d, exporter, BOOT_MS + 10_000)).toList();
        FlowBatch got = in.decode(batch.toArray(Datagram[]::new));

        assertThat(in.context().sum("caravan.decoder.errors")).isZero();
        assertThat(in.context().sum("caravan.decoder.sequence_gaps")).isZero();
        assertThat(got.records()).hasSize(sent.size());
        List<String> expected = sent.stream().map(r -> key(r, v5)).sorted().toList();
        List<String> actual = got.records().stream().map(r -> key(r, v5)).sorted().toList();
        assertThat(actual).isEqualTo(expected);
    }

    /** Every field the format carries, as text (v5 has 16-bit interfaces/AS and no VLAN, MAC or direction). */
    private static String key(FlowRecord r, boolean v5) {
        StringBuilder s = new StringBuilder();
        s.append(hex(r.srcAddr())).append(' ').append(hex(r.dstAddr())).append(' ').append(hex(r.nextHop()))
                .append(' ').append(r.srcPort()).append(' ').append(r.dstPort()).append(' ').append(r.proto())
                .append(' ').append(r.tcpFlags()).append(' ').append(r.ipTos()).append(' ').append(r.packets())
                .append(' ').append(r.bytes()).append(' ').append(r.srcNet()).append(' ').append(r.dstNet())
                .append(' ').append(r.timeFlowStartNs() / 1_000_000).append(' ').append(r.timeFlowEndNs() / 1_000_000)
                .append(' ').append(r.inIf()).append(' ').append(r.srcAs());
        if (!v5) {
            s.append(' ').append(r.outIf()).append(' ').append(r.dstAs()).append(' ').append(r.srcVlan())
                    .append(' ').append(r.dstVlan()).append(' ').append(Long.toHexString(r.srcMac()))
                    .append(' ').append(Long.toHexString(r.dstMac())).append(' ').append(r.flowDirection());
        }
        return s.toString();
    }

    private static String hex(byte[] a) {
        return a == null ? "-" : java.util.HexFormat.of().formatHex(a);
    }
}
