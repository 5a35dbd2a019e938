package io.caravan.netflow.captures;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.DatagramBatch;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.api.stage.Stage;
import io.caravan.netflow.DecodeNetflowStageProvider;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays what real exporters sent (src/test/resources/captures/netflow, see its README) through
 * decode-netflow, in order, templates first, and holds every record to tshark's decode of the same
 * bytes: addresses, ports, protocol, packets, bytes, TCP flags, TOS, ICMP type and code, and the
 * flow times where tshark gives them absolute. Header fields are checked on the bytes and on what
 * the records carry (sequence, source id or observation domain, sampling).
 */
class CaptureReplayTest {
    private static final long NOW_MS = 1_800_000_000_000L;
    private static final InetSocketAddress EXPORTER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"softflowd-v5", "softflowd-v9", "softflowd-ipfix", "fprobe-v5", "pmacctd-nfprobe-v9",
            "pmacctd-nfprobe-ipfix"})
    void everyRecordIsWhatTsharkDecodes(String capture) throws Exception {
        List<byte[]> datagrams = Captures.datagrams("netflow", capture);
        JsonNode expected = Captures.expected("netflow", capture).path("datagrams");
        assertThat(datagrams).hasSameSizeAs(expected);
        RecordingStageContext context = RecordingStageContext.of("decode-netflow", new SettableClock(NOW_MS));
        Stage<DatagramBatch, FlowBatch> stage = context.create(new DecodeNetflowStageProvider(), Map.of());

        int total = 0;
        for (int i = 0; i < datagrams.size(); i++) {
            byte[] d = datagrams.get(i);
            JsonNode header = expected.get(i).path("header");
            String at = capture + " datagram " + i;
            assertHeaderBytes(at, d, header);

            List<FlowRecord> records = decode(stage, d);
            JsonNode want = expected.get(i).path("records");
            assertThat(records).as(at + ": records").hasSize(want.size());
            for (int r = 0; r < records.size(); r++) {
                assertRecord(at + " record " + r, records.get(r), header, want.get(r));
            }
            total += records.size();
        }
        assertThat(total).as("records in " + capture).isEqualTo(Captures.expected("netflow", capture).path("records").asInt()).isPositive();
        assertThat(context.sum("caravan.decoder.errors")).as("decode errors").isZero();
        assertThat(context.sum("caravan.decoder.datagrams")).isEqualTo(datagrams.size());
        assertThat(context.sum("caravan.decoder.records")).isEqualTo(total);
    }

    /** fprobe's NetFlow v7 (Catalyst 5000) is not a version Caravan decodes: each datagram is refused and counted. */
    @Test
    void fprobeV7IsRefusedAsABadVersionAndCounted() throws Exception {
        List<byte[]> datagrams = Captures.datagrams("netflow", "fprobe-v7");
        JsonNode expected = Captures.expected("netflow", "fprobe-v7").path("datagrams");
        RecordingStageContext context = RecordingStageContext.of("decode-netflow", new SettableClock(NOW_MS));
        Stage<DatagramBatch, FlowBatch> stage = context.create(new DecodeNetflowStageProvider(), Map.of());
        for (int i = 0; i < datagrams.size(); i++) {
            assertHeaderBytes("fprobe-v7 datagram " + i, datagrams.get(i), expected.get(i).path("header"));
            assertThat(expected.get(i).path("records").size()).as("flows tshark decodes").isPositive();
            assertThat(decode(stage, datagrams.get(i))).isEmpty();
        }
        assertThat(context.counters()).anySatisfy((series, n) -> {
            assertThat(series).startsWith("caravan.decoder.errors").contains("BAD_VERSION");
            assertThat(n).isEqualTo(datagrams.size());
        });
    }

    /** The one place the stage is called: its input type is the part of this test the stage contract decides. */
    private static List<FlowRecord> decode(Stage<DatagramBatch, FlowBatch> stage, byte[] datagram) throws Exception {
        FlowBatch batch = stage.apply(DatagramBatch.of(new Datagram(datagram, EXPORTER, NOW_MS)));
        return batch == null ? List.of() : new ArrayList<>(batch.records());
    }

    /** The header as tshark read it, on the bytes (offsets per RFC 3954 / RFC 7011 / Cisco's v5 and v7 formats). */
    private static void assertHeaderBytes(String at, byte[] datagram, JsonNode h) {
        ByteBuffer b = ByteBuffer.wrap(datagram);
        int version = b.getShort(0) & 0xFFFF;
        assertThat(version).as(at + ": version").isEqualTo(h.path("version").asInt());
        if (version == 10) {
            assertThat(b.getShort(2) & 0xFFFF).as(at + ": length").isEqualTo(h.path("length").asInt()).isEqualTo(datagram.length);
            assertThat(u32(b, 4)).as(at + ": export time").isEqualTo(h.path("exportTime").asLong());
            assertThat(u32(b, 8)).as(at + ": sequence").isEqualTo(h.path("sequence").asLong());
            assertThat(u32(b, 12)).as(at + ": observation domain").isEqualTo(h.path("observationDomain").asLong());
            return;
        }
        assertThat(b.getShort(2) & 0xFFFF).as(at + ": count").isEqualTo(h.path("count").asInt());
        assertThat(u32(b, 4)).as(at + ": sysUptime").isEqualTo(h.path("sysUptimeMs").asLong());
        assertThat(u32(b, 8)).as(at + ": unix_secs").isEqualTo(h.path("unixSecs").asLong());
        if (version == 9) {
            assertThat(u32(b, 12)).as(at + ": sequence").isEqualTo(h.path("sequence").asLong());
            assertThat(u32(b, 16)).as(at + ": source id").isEqualTo(h.path("sourceId").asLong());
        } else {
            assertThat(u32(b, 12)).as(at + ": unix_nsecs").isEqualTo(h.path("unixNsecs").asLong());
            assertThat(u32(b, 16)).as(at + ": flow_sequence").isEqualTo(h.path("sequence").asLong());
        }
        if (version == 5) {
            assertThat(b.get(20) & 0xFF).as(at + ": engine_type").isEqualTo(h.path("engineType").asInt());
            assertThat(b.get(21) & 0xFF).as(at + ": engine_id").isEqualTo(h.path("engineId").asInt());
            assertThat(b.getShort(22) & 0x3FFF).as(at + ": sampling interval").isEqualTo(h.path("samplingInterval").asInt());
        }
    }

    private static void assertRecord(String at, FlowRecord r, JsonNode h, JsonNode want) throws IOException {
        int version = h.path("version").asInt();
        assertThat(r.type()).as(at + ": type").isEqualTo(switch (version) {
            case 5 -> FlowType.NETFLOW_V5;
            case 9 -> FlowType.NETFLOW_V9;
            default -> FlowType.IPFIX;
        });
        switch (version) {
            case 5 -> {
                assertThat(r.sequenceNum()).as(at + ": flow_sequence").isEqualTo(h.path("sequence").asLong());
                long interval = h.path("samplingInterval").asLong();
                assertThat(r.samplingRate()).as(at + ": sampling").isIn(interval, interval == 0 ? 1 : interval);
            }
            case 9 -> {
                assertThat(r.sequenceNum()).as(at + ": sequence").isEqualTo(h.path("sequence").asLong());
                assertThat(r.observationDomainId()).as(at + ": source id").isEqualTo(h.path("sourceId").asLong());
            }
            default -> {
                assertThat(r.sequenceNum()).as(at + ": sequence").isEqualTo(h.path("sequence").asLong());
                assertThat(r.observationDomainId()).as(at + ": observation domain").isEqualTo(h.path("observationDomain").asLong());
            }
        }
        assertThat(InetAddress.getByAddress(r.srcAddr())).as(at + ": src").isEqualTo(InetAddress.getByName(want.path("src").asText()));
        assertThat(InetAddress.getByAddress(r.dstAddr())).as(at + ": dst").isEqualTo(InetAddress.getByName(want.path("dst").asText()));
        assertThat(r.proto()).as(at + ": protocol").isEqualTo(want.path("proto").asInt());
        assertThat(r.packets()).as(at + ": packets").isEqualTo(want.path("packets").asLong());
        assertThat(r.bytes()).as(at + ": bytes").isEqualTo(want.path("bytes").asLong());
        assertThat(r.ipTos()).as(at + ": tos").isEqualTo(want.path("tos").asInt());
        if (want.has("tcpFlags")) {
            assertThat(r.tcpFlags()).as(at + ": tcp flags").isEqualTo(want.path("tcpFlags").asInt());
        }
        if (want.has("icmpTypeCode")) {
            assertThat(r.icmpType() << 8 | r.icmpCode()).as(at + ": icmp type and code").isEqualTo(want.path("icmpTypeCode").asInt());
        } else {
            assertThat(r.srcPort()).as(at + ": src port").isEqualTo(want.path("srcPort").asInt());
            assertThat(r.dstPort()).as(at + ": dst port").isEqualTo(want.path("dstPort").asInt());
        }
        if (want.has("inIf")) {
            assertThat(r.inIf()).as(at + ": input").isEqualTo(want.path("inIf").asLong());
            assertThat(r.outIf()).as(at + ": output").isEqualTo(want.path("outIf").asLong());
        }
        if (want.has("firstUptimeMs") && version != 10) {
            // sysUptime-relative (v5, v9): the export time less how long before it the flow started.
            long exportMs = h.path("unixSecs").asLong() * 1000 + h.path("unixNsecs").asLong() / 1_000_000;
            long sysUptime = h.path("sysUptimeMs").asLong();
            assertThat(r.timeFlowStartNs()).as(at + ": start")
                    .isEqualTo((exportMs - (sysUptime - want.path("firstUptimeMs").asLong())) * 1_000_000L);
            assertThat(r.timeFlowEndNs()).as(at + ": end")
                    .isEqualTo((exportMs - (sysUptime - want.path("lastUptimeMs").asLong())) * 1_000_000L);
        }
        if (want.has("startMs")) {
            assertThat(r.timeFlowStartNs()).as(at + ": start").isEqualTo(want.path("startMs").asLong() * 1_000_000L);
            assertThat(r.timeFlowEndNs()).as(at + ": end").isEqualTo(want.path("endMs").asLong() * 1_000_000L);
        }
    }

    private static long u32(ByteBuffer b, int offset) {
        return b.getInt(offset) & 0xFFFFFFFFL;
    }

}
