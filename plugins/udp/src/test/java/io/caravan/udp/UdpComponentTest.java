package io.caravan.udp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.DatagramBatch;
import io.caravan.api.stage.OptionException;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** The component in a real CamelContext, fed by real datagrams over loopback. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UdpComponentTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    private static final long NOW_MS = 1_700_000_000_123L;

    private final CamelContext camel = new DefaultCamelContext();
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    final ListAppender<ILoggingEvent> log = new ListAppender<>();
    /** Where the plugin context's loggers ({@code caravan.test.<concern>}) log. */
    private final Logger componentLog = (Logger) LoggerFactory.getLogger("caravan.test");
    private final SettableClock clock = new SettableClock(NOW_MS);
    private final RecordingStageContext context = RecordingStageContext.of("udp", clock);

    /** What the route saw of one datagram: the datagram, the exchange's sender header and thread, the batch's size. */
    record Received(Datagram datagram, Object remoteAddress, String thread, int batchSize) {
    }

    @BeforeEach
    void addTheComponentAsTheRuntimeDoes() {
        camel.addComponent(UdpConstants.SCHEME, new UdpComponentProvider().create(context));
        log.start();
        componentLog.addAppender(log);
    }

    @AfterEach
    void closeCamelAndLeaveNoThreads() throws Exception {
        camel.close();
        componentLog.detachAppender(log);
        assertThat(udpThreads()).as("threads left after close").isEmpty();
    }

    @Test
    void aDatagramOf60000BytesArrivesWholeInABatchOfOneWithItsSenderAndTheContextClocksTime() throws Exception {
        List<Object> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();
        UdpEndpoint endpoint = start("", exchange -> {
            bodies.add(exchange.getIn().getBody());
            collect(exchange);
        });
        byte[] payload = new byte[60_000];
        new Random(42).nextBytes(payload);

        try (DatagramChannel client = client("127.0.0.1")) {
            client.send(ByteBuffer.wrap(payload), endpoint.getLocalAddress());
            Received r = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(r).isNotNull();
            assertThat(bodies).as("batchSize=1 hands on a DatagramBatch too").singleElement()
                    .isInstanceOf(DatagramBatch.class);
            assertThat(r.batchSize()).isEqualTo(1);
            assertThat(r.datagram().payload()).hasSize(60_000).isEqualTo(payload);
            assertThat(r.datagram().sender()).isEqualTo(client.getLocalAddress());
            assertThat(r.remoteAddress()).as("the sender header, as camel-netty names it")
                    .isEqualTo(client.getLocalAddress());
            assertThat(r.datagram().receivedMs()).as("time from the plugin context's clock").isEqualTo(NOW_MS);
            assertThat(r.thread()).as("workers=0 runs the route on the reader")
                    .isEqualTo("caravan-udp-" + endpoint.getLocalAddress().getPort() + "-reader-0");
        }
        assertThat(endpoint.getDatagrams()).isEqualTo(1);
        assertThat(endpoint.getQueueDrops()).isZero();
        assertThat(endpoint.getProcessErrors()).isZero();
    }

    @Test
    void fourSocketsShareOnePortAndExportersFromManyAddressesAllArrive() throws Exception {
        UdpEndpoint endpoint = start("sockets=4", this::collect);
        int port = endpoint.getLocalAddress().getPort();

        assertThat(procNetUdpEntries(port)).as("sockets bound to 127.0.0.1:%d in /proc/net/udp", port).isEqualTo(4);
        assertThat(udpThreads()).as("one daemon reader per socket")
                .containsExactlyInAnyOrder(readers(port, 4))
                .allSatisfy(name -> assertThat(thread(name).isDaemon()).isTrue());

        int exporters = 16;
        for (int x = 1; x <= exporters; x++) {
            try (DatagramChannel client = client("127.0.0." + x)) {
                client.send(ByteBuffer.wrap(("from " + x).getBytes(UTF_8)), endpoint.getLocalAddress());
            }
        }
        List<Received> all = take(exporters);

        assertThat(all).extracting(r -> r.datagram().sender().getAddress().getHostAddress())
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.rangeClosed(1, exporters)
                        .mapToObj(x -> "127.0.0." + x).toList());
        assertThat(all).allSatisfy(r -> assertThat(new String(r.datagram().payload(), UTF_8))
                .isEqualTo("from " + r.datagram().sender().getAddress().getHostAddress().substring(8)));
        assertThat(all.stream().map(Received::thread).collect(Collectors.toSet()))
                .as("the kernel spread 16 exporters over more than one socket").hasSizeGreaterThan(1);
        assertThat(endpoint.getDatagrams()).isEqualTo(exporters);
    }

    @Test
    void aFullQueueDropsAndCountsEveryDatagramItCannotTakeAndTheMetersShowIt() throws Exception {
        Gate gate = new Gate();
        UdpEndpoint endpoint = start("workers=1&queueSize=2", gate);
        String tag = "udp://127.0.0.1:0";

        try (DatagramChannel client = client("127.0.0.1")) {
            send(client, endpoint, "first");
            assertThat(gate.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            int sent = 1;
            for (int i = 0; i < 20; i++, sent++) {
                send(client, endpoint, "more " + i);
            }
            int total = sent;
            await().atMost(WAIT).until(() -> endpoint.getDatagrams() == total);

            int inFlight = 1;
            assertThat(endpoint.getQueueDepth()).isEqualTo(2);
            assertThat(endpoint.getQueueDrops()).isEqualTo(sent - gate.processed.get() - inFlight - 2).isEqualTo(18);
            Map<String, String> labels = Map.of("endpoint", tag);
            assertThat(context.counter(UdpConstants.METER_DATAGRAMS, labels)).hasValue(21L);
            assertThat(context.counter(UdpConstants.METER_QUEUE_DROPS, labels)).hasValue(18L);
            assertThat(context.gauge(UdpConstants.METER_QUEUE_DEPTH, labels)).hasValue(2.0);
            assertThat(context.counter(UdpConstants.METER_PROCESS_ERRORS, labels)).as("the series exists at 0")
                    .hasValue(0L);
            assertThat(log.list).filteredOn(e -> e.getFormattedMessage().contains("worker queue full"))
                    .as("one WARN for 18 drops, not one each").singleElement()
                    .satisfies(e -> assertThat(e.getLevel()).isEqualTo(Level.WARN))
                    .extracting(ILoggingEvent::getFormattedMessage).asString()
                    .contains("worker queue full (2 entries)", "1 dropped so far");

            gate.open.countDown();
            await().atMost(WAIT).until(() -> gate.processed.get() == 3);
            assertThat(endpoint.getQueueDrops()).isEqualTo(18);
            assertThat(gate.processed.get() + endpoint.getQueueDrops()).isEqualTo(sent);
            assertThat(gate.threads).containsOnly("caravan-udp-" + endpoint.getLocalAddress().getPort() + "-worker-0");
        }
        camel.stop();

        Map<String, String> labels = Map.of("endpoint", tag);
        assertThat(context.gauge(UdpConstants.METER_QUEUE_DEPTH, labels)).as("no queue once stopped").hasValue(0.0);
        assertThat(context.counter(UdpConstants.METER_QUEUE_DROPS, labels)).as("counts outlive the route")
                .hasValue(18L);
        assertThat(context.counters().keySet()).as("one series per meter, all with the endpoint tag only")
                .containsExactlyInAnyOrder(UdpConstants.METER_DATAGRAMS + "{endpoint=" + tag + "}",
                        UdpConstants.METER_QUEUE_DROPS + "{endpoint=" + tag + "}",
                        UdpConstants.METER_PROCESS_ERRORS + "{endpoint=" + tag + "}");
    }

    @Test
    void datagramsWaitingInTheSocketGoThroughTheRouteTogetherAsOneDatagramBatchNoLargerThanTheBatchSize() throws Exception {
        List<List<String>> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch open = new CountDownLatch(1);
        UdpEndpoint endpoint = start("batchSize=8", exchange -> {
            assertThat(exchange.getIn().getBody()).isInstanceOf(DatagramBatch.class);
            DatagramBatch body = exchange.getIn().getBody(DatagramBatch.class);
            bodies.add(body.datagrams().stream().map(d -> new String(d.payload(), UTF_8)).toList());
            assertThat(exchange.getIn().getHeader(UdpConstants.REMOTE_ADDRESS)).as("no single sender").isNull();
            entered.countDown();
            assertThat(open.await(20, TimeUnit.SECONDS)).isTrue();
        });
        int port = endpoint.getLocalAddress().getPort();

        try (DatagramChannel client = client("127.0.0.1")) {
            send(client, endpoint, "first");
            assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 20; i++) {
                send(client, endpoint, "queued " + i);
            }
            await().atMost(WAIT).until(() -> socketQueueBytes(port) > 0);
            open.countDown();
            await().atMost(WAIT).until(() -> bodies.stream().mapToInt(List::size).sum() == 21);
        }
        assertThat(bodies.get(0)).as("an idle socket: the first datagram does not wait for a batch")
                .containsExactly("first");
        assertThat(bodies).allSatisfy(b -> assertThat(b).hasSizeBetween(1, 8));
        assertThat(bodies.stream().mapToInt(List::size).max().orElse(0)).as("the 20 waiting ones came in batches")
                .isGreaterThan(1);
        List<String> expected = new java.util.ArrayList<>(List.of("first"));
        java.util.stream.IntStream.range(0, 20).forEach(i -> expected.add("queued " + i));
        assertThat(bodies.stream().flatMap(List::stream).toList()).as("in the order sent").isEqualTo(expected);
        assertThat(endpoint.getDatagrams()).isEqualTo(21);
    }

    /**
     * What coalescing saves (wake-ups, CPU per datagram) is measured by bench/load.sh, not here;
     * this holds it to losing and stalling nothing: a reader that waits after emptying its socket
     * must still take every datagram, in order, and still block for (and wake on) a lone one.
     */
    @Test
    void withCoalescingAPacedStreamArrivesWholeAndInOrderAndALoneDatagramStillArrives() throws Exception {
        List<String> payloads = new java.util.concurrent.CopyOnWriteArrayList<>();
        UdpEndpoint endpoint = start("batchSize=64&coalesceMicros=2000", exchange -> exchange.getIn()
                .getBody(DatagramBatch.class).datagrams().forEach(d -> payloads.add(new String(d.payload(), UTF_8))));
        int n = 300;
        try (DatagramChannel client = client("127.0.0.1")) {
            for (int i = 0; i < n; i++) {
                send(client, endpoint, "paced " + i);
                // Pacing the sender, not synchronizing: about one datagram each 100 µs, as an exporter sends.
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
            await().atMost(WAIT).until(() -> payloads.size() == n);
            assertThat(payloads).as("in the order sent")
                    .isEqualTo(java.util.stream.IntStream.range(0, n).mapToObj(i -> "paced " + i).toList());

            // Idle again, the reader blocks in its selector: it does not keep waking to poll.
            int port = endpoint.getLocalAddress().getPort();
            await().atMost(WAIT).until(() -> blockedInSelector("caravan-udp-" + port + "-reader-0"));
            send(client, endpoint, "alone");
            await().atMost(WAIT).until(() -> payloads.size() == n + 1);
        }
        assertThat(payloads.get(n)).isEqualTo("alone");
        assertThat(endpoint.getDatagrams()).isEqualTo(n + 1);
    }

    @Test
    void aFailedBatchCountsEachOfItsDatagramsAsFailed() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch open = new CountDownLatch(1);
        UdpEndpoint endpoint = start("batchSize=16&workers=1", exchange -> {
            entered.countDown();
            assertThat(open.await(20, TimeUnit.SECONDS)).isTrue();
            throw new IllegalStateException("test failure for " + exchange.getIn().getBody(DatagramBatch.class).size());
        });
        int port = endpoint.getLocalAddress().getPort();

        try (DatagramChannel client = client("127.0.0.1")) {
            send(client, endpoint, "first");
            assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 5; i++) {
                send(client, endpoint, "more " + i);
            }
            await().atMost(WAIT).until(() -> endpoint.getDatagrams() == 6);
            open.countDown();
            await().atMost(WAIT).until(() -> endpoint.getProcessErrors() == 6);
        }
        assertThat(socketQueueBytes(port)).isZero();
        assertThat(log.list).filteredOn(e -> e.getFormattedMessage().contains("the route failed on"))
                .first().extracting(ILoggingEvent::getFormattedMessage).asString()
                .contains("the route failed on 1 datagram(s) from /127.0.0.1:");
    }

    @ParameterizedTest(name = "workers={0}")
    @ValueSource(ints = {0, 2})
    void aRouteThatThrowsIsCountedAndLaterDatagramsStillArrive(int workers) throws Exception {
        UdpEndpoint endpoint = start("workers=" + workers, exchange -> {
            String text = new String(exchange.getIn().getBody(DatagramBatch.class).datagrams().get(0).payload(), UTF_8);
            if (text.startsWith("boom")) {
                throw new IllegalStateException("test failure for " + text);
            }
            collect(exchange);
        });

        try (DatagramChannel client = client("127.0.0.1")) {
            send(client, endpoint, "boom 1");
            send(client, endpoint, "ok 1");
            send(client, endpoint, "boom 2");
            send(client, endpoint, "ok 2");
            List<Received> ok = take(2);

            assertThat(ok).extracting(r -> new String(r.datagram().payload(), UTF_8))
                    .containsExactlyInAnyOrder("ok 1", "ok 2");
            await().atMost(WAIT).until(() -> endpoint.getProcessErrors() == 2);
        }
        assertThat(endpoint.getDatagrams()).isEqualTo(4);
        assertThat(log.list).filteredOn(e -> e.getFormattedMessage().contains("the route failed"))
                .as("logged at most once per 10 s").hasSize(1);
    }

    @ParameterizedTest(name = "sockets={0}")
    @ValueSource(ints = {1, 2})
    void aPortInUseFailsTheRouteStartNamingTheEndpoint(int sockets) throws Exception {
        try (DatagramChannel holder = client("127.0.0.1")) {
            int port = ((InetSocketAddress) holder.getLocalAddress()).getPort();
            addRoute("udp://127.0.0.1:" + port + "?sockets=" + sockets, this::collect);

            assertThatThrownBy(camel::start).rootCause()
                    .isInstanceOf(BindException.class)
                    .hasMessage("udp://127.0.0.1:" + port + ": cannot bind: Address already in use");
        }
    }

    @Test
    void stoppingClosesTheSocketsFirstThenLetsTheWorkersFinishTheQueue() throws Exception {
        Gate gate = new Gate();
        UdpEndpoint endpoint = start("workers=1&queueSize=100", gate);
        int port = endpoint.getLocalAddress().getPort();

        try (DatagramChannel client = client("127.0.0.1")) {
            send(client, endpoint, "first");
            assertThat(gate.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 9; i++) {
                send(client, endpoint, "queued " + i);
            }
            await().atMost(WAIT).until(() -> endpoint.getQueueDepth() == 9);

            Thread stopper = new Thread(() -> camel.stop(), "test-stopper");
            stopper.start();
            await().atMost(WAIT).until(() -> !udpThreads().contains("caravan-udp-" + port + "-reader-0"));
            assertThat(udpThreads()).as("the worker waits for the queue").contains("caravan-udp-" + port + "-worker-0");
            assertThat(gate.processed.get()).isZero();

            gate.open.countDown();
            stopper.join(WAIT.toMillis());
            assertThat(stopper.isAlive()).isFalse();
        }
        assertThat(gate.processed.get()).isEqualTo(10);
        assertThat(endpoint.getQueueDrops()).isZero();
        assertThat(endpoint.getDatagrams()).isEqualTo(10);
    }

    @Test
    void aRestartedRouteBindsAgainAndTheCountsCarryOn() throws Exception {
        int port;
        try (DatagramChannel probe = client("127.0.0.1")) {
            port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        String uri = withTransport("udp://127.0.0.1:" + port);
        addRoute(uri, this::collect);
        camel.start();
        UdpEndpoint endpoint = camel.getEndpoint(uri, UdpEndpoint.class);
        try (DatagramChannel client = client("127.0.0.1")) {
            send(client, endpoint, "one");
            take(1);
            camel.getRouteController().stopRoute("udp");
            assertThat(endpoint.getLocalAddress()).isNull();
            assertThat(udpThreads()).isEmpty();

            camel.getRouteController().startRoute("udp");
            send(client, endpoint, "two");
            assertThat(take(1)).extracting(r -> new String(r.datagram().payload(), UTF_8)).containsExactly("two");
        }
        assertThat(endpoint.getDatagrams()).isEqualTo(2);
    }

    @Test
    void aReceiveBufferLargerThanTheKernelAllowsIsWarnedAboutOnce() throws Exception {
        UdpEndpoint endpoint = start("sockets=2&receiveBufferSize=1GiB", this::collect);

        assertThat(endpoint.getEffectiveReceiveBufferSize()).isPositive().isLessThan(1 << 30);
        assertThat(log.list).filteredOn(e -> e.getFormattedMessage().contains("capped")).as("once for two sockets")
                .singleElement()
                .satisfies(e -> assertThat(e.getLevel()).isEqualTo(Level.WARN))
                .extracting(ILoggingEvent::getFormattedMessage).asString()
                .contains("udp://127.0.0.1:0: the kernel capped SO_RCVBUF", "raise net.core.rmem_max");
    }

    @Test
    void aReceiveBufferWithinTheKernelLimitIsNotWarnedAbout() throws Exception {
        UdpEndpoint endpoint = start("receiveBufferSize=65536", this::collect);

        assertThat(endpoint.getEffectiveReceiveBufferSize()).isGreaterThanOrEqualTo(65_536);
        assertThat(log.list).noneMatch(e -> e.getFormattedMessage().contains("capped"));
    }

    @Test
    void itIsReceiveOnly() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("udp://127.0.0.1:0");
            }
        });

        assertThatThrownBy(camel::start).rootCause()
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("udp: is receive-only; use netty:udp to send");
    }

    @Test
    void optionsBindWithTheDeclaredDefaultsAndSizesTakeUnits() {
        UdpConfiguration d = camel.getEndpoint("udp://0.0.0.0:4739", UdpEndpoint.class).getConfiguration();
        assertThat(d).isEqualTo(new UdpConfiguration("0.0.0.0", 4739, 1, 16 << 20, 0, 10_000, 1, 0, "nio"));

        UdpConfiguration c = camel.getEndpoint("udp://[::1]:2055?sockets=3&receiveBufferSize=1MiB&workers=4"
                + "&queueSize=50&batchSize=64&coalesceMicros=250", UdpEndpoint.class).getConfiguration();
        assertThat(c).isEqualTo(new UdpConfiguration("::1", 2055, 3, 1 << 20, 4, 50, 64, 250, "nio"));
        assertThat(c.address()).isEqualTo("udp://[::1]:2055");
        assertThat(camel.getEndpoint("udp://127.0.0.1:2055?receiveBufferSize=1048576", UdpEndpoint.class)
                .getConfiguration().receiveBufferSize()).as("a bare number is bytes").isEqualTo(1 << 20);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "sockets=0 | component 'udp': option 'sockets' must be 1 to 64; got '0'",
            "sockets=65 | component 'udp': option 'sockets' must be 1 to 64; got '65'",
            "workers=-1 | component 'udp': option 'workers' must be 0 to 256; got '-1'",
            "queueSize=0 | component 'udp': option 'queueSize' must be 1 to 1000000; got '0'",
            "queueSize=1000001 | component 'udp': option 'queueSize' must be 1 to 1000000; got '1000001'",
            "batchSize=0 | component 'udp': option 'batchSize' must be 1 to 4096; got '0'",
            "batchSize=4097 | component 'udp': option 'batchSize' must be 1 to 4096; got '4097'",
            "coalesceMicros=-1 | component 'udp': option 'coalesceMicros' must be 0 to 10000; got '-1'",
            "coalesceMicros=10001 | component 'udp': option 'coalesceMicros' must be 0 to 10000; got '10001'",
            "receiveBufferSize=0 | component 'udp': option 'receiveBufferSize' must be 1 to 1GiB; got '0'",
            "receiveBufferSize=2GiB | component 'udp': option 'receiveBufferSize' must be 1 to 1GiB; got '2147483648'",
            "socket=2 | component 'udp': unknown option 'socket'; valid options: sockets, receiveBufferSize, workers,"
                    + " queueSize, batchSize, coalesceMicros, transport",
            "transport=io_uring | component 'udp': option 'transport' must be one of nio, epoll; got 'io_uring'",
            "workers=many | component 'udp': option 'workers' expects integer; got 'many'",
            "receiveBufferSize=lots | component 'udp': option 'receiveBufferSize' expects size in bytes (e.g. 512,"
                    + " 64KiB, 16MiB, 1GiB; KB/MB/GB are powers of 1000); got 'lots'"})
    void aBadOptionFailsTheEndpointWithAMessageNamingTheComponentAndTheOption(String option, String message) {
        assertThatThrownBy(() -> camel.getEndpoint("udp://127.0.0.1:2055?" + option))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .rootCause().isInstanceOf(OptionException.class).hasMessage(message);
    }

    @Test
    void aMissingOrBadAddressIsRefusedWithTheSyntax() {
        assertThatThrownBy(() -> camel.getEndpoint("udp://127.0.0.1:70000"))
                .rootCause().hasMessage("udp: needs a local address and a port of 0 to 65535, as udp://0.0.0.0:2055 or"
                        + " udp://[::]:2055; got '127.0.0.1:70000'");
        assertThatThrownBy(() -> camel.getEndpoint("udp://127.0.0.1"))
                .rootCause().hasMessageStartingWith("udp: needs a local address and a port of 0 to 65535, as"
                        + " udp://0.0.0.0:2055");
        assertThatThrownBy(() -> camel.getEndpoint("udp://::1:2055"))
                .rootCause().hasMessageEndingWith("got '::1:2055'");
    }

    /** A route step that blocks until opened, recording that it was entered and by which thread. */
    private static final class Gate implements Processor {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);
        final AtomicInteger processed = new AtomicInteger();
        final Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public void process(Exchange exchange) throws Exception {
            threads.add(Thread.currentThread().getName());
            entered.countDown();
            if (!open.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the gate");
            }
            processed.incrementAndGet();
        }
    }

    UdpEndpoint start(String options, Processor processor) throws Exception {
        String uri = withTransport("udp://127.0.0.1:0" + (options.isEmpty() ? "" : "?" + options));
        addRoute(uri, processor);
        camel.start();
        return camel.getEndpoint(uri, UdpEndpoint.class);
    }

    /** The transport every route of this class reads with: nio here, epoll in {@link EpollUdpComponentTest}. */
    String transport() {
        return UdpConfiguration.NIO;
    }

    /** {@code uri} with this class's transport option (once). */
    String withTransport(String uri) {
        return uri.contains("transport=") ? uri : uri + (uri.contains("?") ? "&" : "?") + "transport=" + transport();
    }

    private void addRoute(String uri, Processor processor) throws Exception {
        String u = withTransport(uri);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(u).routeId("udp").process(processor);
            }
        });
    }

    private void collect(Exchange exchange) {
        DatagramBatch batch = exchange.getIn().getBody(DatagramBatch.class);
        batch.datagrams().forEach(d -> received.add(new Received(d,
                exchange.getIn().getHeader(UdpConstants.REMOTE_ADDRESS), Thread.currentThread().getName(), batch.size())));
    }

    private List<Received> take(int n) throws InterruptedException {
        List<Received> all = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (all.size() < n) {
            Received r = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            assertThat(r).as("datagram %d of %d", all.size() + 1, n).isNotNull();
            all.add(r);
        }
        return all;
    }

    static DatagramChannel client(String address) throws IOException {
        return DatagramChannel.open(StandardProtocolFamily.INET)
                .bind(new InetSocketAddress(InetAddress.getByName(address), 0));
    }

    static void send(DatagramChannel client, UdpEndpoint endpoint, String text) throws IOException {
        client.send(ByteBuffer.wrap(text.getBytes(UTF_8)), endpoint.getLocalAddress());
    }

    @Test
    void underLoadAReaderThatEmptiedItsSocketWaitsInsteadOfBlocking() throws Exception {
        AtomicInteger received = new AtomicInteger();
        // 200,000 bytes: granted under any Linux's default net.core.rmem_max, so the wait is capped
        // at its shortest, 39.6 µs, wherever the test runs.
        UdpEndpoint endpoint = start("batchSize=64&coalesceMicros=5000&receiveBufferSize=200000",
                exchange -> received.addAndGet(exchange.getIn().getBody(DatagramBatch.class).size()));
        String reader = "caravan-udp-" + endpoint.getLocalAddress().getPort() + "-reader-0";
        java.util.concurrent.atomic.AtomicBoolean sending = new java.util.concurrent.atomic.AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        Thread sender = new Thread(() -> {
            try (DatagramChannel client = client("127.0.0.1")) {
                long next = System.nanoTime();
                while (sending.get()) {
                    // Pacing, not synchronizing: one datagram each 10 µs, closer than the wait, so
                    // waiting pays. A sender that fell behind does not catch up in a burst.
                    while (System.nanoTime() < next) {
                        Thread.onSpinWait();
                    }
                    next = Math.max(next + 10_000, System.nanoTime());
                    send(client, endpoint, "load " + sent.incrementAndGet());
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        sender.start();
        try {
            // The wait is a park in the read loop; without coalescing the reader only ever blocks in select().
            await().atMost(WAIT).until(() -> parkedInReadLoop(reader));
        } finally {
            sending.set(false);
            sender.join();
        }
        // The kernel may drop some under a spinning sender and a small buffer; the endpoint itself drops nothing.
        await().atMost(WAIT).until(() -> received.get() == endpoint.getDatagrams());
        assertThat(received.get()).isPositive();
        assertThat(endpoint.getQueueDrops()).isZero();
        assertThat(endpoint.getProcessErrors()).isZero();
    }

    private static boolean parkedInReadLoop(String threadName) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().equals(threadName))
                .anyMatch(e -> {
                    List<String> frames = java.util.Arrays.stream(e.getValue())
                            .map(f -> f.getClassName() + "." + f.getMethodName()).toList();
                    return frames.contains("java.util.concurrent.locks.LockSupport.parkNanos")
                            && frames.contains(DatagramReader.class.getName() + ".run");
                });
    }

    /** Blocked waiting for the socket: in a NIO selector, or in Netty's epoll_wait. */
    static boolean blockedInSelector(String threadName) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().equals(threadName))
                .anyMatch(e -> java.util.Arrays.stream(e.getValue())
                        .anyMatch(f -> f.getClassName().startsWith("sun.nio.ch.") && f.getMethodName().equals("doSelect")
                                || f.getClassName().equals("io.netty.channel.epoll.Native")
                                && f.getMethodName().startsWith("epollWait")));
    }

    /** Bytes waiting in the receive queue of the socket bound to 127.0.0.1:port (/proc/net/udp rx_queue). */
    private static long socketQueueBytes(int port) throws IOException {
        String local = String.format(Locale.ROOT, "0100007F:%04X", port);
        try (var lines = Files.lines(Path.of("/proc/net/udp"))) {
            return lines.skip(1).map(l -> l.trim().split("\\s+")).filter(f -> f[1].equals(local))
                    .mapToLong(f -> Long.parseLong(f[4].substring(f[4].indexOf(':') + 1), 16)).sum();
        }
    }

    /** Sockets in /proc/net/udp whose local address is 127.0.0.1:port. */
    private static long procNetUdpEntries(int port) throws IOException {
        String local = String.format(Locale.ROOT, "0100007F:%04X", port);
        try (var lines = Files.lines(Path.of("/proc/net/udp"))) {
            return lines.skip(1).map(String::trim).filter(l -> l.split("\\s+")[1].equals(local)).count();
        }
    }

    static Set<String> udpThreads() {
        Set<String> names = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("caravan-udp-")) {
                names.add(t.getName());
            }
        }
        return names;
    }

    private static Thread thread(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow();
    }

    private static String[] readers(int port, int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> "caravan-udp-" + port + "-reader-" + i)
                .toArray(String[]::new);
    }
}
