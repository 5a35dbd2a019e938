package io.caravan.pipeline.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.DynamicMessage;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.api.flow.Origin;
import io.caravan.api.net.AddressText;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageOptions;
import io.caravan.api.stage.StageProvider;
import io.caravan.pipeline.json.DecodeJsonStageProvider;
import io.caravan.pipeline.protobuf.DecodeProtobufStageProvider;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import io.caravan.testkit.peers.kafka.Goflow2FlowMessage;
import io.caravan.testkit.peers.kafka.KafkaBroker;
import io.caravan.testkit.peers.kafka.Kcat;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * encode-records in front of camel-kafka, against a real Kafka broker (KRaft, child JVM): what
 * lands in the topic is read back by kcat and parsed with protobuf-java against goflow2's
 * flow.proto, or as JSON; and by a Camel Kafka consumer with the decode stages, as a second
 * Caravan would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaRoundTripTest {
    private static final String BYTES = "org.apache.kafka.common.serialization.ByteArraySerializer";
    private static final int PARTITIONS = 4;
    private static final List<String> EXPORTERS = List.of("192.0.2.1", "192.0.2.2", "2001:db8::7");

    private Path dir;
    private KafkaBroker broker;
    private CamelContext camel;

    @BeforeAll
    void startBroker() throws Exception {
        dir = Files.createTempDirectory("kafka-roundtrip");
        broker = KafkaBroker.start(dir.resolve("broker"), PARTITIONS);
    }

    @AfterAll
    void stopBroker() throws Exception {
        broker.close();
    }

    @AfterEach
    void closeCamel() throws Exception {
        if (camel != null) {
            camel.close();
        }
    }

    private static <O> Stage<Object, O> stage(StageProvider<?, O> p, Map<String, String> options) throws Exception {
        @SuppressWarnings("unchecked")
        Stage<Object, O> s = (Stage<Object, O>) p.create(StageOptions.bind(p.name(), p.options(), options),
                RecordingStageContext.of(p.name(), new SettableClock(0)));
        return s;
    }

    /** direct:flows → encode-records → kafka:topic, with the producer options given. */
    private ProducerTemplate producer(String topic, Map<String, String> stageOptions, String kafkaOptions)
            throws Exception {
        Stage<Object, ?> encode = stage(new EncodeRecordsStageProvider(), stageOptions);
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:flows").process(e -> e.getIn().setBody(encode.apply(e.getIn().getBody())))
                        .to("kafka:" + topic + "?brokers=" + broker.bootstrapServers() + "&valueSerializer=" + BYTES
                                + "&recordMetadata=false&" + kafkaOptions)
                        // As routes/export-kafka.yaml reports delivered bytes to the bus.
                        .setHeader("CaravanBusBytesOut", simple("${body.encodedBytes}"));
            }
        });
        camel.start();
        return camel.createProducerTemplate();
    }

    /** Batch {@code b} of exporter {@code e}: records numbered on, so order can be checked per exporter. */
    private static FlowBatch batch(int e, int b, int records) {
        String exporter = EXPORTERS.get(e);
        List<FlowRecord> list = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            int n = b * records + i;
            list.add(new FlowRecord().type(FlowType.IPFIX).samplerAddress(AddressText.parse(exporter))
                    .timeReceivedNs(1_700_000_000_000_000_000L + n).sequenceNum(b).samplingRate(100)
                    .srcAddr(AddressText.parse("10.0." + e + "." + (i + 1))).dstAddr(AddressText.parse("198.51.100.1"))
                    .proto(6).srcPort(n).dstPort(443).bytes(1000L + n).packets(1 + n).tcpFlags(0x12).inIf(3).outIf(4)
                    .srcAs(64500).dstAs(64501));
        }
        return new FlowBatch(new Origin(new InetSocketAddress(exporter, 2055), 0, 1), list);
    }

    /** What was sent: per exporter, the batches in order. */
    private static List<FlowBatch> sendAll(ProducerTemplate template, int batches, int records) {
        List<FlowBatch> sent = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            for (int e = 0; e < EXPORTERS.size(); e++) {
                FlowBatch batch = batch(e, b, records);
                org.apache.camel.Exchange done = template.request("direct:flows", x -> x.getIn().setBody(batch));
                assertThat(done.getException()).isNull();
                sent.add(batch(e, b, records));
                // The bytes sent, as the route hands them to the bus's bytes-out counter.
                EncodedRecords messages = done.getMessage().getBody(EncodedRecords.class);
                long sum = messages.stream().mapToLong(m -> ((byte[]) m.getBody()).length).sum();
                assertThat(done.getMessage().getHeader("CaravanBusBytesOut", Long.class)).isEqualTo(sum).isPositive();
            }
        }
        return sent;
    }

    @Test
    void protobufWithZstdIsGoflow2sFlowMessagePerKafkaMessageKeyedAndOrderedByExporter() throws Exception {
        ProducerTemplate template = producer("flows-pb", Map.of(), "compressionCodec=zstd&lingerMs=5&producerBatchSize=65536");
        int batches = 5;
        int records = 20;
        sendAll(template, batches, records);
        int total = batches * records * EXPORTERS.size();

        List<Kcat.Message> read = Kcat.consume(broker.bootstrapServers(), "flows-pb", total, 60, dir);

        assertThat(read).hasSize(total);
        Map<String, List<Kcat.Message>> byKey = read.stream().collect(Collectors.groupingBy(Kcat.Message::keyText));
        assertThat(byKey).containsOnlyKeys(EXPORTERS);
        for (String exporter : EXPORTERS) {
            List<Kcat.Message> ms = new ArrayList<>(byKey.get(exporter));
            // One exporter, one partition; within it, offsets follow the order the flows were collected.
            assertThat(ms).extracting(Kcat.Message::partition).containsOnly(ms.get(0).partition());
            ms.sort((x, y) -> Long.compare(x.offset(), y.offset()));
            List<Long> ports = new ArrayList<>();
            for (Kcat.Message m : ms) {
                DynamicMessage f = Goflow2FlowMessage.parse(m.value());
                ports.add(((Integer) Goflow2FlowMessage.get(f, "src_port")).longValue());
                int n = (Integer) Goflow2FlowMessage.get(f, "src_port");
                int e = EXPORTERS.indexOf(exporter);
                assertThat(Goflow2FlowMessage.get(f, "type").toString()).isEqualTo("IPFIX");
                assertThat(Goflow2FlowMessage.get(f, "sampler_address"))
                        .isEqualTo(ByteString.copyFrom(AddressText.parse(exporter)));
                assertThat(Goflow2FlowMessage.get(f, "src_addr"))
                        .isEqualTo(ByteString.copyFrom(AddressText.parse("10.0." + e + "." + (n % records + 1))));
                assertThat(Goflow2FlowMessage.get(f, "dst_addr"))
                        .isEqualTo(ByteString.copyFrom(AddressText.parse("198.51.100.1")));
                assertThat(Goflow2FlowMessage.get(f, "bytes")).isEqualTo(1000L + n);
                assertThat(Goflow2FlowMessage.get(f, "packets")).isEqualTo(1L + n);
                assertThat(Goflow2FlowMessage.get(f, "time_received_ns")).isEqualTo(1_700_000_000_000_000_000L + n);
                assertThat(Goflow2FlowMessage.get(f, "sequence_num")).isEqualTo(n / records);
                assertThat(Goflow2FlowMessage.get(f, "sampling_rate")).isEqualTo(100L);
                assertThat(Goflow2FlowMessage.get(f, "proto")).isEqualTo(6);
                assertThat(Goflow2FlowMessage.get(f, "dst_port")).isEqualTo(443);
                assertThat(Goflow2FlowMessage.get(f, "tcp_flags")).isEqualTo(0x12);
                assertThat(Goflow2FlowMessage.get(f, "in_if")).isEqualTo(3);
                assertThat(Goflow2FlowMessage.get(f, "out_if")).isEqualTo(4);
                assertThat(Goflow2FlowMessage.get(f, "src_as")).isEqualTo(64500);
                assertThat(Goflow2FlowMessage.get(f, "dst_as")).isEqualTo(64501);
            }
            List<Long> sorted = new ArrayList<>(ports);
            Collections.sort(sorted);
            assertThat(ports).isEqualTo(sorted).hasSize(batches * records);
        }
        // Three exporters over four partitions: at least two partitions are used.
        assertThat(read.stream().map(Kcat.Message::partition).distinct().count()).isGreaterThan(1);
    }

    @Test
    void jsonWithLz4IsOneObjectPerMessage() throws Exception {
        ProducerTemplate template = producer("flows-json", Map.of("format", "json", "key", "src-addr"),
                "compressionCodec=lz4&lingerMs=0");
        sendAll(template, 2, 10);

        List<Kcat.Message> read = Kcat.consume(broker.bootstrapServers(), "flows-json", 60, 60, dir);

        ObjectMapper json = new ObjectMapper();
        for (Kcat.Message m : read) {
            String text = new String(m.value(), StandardCharsets.UTF_8);
            assertThat(text).startsWith("{").endsWith("}").doesNotContain("\n");
            JsonNode f = json.readTree(text);
            assertThat(m.keyText()).isEqualTo(f.get("src_addr").asText());
            assertThat(f.get("bytes").asLong()).isEqualTo(1000L + f.get("src_port").asLong());
            assertThat(EXPORTERS).contains(f.get("sampler_address").asText());
        }
    }

    @Test
    void aSecondCaravanReadsBothFormatsBackAsTheRecordsSent() throws Exception {
        ProducerTemplate pb = producer("flows-back-pb", Map.of(), "lingerMs=1");
        List<FlowBatch> sent = sendAll(pb, 2, 5);
        camel.close();
        ProducerTemplate js = producer("flows-back-json", Map.of("format", "json", "attributes", "false"), "lingerMs=1");
        sendAll(js, 2, 5);
        camel.close();

        Stage<Object, FlowBatch> decodePb = stage(new DecodeProtobufStageProvider(), Map.of());
        Stage<Object, FlowBatch> decodeJson = stage(new DecodeJsonStageProvider(), Map.of());
        Map<String, List<FlowRecord>> got = new HashMap<>();
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                String common = "?brokers=" + broker.bootstrapServers() + "&groupId=second-caravan"
                        + "&autoOffsetReset=earliest"
                        + "&valueDeserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer";
                from("kafka:flows-back-pb" + common).process(e -> collect(got, "pb", decodePb.apply(e.getIn().getBody())));
                from("kafka:flows-back-json" + common)
                        .process(e -> collect(got, "json", decodeJson.apply(e.getIn().getBody())));
            }
        });
        camel.start();

        int total = sent.stream().mapToInt(FlowBatch::size).sum();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            synchronized (got) {
                assertThat(got.getOrDefault("pb", List.of())).hasSize(total);
                assertThat(got.getOrDefault("json", List.of())).hasSize(total);
            }
        });
        List<String> expected = sent.stream().flatMap(b -> b.records().stream()).map(KafkaRoundTripTest::fields)
                .sorted().toList();
        synchronized (got) {
            assertThat(got.get("pb").stream().map(KafkaRoundTripTest::fields).sorted().toList()).isEqualTo(expected);
            assertThat(got.get("json").stream().map(KafkaRoundTripTest::fields).sorted().toList()).isEqualTo(expected);
        }
    }

    private static void collect(Map<String, List<FlowRecord>> got, String format, FlowBatch batch) {
        synchronized (got) {
            got.computeIfAbsent(format, k -> new ArrayList<>()).addAll(batch.records());
        }
    }

    private static String fields(FlowRecord r) {
        return String.join(",", String.valueOf(r.type()), AddressText.format(r.samplerAddress()),
                AddressText.format(r.srcAddr()), AddressText.format(r.dstAddr()), String.valueOf(r.timeReceivedNs()),
                String.valueOf(r.sequenceNum()), String.valueOf(r.samplingRate()), String.valueOf(r.proto()),
                String.valueOf(r.srcPort()), String.valueOf(r.dstPort()), String.valueOf(r.bytes()),
                String.valueOf(r.packets()), String.valueOf(r.tcpFlags()), String.valueOf(r.inIf()),
                String.valueOf(r.outIf()), String.valueOf(r.srcAs()), String.valueOf(r.dstAs()));
    }
}
