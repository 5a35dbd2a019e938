package io.caravan.pipeline.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.Origin;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The component in a real CamelContext: {@code direct:in -> bus:flows -> (after)}, subscribers as routes. */
class BusComponentTest {
    private final CamelContext camel = new DefaultCamelContext();
    private final RecordingStageContext context = RecordingStageContext.of("bus", new SettableClock(0));
    /** What the publishing route saw after bus:flows. */
    private final List<FlowBatch> after = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private BusComponent component;
    private ProducerTemplate template;

    @BeforeEach
    void start() throws Exception {
        component = (BusComponent) new BusComponentProvider().create(context);
        camel.addComponent(BusConstants.SCHEME, component);
        camel.getShutdownStrategy().setTimeout(10);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").routeId("publish").to("bus:flows")
                        .process(e -> after.add(e.getMessage().getBody(FlowBatch.class)));
            }
        });
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        camel.close();
    }

    private void subscribe(String id, String uri, List<FlowBatch> into, boolean waitForRelease) throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(id).process(e -> {
                    if (waitForRelease) {
                        release.await();
                    }
                    into.add(e.getMessage().getBody(FlowBatch.class));
                });
            }
        });
    }

    private static FlowBatch batch(int records) {
        FlowRecord[] r = new FlowRecord[records];
        for (int i = 0; i < records; i++) {
            r[i] = new FlowRecord().sequenceNum(i).bytes(100).attribute("class", "web");
        }
        return FlowBatch.of(Origin.UNKNOWN, r);
    }

    private long counter(String name, String subscriber) {
        return context.counter(name, Map.of("topic", "flows", "subscriber", subscriber)).orElse(0L);
    }

    private double gauge(String name, String subscriber) {
        return context.gauge(name, Map.of("topic", "flows", "subscriber", subscriber)).orElse(-1.0);
    }

    @Test
    void withoutSubscribersTheBatchPassesOnUnchanged() {
        FlowBatch b = batch(3);
        template.sendBody("direct:in", b);

        assertThat(after).singleElement().isSameAs(b);
        assertThat(component.sinkStatus()).isEmpty();
    }

    @Test
    void everySubscriberGetsItsOwnCopyAndThePublisherKeepsTheOriginal() throws Exception {
        List<FlowBatch> a = new CopyOnWriteArrayList<>();
        List<FlowBatch> b = new CopyOnWriteArrayList<>();
        subscribe("a", "bus:flows?subscriber=a", a, false);
        subscribe("b", "bus:flows?subscriber=b", b, false);
        FlowBatch original = batch(3);

        template.sendBody("direct:in", original);
        template.sendBody("direct:in", batch(2));

        await().atMost(Duration.ofSeconds(10)).until(() -> a.size() == 2 && b.size() == 2);
        assertThat(after.get(0)).isSameAs(original);
        assertThat(a.get(0)).isNotSameAs(original);
        assertThat(a.get(0).records()).hasSize(3).noneMatch(r -> original.records().contains(r));
        assertThat(b.get(0).records()).hasSize(3).noneMatch(r -> a.get(0).records().contains(r));
        a.get(0).records().get(0).attribute("class", "mail");
        assertThat(original.records().get(0).attribute("class")).isEqualTo("web");
        assertThat(b.get(1).records()).extracting(FlowRecord::sequenceNum).containsExactly(0L, 1L);
        await().untilAsserted(() -> {
            assertThat(counter(BusConstants.RECORDS_IN, "a")).isEqualTo(5);
            assertThat(counter(BusConstants.RECORDS_OUT, "a")).isEqualTo(5);
            assertThat(counter(BusConstants.RECORDS_OUT, "b")).isEqualTo(5);
        });
        assertThat(counter(BusConstants.OVERFLOW, "a")).isZero();
    }

    @Test
    void aSlowSubscriberOverflowsWithoutHoldingThePublisherAndItsDepthAndAgeShow() throws Exception {
        List<FlowBatch> got = new CopyOnWriteArrayList<>();
        subscribe("slow", "bus:flows?subscriber=slow&capacity=10", got, true);

        // The first batch is taken by the (held) route thread; 10 more records fill the queue.
        template.sendBody("direct:in", batch(4));
        await().atMost(Duration.ofSeconds(10)).until(() -> gauge(BusConstants.DEPTH, "slow") == 0.0
                && counter(BusConstants.RECORDS_IN, "slow") == 4);
        for (int i = 0; i < 5; i++) {
            template.sendBody("direct:in", batch(2));
        }
        template.sendBody("direct:in", batch(3));
        template.sendBody("direct:in", batch(1));

        assertThat(after).hasSize(8);
        assertThat(gauge(BusConstants.DEPTH, "slow")).isEqualTo(10.0);
        assertThat(counter(BusConstants.OVERFLOW, "slow")).isEqualTo(4);
        await().atMost(Duration.ofSeconds(10)).until(() -> gauge(BusConstants.OLDEST_QUEUED_SECONDS, "slow") > 0.0);
        Map<String, Object> row = component.sinkStatus().get(0);
        assertThat(row).containsEntry("topic", "flows").containsEntry("subscriber", "slow").containsEntry("running", true)
                .containsEntry("capacity", 10).containsEntry("overflowPolicy", "drop").containsEntry("depth", 10)
                .containsEntry("recordsIn", 14L).containsEntry("overflow", 4L);

        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 6);
        assertThat(counter(BusConstants.RECORDS_OUT, "slow")).isEqualTo(14);
        assertThat(gauge(BusConstants.DEPTH, "slow")).isZero();
        assertThat(gauge(BusConstants.OLDEST_QUEUED_SECONDS, "slow")).isZero();
    }

    @Test
    void blockWaitsForRoomUpToTheTimeoutThenDrops() throws Exception {
        List<FlowBatch> got = new CopyOnWriteArrayList<>();
        subscribe("slow", "bus:flows?subscriber=slow&capacity=2&overflow=block&offerTimeoutMs=200", got, true);
        template.sendBody("direct:in", batch(2));
        await().atMost(Duration.ofSeconds(10)).until(() -> counter(BusConstants.RECORDS_IN, "slow") == 2
                && gauge(BusConstants.DEPTH, "slow") == 0.0);
        template.sendBody("direct:in", batch(2));

        long t0 = System.nanoTime();
        template.sendBody("direct:in", batch(1));
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(waitedMs).isBetween(150L, 5_000L);
        assertThat(counter(BusConstants.OVERFLOW, "slow")).isEqualTo(1);

        // Room made while the producer waits lets the batch in.
        CompletableFuture<Object> blocked = CompletableFuture.supplyAsync(() -> {
            template.sendBody("direct:in", batch(2));
            return null;
        });
        release.countDown();
        blocked.get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> got.size() >= 2);
        assertThat(counter(BusConstants.OVERFLOW, "slow")).isLessThanOrEqualTo(3);
    }

    @Test
    void stoppingTheRouteDeliversEverythingAcceptedFirst() throws Exception {
        List<FlowBatch> got = new CopyOnWriteArrayList<>();
        subscribe("slow", "bus:flows?subscriber=slow&capacity=1000", got, true);
        for (int i = 0; i < 50; i++) {
            template.sendBody("direct:in", batch(10));
        }
        assertThat(counter(BusConstants.RECORDS_IN, "slow")).isEqualTo(500);

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
            try {
                camel.getRouteController().stopRoute("slow");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // Unsubscribed at once: later batches are not accepted (and not lost: never taken).
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            template.sendBody("direct:in", batch(1));
            return counter(BusConstants.OVERFLOW, "slow") > 0 || !component.topic("flows").hasSubscribers();
        });
        release.countDown();
        stopping.get(20, TimeUnit.SECONDS);

        assertThat(got).hasSize(50);
        assertThat(counter(BusConstants.RECORDS_OUT, "slow")).isEqualTo(500);
        assertThat(component.sinkStatus().get(0)).containsEntry("running", false).containsEntry("depth", 0);

        // Restarted, the same name subscribes again and counts on.
        camel.getRouteController().startRoute("slow");
        template.sendBody("direct:in", batch(5));
        await().atMost(Duration.ofSeconds(10)).until(() -> counter(BusConstants.RECORDS_OUT, "slow") == 505);
    }

    @Test
    void closingTheContextDrainsTheQueueToo() throws Exception {
        List<FlowBatch> got = new CopyOnWriteArrayList<>();
        subscribe("slow", "bus:flows?subscriber=slow", got, true);
        for (int i = 0; i < 20; i++) {
            template.sendBody("direct:in", batch(5));
        }
        CompletableFuture<Void> closing = CompletableFuture.runAsync(camel::stop);
        release.countDown();
        closing.get(30, TimeUnit.SECONDS);

        assertThat(got).hasSize(20);
        assertThat(counter(BusConstants.RECORDS_OUT, "slow")).isEqualTo(100);
    }

    @Test
    void failedExchangesAndRedeliveriesAreCountedAndBytesOutIsTheFinalByteBody() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:flows?subscriber=flaky").routeId("flaky")
                        .errorHandler(defaultErrorHandler().maximumRedeliveries(2).redeliveryDelay(0).logExhausted(false))
                        .process(e -> {
                            if (e.getMessage().getBody(FlowBatch.class).size() == 3) {
                                throw new IllegalStateException("sink down");
                            }
                        })
                        .setBody(constant(new byte[] {1, 2, 3, 4, 5, 6, 7}));
                from("bus:flows?subscriber=header").routeId("header")
                        .setHeader(BusConstants.BYTES_OUT_HEADER, constant(42L));
            }
        });

        template.sendBody("direct:in", batch(3));
        template.sendBody("direct:in", batch(2));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(counter(BusConstants.ERRORS, "flaky")).isEqualTo(1);
            assertThat(counter(BusConstants.RETRIES, "flaky")).isEqualTo(2);
            assertThat(counter(BusConstants.RECORDS_OUT, "flaky")).isEqualTo(2);
            assertThat(counter(BusConstants.BYTES_OUT, "flaky")).isEqualTo(7);
            assertThat(counter(BusConstants.BYTES_OUT, "header")).isEqualTo(84);
        });
    }

    @Test
    void aSecondSubscriberOfTheSameNameFailsToStartNamingIt() throws Exception {
        subscribe("a", "bus:flows?subscriber=a", new CopyOnWriteArrayList<>(), false);

        // The same name on another topic is another subscriber.
        subscribe("a2", "bus:other-topic?subscriber=a&capacity=5", new CopyOnWriteArrayList<>(), false);
        assertThatThrownBy(() -> subscribe("a3", "bus:flows?subscriber=a&capacity=5", new CopyOnWriteArrayList<>(), false))
                .hasStackTraceContaining("bus:flows already has a subscriber named 'a'");
    }

    @Test
    void aConsumerWithoutSubscriberOrWithABadOptionFailsTheRoute() {
        assertThatThrownBy(() -> subscribe("x", "bus:flows", new CopyOnWriteArrayList<>(), false))
                .rootCause().hasMessageContaining("a consumer needs subscriber=<name>");
        assertThatThrownBy(() -> subscribe("y", "bus:flows?subscriber=y&capacity=0", new CopyOnWriteArrayList<>(), false))
                .isInstanceOf(FailedToCreateRouteException.class)
                .rootCause().hasMessageContaining("component 'bus': option 'capacity'");
        assertThatThrownBy(() -> subscribe("z", "bus:flows?subscriber=z&overflow=grow", new CopyOnWriteArrayList<>(), false))
                .rootCause().hasMessageContaining("overflow");
        // The subscriber names a directory of the spool: no path of its own.
        assertThatThrownBy(() -> subscribe("w", "bus:flows?subscriber=..&spoolBytes=1MiB", new CopyOnWriteArrayList<>(),
                false)).rootCause().hasMessageContaining("subscriber needs letters");
    }

    @Test
    void aBodyThatIsNotAFlowBatchFailsTheExchange() {
        assertThatThrownBy(() -> template.sendBody("direct:in", "text"))
                .rootCause().hasMessageContaining("takes a FlowBatch body");
        template.sendBody("direct:in", null);
        assertThat(after).hasSize(1);
    }

}
