package io.caravan.server.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.api.metrics.Counter;
import io.caravan.api.plugin.BeanProvider;
import io.caravan.api.plugin.ComponentProvider;
import io.caravan.api.plugin.PluginContext;
import io.caravan.server.CaravanRuntime;
import io.caravan.server.config.CaravanConfig;
import io.caravan.server.metrics.MeterLeases;
import io.caravan.server.metrics.MicrometerPluginContext;
import io.caravan.server.stage.StageRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.Component;
import org.apache.camel.Endpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultComponent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a plugin's components and beans get (a PluginContext) and what is released when the plugin goes. */
class ContributionRegistrarTest {
    @TempDir
    Path dataRoot;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final MeterLeases leases = new MeterLeases(meters);
    private DefaultCamelContext camel;
    private ContributionRegistrar registrar;

    @BeforeEach
    void setUp() {
        camel = new DefaultCamelContext();
        camel.start();
        registrar = new ContributionRegistrar(camel, new StageRegistry(),
                id -> new MicrometerPluginContext(id, Clock.systemUTC(), leases, dataRoot));
    }

    @AfterEach
    void tearDown() {
        camel.stop();
    }

    private LoadedPlugin plugin(String id, List<ComponentProvider> components, BeanProvider beans) {
        Contributions c = new Contributions(List.of(), components, beans == null ? List.of() : List.of(beans),
                beans == null ? Map.of() : beans.descriptions());
        ClassLoader loader = getClass().getClassLoader();
        return new LoadedPlugin(id, "1.0", "test", Path.of(id + ".jar"), Path.of(id + ".jar"), loader, c, Instant.now());
    }

    /** A component whose create() counts on its context and keeps it. */
    private static final class Tap implements ComponentProvider {
        final AtomicReference<PluginContext> context = new AtomicReference<>();

        @Override
        public String scheme() {
            return "tap";
        }

        @Override
        public String description() {
            return "taps";
        }

        @Override
        public Component create(PluginContext ctx) {
            context.set(ctx);
            ctx.counter("caravan.tap.datagrams", "endpoint", "tap:a").increment(3);
            return new DefaultComponent() {
                @Override
                protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
                    throw new UnsupportedOperationException();
                }
            };
        }
    }

    /** A closeable bean and a plain one; the bean provider registers a gauge, or a meter of a wrong shape. */
    private static final class Beans implements BeanProvider {
        final AtomicInteger closed = new AtomicInteger();
        final String[] gaugeTags;

        Beans(String... gaugeTags) {
            this.gaugeTags = gaugeTags;
        }

        @Override
        public Map<String, Object> beans(PluginContext ctx) {
            ctx.gauge("caravan.decoder.datagrams", () -> 1, gaugeTags);
            AutoCloseable closeable = () -> {
                closed.incrementAndGet();
                throw new IllegalStateException("closing fails, and that is only logged");
            };
            return Map.of("joiner", closeable, "plain", "just a string");
        }

        @Override
        public Map<String, String> descriptions() {
            return Map.of("joiner", "closeable", "plain", "not closeable");
        }
    }

    @Test
    void componentsAndBeansGetTheirPluginsContextAndItsMetersLeaveWithThePlugin() throws Exception {
        Tap tap = new Tap();
        LoadedPlugin p = plugin("p1", List.of(tap), new Beans("protocol", "ipfix", "exporter", "192.0.2.1"));

        registrar.register(p);

        assertThat(tap.context.get().pluginId()).isEqualTo("p1");
        assertThat(meters.get("caravan.tap.datagrams").tags("endpoint", "tap:a").counter().count()).isEqualTo(3);
        assertThat(meters.get("caravan.tap.datagrams").counter().getId().getTag("stage")).as("no stage tag").isNull();
        assertThat(meters.get("caravan.decoder.datagrams").gauge().value()).isEqualTo(1);
        assertThat(tap.context.get().logger("reader").getName()).isEqualTo("caravan.p1.reader");

        registrar.withdraw(p);

        assertThat(meters.find("caravan.tap.datagrams").meters()).isEmpty();
        assertThat(meters.find("caravan.decoder.datagrams").meters()).isEmpty();
        assertThat(camel.hasComponent("tap")).isNull();
        assertThat(camel.getRegistry().lookupByName("joiner")).isNull();
    }

    @Test
    void theDataDirectoryIsThePluginsOwnUnderTheDataRootCreatedOnFirstUse() throws Exception {
        Tap tap = new Tap();
        registrar.register(plugin("p1", List.of(tap), null));
        assertThat(dataRoot.resolve("p1")).doesNotExist();

        Path dir = tap.context.get().dataDir();

        assertThat(dir).isEqualTo(dataRoot.resolve("p1")).isDirectory();
    }

    @Test
    void aMeterOfAnotherTagShapeIsRefusedNamingBothAndNothingOfThePluginStays() {
        meters.counter("caravan.decoder.datagrams", "protocol", "netflow_v5", "exporter", "192.0.2.9");
        Tap tap = new Tap();
        Beans beans = new Beans("protocol", "ipfix");
        LoadedPlugin p = plugin("p1", List.of(tap), beans);

        assertThatThrownBy(() -> registrar.register(p))
                .isInstanceOf(PluginLoadException.class)
                .hasMessageContaining("p1.jar: plugin 'p1': registering its contributions failed")
                .hasMessageContaining("meter 'caravan.decoder.datagrams' is registered with tags [exporter, protocol];"
                        + " plugin 'p1' asked for [protocol]");
        assertThat(camel.hasComponent("tap")).isNull();
        assertThat(meters.find("caravan.tap.datagrams").meters()).as("the component's meter, released").isEmpty();
        assertThat(meters.find("caravan.decoder.datagrams").meters()).hasSize(1);
    }

    @Test
    void beansThatAreAutoCloseableAreClosedWhenThePluginGoesAndAFailingCloseIsOnlyLogged() throws Exception {
        Beans beans = new Beans("protocol", "ipfix", "exporter", "192.0.2.1");
        LoadedPlugin p = plugin("p1", List.of(), beans);
        registrar.register(p);
        assertThat(beans.closed).hasValue(0);

        registrar.withdraw(p);

        assertThat(beans.closed).hasValue(1);
    }

    @Test
    void aMeterTwoContextsShareStaysUntilTheLastOfThemCloses() {
        MicrometerPluginContext a = new MicrometerPluginContext("p1", Clock.systemUTC(), leases, dataRoot, "stage", "s");
        MicrometerPluginContext b = new MicrometerPluginContext("p1", Clock.systemUTC(), leases, dataRoot, "stage", "s");
        Counter fromA = a.counter("caravan.decoder.records", "protocol", "ipfix");
        a.counter("caravan.decoder.records", "protocol", "ipfix");
        Counter fromB = b.counter("caravan.decoder.records", "protocol", "ipfix");

        a.close();
        fromB.increment(2);

        assertThat(meters.get("caravan.decoder.records").counter().count()).isEqualTo(2);
        b.close();
        assertThat(meters.find("caravan.decoder.records").meters()).isEmpty();
        fromA.increment();
    }

    @Test
    void theServerBindsNoMeterRegistryIntoCamelForPluginsToFish() throws Exception {
        DefaultCamelContext server = new DefaultCamelContext();
        try (CaravanRuntime runtime = new CaravanRuntime(CaravanConfig.load(Files.createDirectories(dataRoot.resolve("home")),
                null, Map.of(), new Properties()), server, "-registrar-test")) {
            assertThat(server.getRegistry().findByType(MeterRegistry.class)).isEmpty();
            assertThat(runtime.meters()).isNotNull();
        }
    }
}
