package io.caravan.pipeline.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.Origin;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subscriber with a spool ({@code spoolBytes}) behind a sink that goes away, in a real
 * CamelContext: its route retries for ever, as routes/export-kafka.yaml does.
 */
class BusSpoolTest {
    private static final String SUBSCRIBER = "bus:flows?subscriber=sink&capacity=10&spoolBytes=10MiB";

    @TempDir
    Path data;

    private final List<Long> delivered = new CopyOnWriteArrayList<>();
    private volatile boolean sinkUp;
    /** Batches the sink takes, once up, before it goes away again. */
    private final AtomicInteger allowance = new AtomicInteger(Integer.MAX_VALUE);
    private CamelContext camel;
    private RecordingStageContext context;

    private void start() throws Exception {
        start(SUBSCRIBER);
    }

    private void start(String subscriber) throws Exception {
        context = new RecordingStageContext("bus", new SettableClock(0), data);
        camel = new DefaultCamelContext();
        camel.addComponent(BusConstants.SCHEME, new BusComponentProvider().create(context));
        camel.getShutdownStrategy().setTimeout(2);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").routeId("publish").to("bus:flows");
                from(subscriber).routeId("sink")
                        .errorHandler(defaultErrorHandler().maximumRedeliveries(-1).redeliveryDelay(20))
                        .process(e -> {
                            if (!sinkUp || allowance.getAndDecrement() <= 0) {
                                throw new IOException("sink away");
                            }
                            e.getMessage().getBody(FlowBatch.class).records()
                                    .forEach(r -> delivered.add(r.sequenceNum()));
                        });
            }
        });
        camel.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.close();
        }
    }

    private void publish(int batches, int perBatch) {
        var template = camel.createProducerTemplate();
        for (int i = 0; i < batches; i++) {
            FlowRecord[] r = new FlowRecord[perBatch];
            for (int j = 0; j < perBatch; j++) {
                r[j] = new FlowRecord().sequenceNum((long) i * perBatch + j).bytes(100).attribute("class", "web");
            }
            template.sendBody("direct:in", FlowBatch.of(Origin.UNKNOWN, r));
        }
    }

    private long counter(String name) {
        return context.counter(name, Map.of("topic", "flows", "subscriber", "sink")).orElse(0L);
    }

    private double gauge(String name) {
        return context.gauge(name, Map.of("topic", "flows", "subscriber", "sink")).orElse(-1.0);
    }

    private long spoolFiles() throws IOException {
        Path dir = data.resolve("spool").resolve("flows").resolve("sink");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> f = Files.list(dir)) {
            return f.filter(p -> p.toString().endsWith(Spool.SUFFIX)).count();
        }
    }

    private static List<Long> upTo(long n) {
        return LongStream.range(0, n).boxed().toList();
    }

    @Test
    void anOutageSpillsPastTheQueueToDiskAndEverythingArrivesInOrderOnceTheSinkIsBack() throws Exception {
        start();

        publish(50, 3); // 150 records against a queue of 10

        assertThat(counter(BusConstants.RECORDS_IN)).isEqualTo(150);
        assertThat(counter(BusConstants.OVERFLOW)).as("nothing dropped").isZero();
        assertThat(counter(BusConstants.SPOOLED)).isGreaterThanOrEqualTo(150 - 10 - 3);
        assertThat(gauge(BusConstants.SPOOL_RECORDS)).isEqualTo(counter(BusConstants.SPOOLED));
        assertThat(gauge(BusConstants.SPOOL_BYTES)).isPositive();
        assertThat(spoolFiles()).isPositive();
        assertThat(delivered).isEmpty();

        sinkUp = true;
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered.size() >= 150);
        publish(2, 3); // the spool is empty again: back through the queue
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered.size() >= 156);

        assertThat(delivered).containsExactlyElementsOf(upTo(156).stream().map(x -> x < 150 ? x : x - 150).toList());
        assertThat(gauge(BusConstants.SPOOL_RECORDS)).isZero();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(spoolFiles()).isZero());
        assertThat(counter(BusConstants.RECORDS_OUT)).isEqualTo(156);
    }

    @Test
    void aStopDuringAnOutageKeepsWhatWasAcceptedAndTheNextStartDeliversItOnce() throws Exception {
        start();
        publish(20, 3); // the first batch in delivery (retrying), 9 records queued, the rest spooled
        assertThat(counter(BusConstants.OVERFLOW)).isZero();

        camel.close();

        assertThat(counter(BusConstants.OVERFLOW)).as("nothing dropped by the stop").isZero();
        assertThat(delivered).isEmpty();
        assertThat(spoolFiles()).isPositive();

        sinkUp = true;
        start();
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered.size() >= 60);

        assertThat(delivered).containsExactlyElementsOf(upTo(60));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(spoolFiles()).isZero());
    }

    @Test
    void aStopAfterTheRouteHadReadPartOfTheSpoolKeepsTheRestAndTheNextStartSendsNothingTwice() throws Exception {
        start();
        publish(20, 3); // a batch in delivery, 3 queued, 16 spooled
        allowance.set(8); // the queue's batches and the spool's first ones, then the sink is away again
        sinkUp = true;
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered.size() >= 24);

        camel.close(); // the spool's first segment read part way, its next batch being retried

        assertThat(delivered).containsExactlyElementsOf(upTo(24));
        assertThat(counter(BusConstants.OVERFLOW)).isZero();
        allowance.set(Integer.MAX_VALUE);
        start();
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered.size() >= 60);

        assertThat(delivered).containsExactlyElementsOf(upTo(60));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(spoolFiles()).isZero());
    }

    @Test
    void withoutSpoolBytesAFullQueueStillDropsAndCounts() throws Exception {
        start("bus:flows?subscriber=sink&capacity=10");

        publish(20, 3);

        assertThat(counter(BusConstants.OVERFLOW)).isGreaterThanOrEqualTo(60 - 10 - 3);
        assertThat(counter(BusConstants.SPOOLED)).isZero();
        assertThat(spoolFiles()).isZero();
    }
}
