package io.caravan.erspan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.Origin;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.peers.TsharkCapture;
import io.caravan.traffic.packet.PacketBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * erspan: in a real CamelContext sending real GRE packets to 127.0.0.1 through the raw socket
 * (the tests run as root), captured on lo by tshark and decoded by it: every ERSPAN field set,
 * GRE sequence numbers, and the mirrored frame bytes against the frames the records carried.
 */
class ErspanTsharkTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final long RECEIVED_NS = 1_700_000_000_123_456_789L;

    @TempDir
    Path dir;

    private final CamelContext camel = new DefaultCamelContext();
    private RecordingStageContext context;
    private ErspanComponent component;

    @AfterEach
    void stop() {
        camel.stop();
    }

    /** One route per URI, "direct:0", "direct:1", ... */
    private ProducerTemplate start(String... uris) throws Exception {
        context = new RecordingStageContext("erspan", Clock.systemUTC(), dir);
        component = (ErspanComponent) new ErspanComponentProvider().create(context);
        camel.addComponent("erspan", component);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < uris.length; i++) {
                    from("direct:" + i).to(uris[i]);
                }
            }
        });
        camel.start();
        return camel.createProducerTemplate();
    }

    private long counter(String name, String... tags) {
        Map<String, String> t = new java.util.LinkedHashMap<>();
        for (int i = 0; i < tags.length; i += 2) {
            t.put(tags[i], tags[i + 1]);
        }
        return context.counter(name, t).orElseThrow(() -> new AssertionError("no " + name + t + " in "
                + context.counters().keySet()));
    }

    private static String field(JsonNode layers, String layer, String field) {
        JsonNode l = layers.path(layer);
        assertThat(l.isMissingNode()).as("tshark decoded no %s layer in %s", layer, layers.path("frame")
                .path("frame.protocols").asText()).isFalse();
        return l.path(field).asText(null);
    }

    /** The bytes tshark dissected as the mirrored Ethernet frame: from the inner Ethernet header to the packet's end. */
    private static String mirrored(JsonNode layers) {
        String whole = layers.path("frame_raw").get(0).asText();
        JsonNode eth = layers.path("eth_raw");
        assertThat(eth.isArray() && eth.get(0).isArray()).as("an Ethernet frame inside the ERSPAN packet").isTrue();
        int offset = eth.get(1).get(1).asInt();
        return whole.substring(2 * offset);
    }

    private static byte[] udpFrame(int payload) {
        return PacketBuilder.ethernet().srcMac("02:00:00:00:00:0a").dstMac("02:00:00:00:00:0b")
                .ipv4("10.0.0.1", "10.0.0.2").udp(1000, 2000).payloadSize(payload).build();
    }

    @Test
    void typeIIFieldsSequenceNumbersAndFramesAsTsharkReadsThem() throws Exception {
        ProducerTemplate in = start("erspan:mirror?target=127.0.0.1&version=2&sessionId=1023&vlan=100&cos=5");
        component.sequence("127.0.0.1", 2, 1023).set(-2); // 4294967294: the numbering wraps within this test

        byte[] whole = udpFrame(40);
        byte[] tagged = PacketBuilder.ethernet().vlan(300).ipv4("10.0.0.3", "10.0.0.4").udp(53, 5353)
                .payloadSize(200).build();
        byte[] taggedHead = Arrays.copyOf(tagged, 64);          // an sFlow header cut at 64 bytes
        byte[] ipOnly = PacketBuilder.rawIp().ipv4("10.0.0.5", "10.0.0.6").udp(7, 9).payloadSize(10).build();
        FlowRecord r1 = new FlowRecord().inIf(5).attribute("frame", whole).attribute("frame_length", (long) whole.length)
                .attribute("frame_protocol", 1L);
        FlowRecord r2 = new FlowRecord().inIf(7).attribute("frame", taggedHead)
                .attribute("frame_length", (long) tagged.length);
        FlowRecord noFrame = new FlowRecord().inIf(8);
        FlowRecord r3 = new FlowRecord().inIf(1_048_575).srcMac(0x0A0B0C0D0E0FL).dstMac(0x010203040506L)
                .attribute("frame", ipOnly).attribute("frame_protocol", 11L);

        List<JsonNode> packets;
        try (TsharkCapture capture = TsharkCapture.start(dir, "ip proto 47", 3)) {
            in.sendBody("direct:0", FlowBatch.of(Origin.UNKNOWN, r1, r2, noFrame, r3));
            packets = capture.packets(Duration.ofSeconds(30), () -> context.counters().toString());
        }

        assertThat(packets).hasSize(3);
        long[] sequences = {4294967294L, 4294967295L, 0};
        long[] indexes = {5, 7, 1_048_575};
        String[] truncated = {"0", "1", "0"};
        String[] encap = {"0", "3", "0"};                         // 3: VLAN tag preserved in the frame
        byte[] synthesized = new byte[14 + ipOnly.length];       // record MACs, EtherType 0x0800, the IP packet
        System.arraycopy(HEX.parseHex("010203040506" + "0a0b0c0d0e0f" + "0800"), 0, synthesized, 0, 14);
        System.arraycopy(ipOnly, 0, synthesized, 14, ipOnly.length);
        byte[][] frames = {whole, taggedHead, synthesized};
        for (int i = 0; i < 3; i++) {
            JsonNode p = packets.get(i);
            assertThat(field(p, "gre", "gre.flags_and_version")).isEqualTo("0x1000");      // S set, nothing else
            assertThat(field(p, "gre", "gre.proto")).isEqualTo("0x88be");
            assertThat(Long.parseLong(field(p, "gre", "gre.sequence_number"))).isEqualTo(sequences[i]);
            assertThat(field(p, "erspan", "erspan.version")).isEqualTo("1");
            assertThat(field(p, "erspan", "erspan.vlan")).isEqualTo("100");
            assertThat(field(p, "erspan", "erspan.cos")).isEqualTo("5");
            assertThat(field(p, "erspan", "erspan.spanid")).isEqualTo("1023");             // no 0x2FF mask
            assertThat(field(p, "erspan", "erspan.index")).isEqualTo(Long.toString(indexes[i]));
            assertThat(field(p, "erspan", "erspan.truncated")).isEqualTo(truncated[i]);
            assertThat(field(p, "erspan", "erspan.encap")).isEqualTo(encap[i]);
            assertThat(mirrored(p)).isEqualTo(HEX.formatHex(frames[i]));               // no CRC after the frame
        }
        assertThat(packets.get(1).path("vlan").path("vlan.id").asText()).isEqualTo("300");
        assertThat(counter("caravan.erspan.packets", "erspan", "mirror")).isEqualTo(3);
        assertThat(counter("caravan.erspan.bytes", "erspan", "mirror"))
                .isEqualTo(3 * 16 + whole.length + taggedHead.length + synthesized.length);
        assertThat(counter("caravan.erspan.skipped", "erspan", "mirror", "reason", "no-frame")).isEqualTo(1);
        assertThat(counter("caravan.erspan.skipped", "erspan", "mirror", "reason", "not-ethernet")).isZero();
        assertThat(counter("caravan.erspan.errors", "erspan", "mirror")).isZero();
        assertThat(counter("caravan.erspan.dropped", "erspan", "mirror", "reason", "busy")).isZero();
    }

    @Test
    void typeIIIFieldsTimestampsAndPerSessionSequences() throws Exception {
        ProducerTemplate in = start(
                "erspan:a?target=127.0.0.1&version=3&sessionId=513&vlan=4095&cos=7&sgt=4660&hwId=42&direction=egress",
                "erspan:b?target=127.0.0.1&version=3&sessionId=2&timestamp=ieee1588&indexFrom=fixed&index=77"
                        + "&direction=record",
                "erspan:c?target=127.0.0.1&version=3&sessionId=3&timestamp=100ns&truncate=30");
        byte[] frame = udpFrame(100);
        FlowRecord a1 = new FlowRecord().timeReceivedNs(RECEIVED_NS).attribute("frame", frame);
        FlowRecord a2 = new FlowRecord().timeReceivedNs(RECEIVED_NS + 100_000).attribute("frame", frame);
        FlowRecord b = new FlowRecord().timeReceivedNs(RECEIVED_NS).flowDirection(1).attribute("frame", frame);
        FlowRecord c = new FlowRecord().timeReceivedNs(RECEIVED_NS).attribute("frame", frame);

        List<JsonNode> packets;
        try (TsharkCapture capture = TsharkCapture.start(dir, "ip proto 47", 4)) {
            in.sendBody("direct:0", FlowBatch.of(Origin.UNKNOWN, a1, a2));
            in.sendBody("direct:1", FlowBatch.of(Origin.UNKNOWN, b));
            in.sendBody("direct:2", FlowBatch.of(Origin.UNKNOWN, c));
            packets = capture.packets(Duration.ofSeconds(30), () -> context.counters().toString());
        }

        assertThat(packets).hasSize(4);
        for (JsonNode p : packets) {
            assertThat(field(p, "gre", "gre.proto")).isEqualTo("0x22eb");
            assertThat(field(p, "erspan", "erspan.version")).isEqualTo("2");
            assertThat(field(p, "erspan", "erspan.bso")).isEqualTo("0");
            assertThat(field(p, "erspan", "erspan.ft")).isEqualTo("0");                    // Ethernet
        }
        JsonNode p1 = packets.get(0);
        JsonNode p2 = packets.get(1);
        assertThat(field(p1, "gre", "gre.sequence_number")).isEqualTo("0");
        assertThat(field(p2, "gre", "gre.sequence_number")).isEqualTo("1");
        assertThat(field(p1, "erspan", "erspan.vlan")).isEqualTo("4095");
        assertThat(field(p1, "erspan", "erspan.cos")).isEqualTo("7");
        assertThat(field(p1, "erspan", "erspan.spanid")).isEqualTo("513");
        assertThat(field(p1, "erspan", "erspan.sgt")).isEqualTo("4660");
        assertThat(field(p1, "erspan", "erspan.hw")).isEqualTo("42");
        assertThat(field(p1, "erspan", "erspan.direction")).isEqualTo("1");                // egress
        assertThat(field(p1, "erspan", "erspan.gra")).isEqualTo("0");                      // 100 µs
        assertThat(field(p1, "erspan", "erspan.o")).isEqualTo("0");
        assertThat(field(p1, "erspan", "erspan.truncated")).isEqualTo("0");
        assertThat(Long.parseLong(field(p1, "erspan", "erspan.timestamp")))
                .isEqualTo(RECEIVED_NS / 100_000 & 0xFFFFFFFFL);
        assertThat(Long.parseLong(field(p2, "erspan", "erspan.timestamp")))
                .isEqualTo((RECEIVED_NS / 100_000 + 1) & 0xFFFFFFFFL);
        assertThat(mirrored(p1)).isEqualTo(HEX.formatHex(frame));

        JsonNode pb = packets.get(2);                                                       // IEEE 1588, subheader
        assertThat(field(pb, "gre", "gre.sequence_number")).isEqualTo("0");                // its own session
        assertThat(field(pb, "erspan", "erspan.spanid")).isEqualTo("2");
        assertThat(field(pb, "erspan", "erspan.direction")).isEqualTo("1");                // the record's
        assertThat(field(pb, "erspan", "erspan.gra")).isEqualTo("2");
        assertThat(field(pb, "erspan", "erspan.o")).isEqualTo("1");
        assertThat(field(pb, "erspan", "erspan.timestamp")).isEqualTo("123456789");        // nanoseconds
        assertThat(field(pb, "erspan", "erspan.platid")).isEqualTo("3");
        assertThat(field(pb, "erspan", "erspan.pid3.port_index")).isEqualTo("77");
        assertThat(field(pb, "erspan", "erspan.pid3.timestamp")).isEqualTo("1700000000");  // seconds
        assertThat(mirrored(pb)).isEqualTo(HEX.formatHex(frame));

        JsonNode pc = packets.get(3);                                                       // 100 ns, truncated
        assertThat(field(pc, "erspan", "erspan.gra")).isEqualTo("1");
        assertThat(Long.parseLong(field(pc, "erspan", "erspan.timestamp")))
                .isEqualTo(RECEIVED_NS / 100 & 0xFFFFFFFFL);
        assertThat(field(pc, "erspan", "erspan.truncated")).isEqualTo("1");
        assertThat(field(pc, "erspan", "erspan.direction")).isEqualTo("0");                // ingress default
        assertThat(mirrored(pc)).isEqualTo(HEX.formatHex(Arrays.copyOf(frame, 30)));
    }
}
