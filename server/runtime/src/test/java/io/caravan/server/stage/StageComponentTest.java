package io.caravan.server.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.DatagramBatch;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.Origin;
import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.OptionType;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import io.caravan.api.stage.StageException;
import io.caravan.api.stage.StageOptions;
import io.caravan.api.stage.StageProvider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.Exchange;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StageComponentTest {
    private final StageRegistry registry = new StageRegistry();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** Stands in for a plugin's class loader, so the test can see which loader plugin code runs under. */
    private final URLClassLoader pluginLoader = new URLClassLoader(new URL[0], getClass().getClassLoader());
    private final SampleStage sample = new SampleStage();
    private final PortBytesStage portBytes = new PortBytesStage();
    private DefaultCamelContext camel;
    private ProducerTemplate template;

    @BeforeEach
    void setUp() {
        registry.add(new RegisteredStage(sample, "test", "1.0", pluginLoader));
        registry.add(new RegisteredStage(new EvenPortsStage(), "test", "1.0", getClass().getClassLoader()));
        registry.add(new RegisteredStage(new DropAllStage(), "test", "1.0", getClass().getClassLoader()));
        registry.add(new RegisteredStage(portBytes, "test", "1.0", getClass().getClassLoader()));
        camel = new DefaultCamelContext();
        camel.addComponent(StageComponent.SCHEME, new StageComponent(registry, meters, Clock.systemUTC(), java.nio.file.Path.of("target", "plugin-data")));
        DatagramConverters.register(camel.getTypeConverterRegistry());
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterEach
    void tearDown() throws Exception {
        template.close();
        camel.stop();
        pluginLoader.close();
    }

    private void route(String id, String from, String... to) throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(from).routeId(id).to(to);
            }
        });
    }

    private double records(String stage, String route, String outcome) {
        return meters.get("caravan.stage.records").tags("stage", stage, "route", route, "outcome", outcome).counter().count();
    }

    private static FlowBatch batchWithPorts(int... ports) {
        List<FlowRecord> records = new ArrayList<>();
        for (int p : ports) {
            records.add(new FlowRecord().srcPort(p));
        }
        return new FlowBatch(Origin.UNKNOWN, records);
    }

    @Test
    void optionsAreBoundWithDefaultsAndPassedToTheStage() throws Exception {
        route("r", "direct:a", "stage:sample?size=5");

        StageOptions bound = sample.lastOptions.get();
        assertThat(bound.getInt("size")).isEqualTo(5);
        assertThat(bound.getString("mode")).isEqualTo("keep");
        assertThat(bound.getDuration("every")).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void unknownOptionFailsTheRouteNamingStageOptionAndValidOptions() {
        assertThatThrownBy(() -> route("r", "direct:a", "stage:sample?sise=5"))
                .isInstanceOf(FailedToCreateRouteException.class)
                .hasMessageContaining("stage 'sample': unknown option 'sise'; valid options: size, mode, every")
                .hasCauseInstanceOf(ResolveEndpointFailedException.class)
                .hasRootCauseInstanceOf(OptionException.class)
                .hasRootCauseMessage("stage 'sample': unknown option 'sise'; valid options: size, mode, every")
                .satisfies(e -> assertThat(e.getCause().getCause()).isInstanceOf(StageSetupException.class)
                        .hasMessage("route 'r': stage 'sample': unknown option 'sise'; valid options: size, mode, every"));
        assertThat(camel.getRoute("r")).isNull();
        assertThat(sample.created).hasValue(0);
    }

    @Test
    void illTypedOptionFailsTheRouteNamingTheExpectedType() {
        assertThatThrownBy(() -> route("r", "direct:a", "stage:sample?size=ten"))
                .isInstanceOf(FailedToCreateRouteException.class)
                .hasRootCauseMessage("stage 'sample': option 'size' expects integer; got 'ten'");
        assertThatThrownBy(() -> route("r", "direct:a", "stage:sample?every=soon"))
                .hasRootCauseMessage("stage 'sample': option 'every' expects " + OptionType.DURATION.description()
                        + "; got 'soon'");
        assertThat(camel.getRoute("r")).isNull();
    }

    @Test
    void choiceOutsideTheListFailsTheRouteListingTheChoices() {
        assertThatThrownBy(() -> route("r", "direct:a", "stage:sample?mode=maybe"))
                .isInstanceOf(FailedToCreateRouteException.class)
                .hasRootCauseMessage("stage 'sample': option 'mode' must be one of keep, drop; got 'maybe'");
    }

    @Test
    void unknownStageFailsTheRouteListingTheStagesThereAre() {
        assertThatThrownBy(() -> route("r", "direct:a", "stage:sampel"))
                .isInstanceOf(FailedToCreateRouteException.class)
                .hasCauseInstanceOf(ResolveEndpointFailedException.class)
                .hasRootCauseMessage("route 'r': unknown stage 'sampel'; stages available: drop-all, even-ports, port-bytes,"
                        + " sample");
    }

    @Test
    void aStageCannotStartARoute() {
        assertThatThrownBy(() -> route("r", "stage:sample", "mock:x"))
                .isInstanceOf(FailedToStartRouteException.class)
                .hasRootCauseMessage("stage:sample cannot start a route; use it as a 'to' step");
    }

    @Test
    void recordsInOutAndDroppedAreCountedPerRoute() throws Exception {
        route("r1", "direct:r1", "stage:even-ports", "mock:r1");
        route("r2", "direct:r2", "stage:even-ports", "mock:r2");

        template.sendBody("direct:r1", batchWithPorts(1, 2, 3, 4));
        template.sendBody("direct:r2", batchWithPorts(2, 4));

        assertThat(records("even-ports", "r1", "in")).isEqualTo(4);
        assertThat(records("even-ports", "r1", "out")).isEqualTo(2);
        assertThat(records("even-ports", "r1", "dropped")).isEqualTo(2);
        assertThat(records("even-ports", "r2", "in")).isEqualTo(2);
        assertThat(records("even-ports", "r2", "out")).isEqualTo(2);
        assertThat(records("even-ports", "r2", "dropped")).isZero();
        MockEndpoint r1 = camel.getEndpoint("mock:r1", MockEndpoint.class);
        assertThat(r1.getReceivedExchanges()).singleElement()
                .extracting(e -> e.getMessage().getBody(FlowBatch.class).records().stream().map(FlowRecord::srcPort).toList())
                .isEqualTo(List.of(2, 4));
    }

    @Test
    void recordsAreCountedForTheRouteTheStageIsInNotTheOneTheExchangeStartedIn() throws Exception {
        route("ingest", "direct:ingest", "direct:enrich");
        route("enrich", "direct:enrich", "stage:even-ports");

        template.sendBody("direct:ingest", batchWithPorts(1, 2));

        assertThat(records("even-ports", "enrich", "in")).isEqualTo(2);
        assertThat(records("even-ports", "enrich", "dropped")).isEqualTo(1);
        assertThat(meters.find("caravan.stage.records").tag("route", "ingest").counters()).isEmpty();
    }

    @Test
    void anEmptyResultStopsTheExchangeAndCountsItsRecordsDropped() throws Exception {
        route("r1", "direct:r1", "stage:even-ports", "mock:after");

        Exchange done = template.send("direct:r1", e -> e.getMessage().setBody(batchWithPorts(1, 3, 5)));

        assertThat(done.getException()).isNull();
        assertThat(camel.getEndpoint("mock:after", MockEndpoint.class).getReceivedCounter()).isZero();
        assertThat(records("even-ports", "r1", "in")).isEqualTo(3);
        assertThat(records("even-ports", "r1", "out")).isZero();
        assertThat(records("even-ports", "r1", "dropped")).isEqualTo(3);
    }

    @Test
    void aNullResultStopsTheExchangeAndCountsItsRecordsDropped() throws Exception {
        route("drop", "direct:drop", "stage:drop-all", "mock:after");

        Exchange done = template.send("direct:drop", e -> e.getMessage().setBody(batchWithPorts(1, 2, 3)));

        assertThat(done.getException()).isNull();
        assertThat(camel.getEndpoint("mock:after", MockEndpoint.class).getReceivedCounter()).isZero();
        assertThat(records("drop-all", "drop", "in")).isEqualTo(3);
        assertThat(records("drop-all", "drop", "out")).isZero();
        assertThat(records("drop-all", "drop", "dropped")).isEqualTo(3);
    }

    @Test
    void aBodyOfTheWrongTypeFailsNamingTheExpectedTypeAndIsCountedAsAnError() throws Exception {
        route("r1", "direct:r1", "stage:even-ports", "mock:after");

        Exchange done = template.send("direct:r1", e -> e.getMessage().setBody("not a batch"));

        assertThat(done.getException())
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("No body available of type: " + FlowBatch.class.getName())
                .hasRootCauseMessage("stage:even-ports takes FlowBatch but the body is java.lang.String");
        assertThat(meters.get("caravan.stage.errors").tags("stage", "even-ports", "route", "r1").counter().count())
                .isEqualTo(1);
        assertThat(records("even-ports", "r1", "in")).isZero();
        assertThat(camel.getEndpoint("mock:after", MockEndpoint.class).getReceivedCounter()).isZero();
    }

    @Test
    void aFailingStageIsCountedAsAnErrorAndTheRouteGoesOn() throws Exception {
        route("r", "direct:a", "stage:sample?mode=drop", "mock:after");

        Exchange failed = template.send("direct:a", e -> e.getMessage().setBody(batchWithPorts(1)));
        Exchange passed = template.send("direct:a", e -> e.getMessage().setBody(batchWithPorts(2)));

        assertThat(failed.getException()).hasMessage("sample refuses port 1");
        assertThat(passed.getException()).isNull();
        assertThat(meters.get("caravan.stage.errors").tags("stage", "sample", "route", "r").counter().count()).isEqualTo(1);
        assertThat(camel.getEndpoint("mock:after", MockEndpoint.class).getReceivedCounter()).isEqualTo(1);
    }

    private static final InetSocketAddress EXPORTER_A = new InetSocketAddress("192.0.2.1", 2055);
    private static final InetSocketAddress EXPORTER_B = new InetSocketAddress("192.0.2.2", 2055);

    private static Datagram datagram(InetSocketAddress from, int... ports) {
        byte[] payload = new byte[ports.length];
        for (int i = 0; i < ports.length; i++) {
            payload[i] = (byte) ports[i];
        }
        return new Datagram(payload, from, 1_000);
    }

    private static List<Integer> ports(Exchange e) {
        return e.getMessage().getBody(FlowBatch.class).records().stream().map(FlowRecord::srcPort).toList();
    }

    private MockEndpoint after() {
        return camel.getEndpoint("mock:after", MockEndpoint.class);
    }

    @Test
    void aDatagramBatchGoesToTheDecoderWholeAndIsCountedInDatagrams() throws Exception {
        route("r", "direct:a", "stage:port-bytes", "mock:after");

        template.sendBody("direct:a", new DatagramBatch(List.of(datagram(EXPORTER_A, 1, 2), datagram(EXPORTER_A),
                datagram(EXPORTER_B, 3))));

        assertThat(portBytes.batches).containsExactly(3);
        assertThat(after().getReceivedExchanges()).singleElement().satisfies(e -> {
            assertThat(ports(e)).containsExactly(1, 2, 3);
            assertThat(e.getMessage().getBody(FlowBatch.class).origin()).as("two exporters").isEqualTo(Origin.UNKNOWN);
        });
        assertThat(records("port-bytes", "r", "in")).as("datagrams").isEqualTo(3);
        assertThat(records("port-bytes", "r", "out")).as("records").isEqualTo(3);
        assertThat(records("port-bytes", "r", "dropped")).isZero();
    }

    @Test
    void aListOfDatagramsReachesTheDecoderAsOneBatchInOrder() throws Exception {
        route("r", "direct:a", "stage:port-bytes", "mock:after");

        template.sendBody("direct:a", new ArrayList<>(List.of(datagram(EXPORTER_A, 1), datagram(EXPORTER_A, 2, 3))));

        assertThat(portBytes.batches).containsExactly(2);
        assertThat(ports(after().getReceivedExchanges().get(0))).containsExactly(1, 2, 3);
        assertThat(records("port-bytes", "r", "in")).isEqualTo(2);
    }

    @Test
    void aSingleDatagramIsABatchOfOne() throws Exception {
        route("r", "direct:a", "stage:port-bytes", "mock:after");

        template.sendBody("direct:a", datagram(EXPORTER_A, 7));

        assertThat(portBytes.batches).containsExactly(1);
        assertThat(after().getReceivedExchanges()).singleElement().satisfies(e -> {
            assertThat(ports(e)).containsExactly(7);
            assertThat(e.getMessage().getBody(FlowBatch.class).origin().exporter()).isEqualTo(EXPORTER_A);
        });
    }

    @Test
    void aNettyPayloadIsADatagramFromItsRemoteAddressReceivedWhenTheExchangeWasCreated() throws Exception {
        route("r", "direct:a", "stage:port-bytes", "mock:after");

        Exchange done = template.send("direct:a", e -> {
            e.getMessage().setBody(new byte[] {9, 10});
            e.getMessage().setHeader(DatagramConverters.NETTY_REMOTE_ADDRESS, EXPORTER_B);
        });

        assertThat(done.getException()).isNull();
        assertThat(ports(done)).containsExactly(9, 10);
        Origin origin = done.getMessage().getBody(FlowBatch.class).origin();
        assertThat(origin.exporter()).isEqualTo(EXPORTER_B);
        assertThat(origin.receivedMs()).isEqualTo(done.getClock().getCreated());
    }

    @Test
    void aBatchTheDecoderDropsWhollyCountsItsDatagramsDropped() throws Exception {
        route("r", "direct:a", "stage:port-bytes", "mock:after");

        Exchange done = template.send("direct:a", e -> e.getMessage().setBody(List.of(datagram(EXPORTER_A),
                datagram(EXPORTER_B))));

        assertThat(done.getException()).isNull();
        assertThat(after().getReceivedCounter()).isZero();
        assertThat(records("port-bytes", "r", "in")).isEqualTo(2);
        assertThat(records("port-bytes", "r", "dropped")).isEqualTo(2);
    }

    @Test
    void aListHoldingSomethingElseThanDatagramsIsNotABatchAndFailsCountedAsAnError() throws Exception {
        route("r", "direct:a", "stage:port-bytes", "mock:after");

        Exchange done = template.send("direct:a", e -> e.getMessage().setBody(new ArrayList<>(List.of(datagram(EXPORTER_A, 1),
                "text"))));

        assertThat(done.getException()).isInstanceOf(InvalidPayloadException.class)
                .hasRootCauseMessage("stage:port-bytes takes DatagramBatch but the body is java.util.ArrayList");
        assertThat(meters.get("caravan.stage.errors").tags("stage", "port-bytes", "route", "r").counter().count())
                .isEqualTo(1);
        assertThat(records("port-bytes", "r", "in")).isZero();
        assertThat(portBytes.batches).isEmpty();
    }

    @Test
    void theRuntimeRegistersTheDatagramConvertersOnItsCamelContext() throws Exception {
        DefaultCamelContext server = new DefaultCamelContext();
        java.nio.file.Path home = java.nio.file.Files.createTempDirectory("caravan-converters");
        try (io.caravan.server.CaravanRuntime ignored = new io.caravan.server.CaravanRuntime(
                io.caravan.server.config.CaravanConfig.load(home, null, java.util.Map.of(), new java.util.Properties()),
                server, "-converter-test")) {
            DatagramBatch batch = server.getTypeConverter().convertTo(DatagramBatch.class,
                    List.of(datagram(EXPORTER_A, 1), datagram(EXPORTER_B, 2)));
            assertThat(batch.datagrams()).extracting(Datagram::sender).containsExactly(EXPORTER_A, EXPORTER_B);
        }
    }

    @Test
    void aStageThatTakesBatchesDoesNotTakeAListOfDatagrams() throws Exception {
        route("r", "direct:a", "stage:even-ports", "mock:after");

        Exchange done = template.send("direct:a", e -> e.getMessage().setBody(List.of(datagram(EXPORTER_A, 2))));

        assertThat(done.getException()).isInstanceOf(InvalidPayloadException.class);
    }

    @Test
    void pluginCodeRunsUnderThePluginClassLoaderAndTheCallersIsRestored() throws Exception {
        route("r", "direct:a", "stage:sample");
        ClassLoader before = Thread.currentThread().getContextClassLoader();

        template.sendBody("direct:a", batchWithPorts(2));

        assertThat(sample.createLoader).hasValue(pluginLoader);
        assertThat(sample.applyLoaders).containsExactly(pluginLoader);
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
    }

    @Test
    void removingTheRouteClosesTheStageAndRemovesItsMeters() throws Exception {
        route("r", "direct:a", "stage:sample");
        template.sendBody("direct:a", batchWithPorts(2));
        assertThat(meters.find("caravan.stage.records").tag("stage", "sample").counters()).hasSize(3);
        assertThat(meters.find("sample.seen").tag("stage", "sample").counter()).isNotNull();

        camel.getRouteController().stopRoute("r");
        camel.removeRoute("r");

        assertThat(sample.closed).hasValue(1);
        assertThat(meters.find("caravan.stage.records").tag("stage", "sample").counters()).isEmpty();
        assertThat(meters.find("caravan.stage.errors").tag("stage", "sample").counters()).isEmpty();
        assertThat(meters.find("sample.seen").counters()).isEmpty();
    }

    /** Options of every type the tests need; "drop" mode fails odd ports; counts creates and closes. */
    static final class SampleStage implements StageProvider<FlowBatch, FlowBatch> {
        final AtomicInteger created = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final AtomicReference<StageOptions> lastOptions = new AtomicReference<>();
        final AtomicReference<ClassLoader> createLoader = new AtomicReference<>();
        final List<ClassLoader> applyLoaders = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "sample";
        }

        @Override
        public String description() {
            return "passes batches on";
        }

        @Override
        public Class<FlowBatch> inputType() {
            return FlowBatch.class;
        }

        @Override
        public Class<FlowBatch> outputType() {
            return FlowBatch.class;
        }

        @Override
        public List<OptionSpec> options() {
            return List.of(
                    OptionSpec.of("size", OptionType.INT, "10", "how many"),
                    OptionSpec.choice("mode", "keep", "what to do with odd ports", "keep", "drop"),
                    OptionSpec.of("every", OptionType.DURATION, "10s", "how often"));
        }

        @Override
        public Stage<FlowBatch, FlowBatch> create(StageOptions options, StageContext context) {
            created.incrementAndGet();
            lastOptions.set(options);
            createLoader.set(Thread.currentThread().getContextClassLoader());
            io.caravan.api.metrics.Counter seen = context.counter("sample.seen");
            boolean refuseOdd = options.getString("mode").equals("drop");
            return new Stage<>() {
                @Override
                public FlowBatch apply(FlowBatch batch) throws StageException {
                    applyLoaders.add(Thread.currentThread().getContextClassLoader());
                    seen.increment(batch.size());
                    for (FlowRecord r : batch.records()) {
                        if (refuseOdd && r.srcPort() % 2 == 1) {
                            throw new StageException("sample refuses port " + r.srcPort());
                        }
                    }
                    return batch;
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        }
    }

    /** Keeps records with an even source port, filtering the batch in place. */
    static final class EvenPortsStage implements StageProvider<FlowBatch, FlowBatch> {
        @Override
        public String name() {
            return "even-ports";
        }

        @Override
        public String description() {
            return "keeps even source ports";
        }

        @Override
        public Class<FlowBatch> inputType() {
            return FlowBatch.class;
        }

        @Override
        public Class<FlowBatch> outputType() {
            return FlowBatch.class;
        }

        @Override
        public List<OptionSpec> options() {
            return List.of();
        }

        @Override
        public Stage<FlowBatch, FlowBatch> create(StageOptions options, StageContext context) {
            return batch -> {
                batch.records().removeIf(r -> r.srcPort() % 2 != 0);
                return batch;
            };
        }
    }

    /** Returns null: drops every message. */
    static final class DropAllStage implements StageProvider<FlowBatch, FlowBatch> {
        @Override
        public String name() {
            return "drop-all";
        }

        @Override
        public String description() {
            return "drops everything";
        }

        @Override
        public Class<FlowBatch> inputType() {
            return FlowBatch.class;
        }

        @Override
        public Class<FlowBatch> outputType() {
            return FlowBatch.class;
        }

        @Override
        public List<OptionSpec> options() {
            return List.of();
        }

        @Override
        public Stage<FlowBatch, FlowBatch> create(StageOptions options, StageContext context) {
            return batch -> null;
        }
    }

    /** A decoder: one record per payload byte (its value the source port), one FlowBatch per batch; records its batch sizes. */
    static final class PortBytesStage implements StageProvider<DatagramBatch, FlowBatch> {
        final List<Integer> batches = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "port-bytes";
        }

        @Override
        public String description() {
            return "a record per payload byte";
        }

        @Override
        public Class<DatagramBatch> inputType() {
            return DatagramBatch.class;
        }

        @Override
        public Class<FlowBatch> outputType() {
            return FlowBatch.class;
        }

        @Override
        public List<OptionSpec> options() {
            return List.of();
        }

        @Override
        public Stage<DatagramBatch, FlowBatch> create(StageOptions options, StageContext context) {
            return batch -> {
                batches.add(batch.size());
                List<FlowRecord> records = new ArrayList<>();
                Origin origin = null;
                for (Datagram d : batch.datagrams()) {
                    for (byte b : d.payload()) {
                        records.add(new FlowRecord().srcPort(b & 0xFF));
                    }
                    Origin o = new Origin(d.sender(), 0, d.receivedMs());
                    origin = origin == null ? o : Origin.merge(origin, o);
                }
                return new FlowBatch(origin == null ? Origin.UNKNOWN : origin, records);
            };
        }
    }
}
