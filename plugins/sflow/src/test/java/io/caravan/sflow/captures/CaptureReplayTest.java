package io.caravan.sflow.captures;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.DatagramBatch;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.api.stage.Stage;
import io.caravan.sflow.DecodeSflowStageProvider;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import io.caravan.testkit.captures.Captures;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays what a real sFlow agent sent (src/test/resources/captures/sflow, see its README) through
 * decode-sflow in order, and holds every flow sample to tshark's decode of the same bytes: the
 * datagram header on the bytes and in every record (agent, sub-agent id), and per sample its
 * sequence, sampling rate, interfaces, VLANs, frame length less what was stripped, and what the raw
 * header carries (MACs, ethertype, addresses, protocol, TOS, TTL, ports, TCP flags, ICMP).
 */
class CaptureReplayTest {
    private static final long NOW_MS = 1_800_000_000_000L;
    private static final InetSocketAddress AGENT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pmacctd-sfprobe"})
    void everySampleIsWhatTsharkDecodes(String capture) throws Exception {
        List<byte[]> datagrams = Captures.datagrams("sflow", capture);
        JsonNode expected = Captures.expected("sflow", capture);
        assertThat(datagrams).hasSameSizeAs(expected.path("datagrams"));
        RecordingStageContext context = RecordingStageContext.of("decode-sflow", new SettableClock(NOW_MS));
        Stage<DatagramBatch, FlowBatch> stage = context.create(new DecodeSflowStageProvider(), Map.of());

        int total = 0;
        for (int i = 0; i < datagrams.size(); i++) {
            String at = capture + " datagram " + i;
            JsonNode header = expected.path("datagrams").get(i).path("header");
            assertHeaderBytes(at, datagrams.get(i), header);
            List<FlowRecord> records = decode(stage, datagrams.get(i));
            JsonNode want = expected.path("datagrams").get(i).path("records");
            assertThat(records).as(at + ": records").hasSize(want.size());
            for (int r = 0; r < records.size(); r++) {
                assertSample(at + " sample " + r, records.get(r), header, want.get(r));
            }
            total += records.size();
        }
        assertThat(total).as("samples in " + capture).isEqualTo(expected.path("records").asInt()).isPositive();
        assertThat(context.sum("caravan.decoder.errors")).as("decode errors").isZero();
        assertThat(context.sum("caravan.decoder.datagrams")).isEqualTo(datagrams.size());
    }

    /** The one place the stage is called: its input type is the part of this test the stage contract decides. */
    private static List<FlowRecord> decode(Stage<DatagramBatch, FlowBatch> stage, byte[] datagram) throws Exception {
        FlowBatch batch = stage.apply(DatagramBatch.of(new Datagram(datagram, AGENT, NOW_MS)));
        return batch == null ? List.of() : new ArrayList<>(batch.records());
    }

    /** sample_datagram_v5 as tshark read it (an IPv4 agent: the address is 4 bytes). */
    private static void assertHeaderBytes(String at, byte[] d, JsonNode h) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(d);
        assertThat(b.getInt(0)).as(at + ": version").isEqualTo(h.path("version").asInt());
        assertThat(b.getInt(4)).as(at + ": agent address type IPv4").isEqualTo(1);
        byte[] agent = new byte[4];
        b.get(8, agent);
        assertThat(InetAddress.getByAddress(agent)).as(at + ": agent").isEqualTo(InetAddress.getByName(h.path("agent").asText()));
        assertThat(b.getInt(12) & 0xFFFFFFFFL).as(at + ": sub-agent id").isEqualTo(h.path("subAgentId").asLong());
        assertThat(b.getInt(16) & 0xFFFFFFFFL).as(at + ": sequence").isEqualTo(h.path("sequence").asLong());
        assertThat(b.getInt(20) & 0xFFFFFFFFL).as(at + ": uptime").isEqualTo(h.path("uptimeMs").asLong());
        assertThat(b.getInt(24)).as(at + ": samples").isEqualTo(h.path("samples").asInt());
    }

    private static void assertSample(String at, FlowRecord r, JsonNode h, JsonNode want) throws IOException {
        assertThat(r.type()).as(at + ": type").isEqualTo(FlowType.SFLOW_5);
        assertThat(InetAddress.getByAddress(r.samplerAddress())).as(at + ": agent")
                .isEqualTo(InetAddress.getByName(h.path("agent").asText()));
        assertThat(r.observationDomainId()).as(at + ": sub-agent id").isEqualTo(h.path("subAgentId").asLong());
        assertThat(r.sequenceNum()).as(at + ": sample sequence").isEqualTo(want.path("sampleSequence").asLong());
        assertThat(r.samplingRate()).as(at + ": sampling rate").isEqualTo(want.path("samplingRate").asLong());
        assertThat(r.packets()).as(at + ": packets").isEqualTo(1);
        assertThat(r.bytes()).as(at + ": frame length less stripped")
                .isEqualTo(want.path("frameLength").asLong() - want.path("stripped").asLong());
        assertThat(r.inIf()).as(at + ": input").isEqualTo(want.path("inIf").asLong());
        assertThat(r.outIf()).as(at + ": output").isEqualTo(want.path("outIf").asLong());
        assertThat(r.srcVlan()).as(at + ": vlan in").isEqualTo(want.path("srcVlan").asInt());
        assertThat(r.dstVlan()).as(at + ": vlan out").isEqualTo(want.path("dstVlan").asInt());
        assertThat(r.srcMac()).as(at + ": src mac").isEqualTo(mac(want.path("srcMac").asText()));
        assertThat(r.dstMac()).as(at + ": dst mac").isEqualTo(mac(want.path("dstMac").asText()));
        assertThat(r.etype()).as(at + ": ethertype").isEqualTo(want.path("etype").asInt());
        assertThat(InetAddress.getByAddress(r.srcAddr())).as(at + ": src").isEqualTo(InetAddress.getByName(want.path("src").asText()));
        assertThat(InetAddress.getByAddress(r.dstAddr())).as(at + ": dst").isEqualTo(InetAddress.getByName(want.path("dst").asText()));
        assertThat(r.proto()).as(at + ": protocol").isEqualTo(want.path("proto").asInt());
        assertThat(r.ipTos()).as(at + ": tos").isEqualTo(want.path("tos").asInt());
        assertThat(r.ipTtl()).as(at + ": ttl").isEqualTo(want.path("ttl").asInt());
        if (want.has("srcPort")) {
            assertThat(r.srcPort()).as(at + ": src port").isEqualTo(want.path("srcPort").asInt());
            assertThat(r.dstPort()).as(at + ": dst port").isEqualTo(want.path("dstPort").asInt());
        }
        if (want.has("tcpFlags")) {
            assertThat(r.tcpFlags()).as(at + ": tcp flags").isEqualTo(want.path("tcpFlags").asInt());
        }
        if (want.has("icmpType")) {
            assertThat(r.icmpType()).as(at + ": icmp type").isEqualTo(want.path("icmpType").asInt());
            assertThat(r.icmpCode()).as(at + ": icmp code").isEqualTo(want.path("icmpCode").asInt());
        }
    }

    private static long mac(String text) {
        return Long.parseLong(text.replace(":", ""), 16);
    }

}
