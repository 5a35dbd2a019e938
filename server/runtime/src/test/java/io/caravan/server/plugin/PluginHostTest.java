package io.caravan.server.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.Origin;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.api.stage.StageOptions;
import io.caravan.api.stage.StageProvider;
import io.caravan.server.CaravanRuntime;
import io.caravan.server.config.CaravanConfig;
import io.caravan.server.reload.RouteFileController;
import io.caravan.testkit.PluginJarBuilder;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginHostTest {
    /** What the build writes into version.properties; the host compares Plugin-Requires against its x.y.z. */
    private static final String SERVER_VERSION = "0.1.0-SNAPSHOT";

    @TempDir
    Path tmp;

    private Path jars;
    private Path staging;
    private PluginHost host;

    @BeforeEach
    void setUp() throws IOException {
        jars = Files.createDirectories(tmp.resolve("plugins"));
        staging = tmp.resolve("staging");
        host = new PluginHost(staging, SERVER_VERSION);
    }

    @AfterEach
    void tearDown() {
        host.close();
    }

    private Path taggerJar(String file, String id, String version) {
        return PluginJarBuilder.plugin(id, version)
                .source("com.example.tag.TagStage",
                        PluginJarBuilder.taggingStage("com.example.tag", "TagStage", "tag", "color", "blue"))
                .build(jars.resolve(file));
    }

    private List<Path> stagedJars() throws IOException {
        if (!Files.isDirectory(staging)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(staging)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar")).toList();
        }
    }

    private static StageContext context(String name) {
        return RecordingStageContext.of(name, Clock.systemUTC());
    }

    @Test
    @SuppressWarnings("unchecked")
    void goodPluginLoadsAndItsStageWorks() throws Exception {
        Path jar = taggerJar("tagger.jar", "tagger", "1.2.3");

        LoadedPlugin p = host.load(jar);

        assertThat(p.id()).isEqualTo("tagger");
        assertThat(p.version()).isEqualTo("1.2.3");
        assertThat(p.description()).isEqualTo("test plugin tagger");
        assertThat(p.source()).isEqualTo(jar.toAbsolutePath().normalize());
        assertThat(p.contributions().stageNames()).containsExactly("tag");
        assertThat(p.contributions().components()).isEmpty();
        assertThat(p.contributions().beanNames()).isEmpty();
        assertThat(host.plugins()).containsExactly(p);
        assertThat(host.get("tagger")).contains(p);
        assertThat(host.bySource(jar)).contains(p);
        assertThat(stagedJars()).containsExactly(p.staged());

        StageProvider<FlowBatch, FlowBatch> provider = (StageProvider<FlowBatch, FlowBatch>) p.contributions().stages().get(0);
        assertThat(provider.getClass().getClassLoader()).isSameAs(p.classLoader()).isNotSameAs(getClass().getClassLoader());
        assertThat(provider.inputType()).isSameAs(FlowBatch.class);
        Stage<FlowBatch, FlowBatch> stage = provider.create(StageOptions.defaults("tag", provider.options()), context("tag"));
        FlowRecord record = new FlowRecord().srcPort(53);
        FlowBatch out = stage.apply(FlowBatch.of(Origin.UNKNOWN, record));

        assertThat(out.records()).containsExactly(record);
        assertThat(record.attribute("color")).isEqualTo("blue");
    }

    @Test
    void unloadForgetsThePluginAndDeletesItsStagedCopy() throws Exception {
        LoadedPlugin p = host.load(taggerJar("tagger.jar", "tagger", "1.0.0"));

        host.unload(p.id());

        assertThat(host.plugins()).isEmpty();
        assertThat(host.get("tagger")).isEmpty();
        assertThat(stagedJars()).isEmpty();
    }

    @Test
    void manifestWithoutPluginIdIsRejected() {
        Path jar = PluginJarBuilder.plugin("anonymous", "1.0.0")
                .source("com.example.anon.TagStage",
                        PluginJarBuilder.taggingStage("com.example.anon", "TagStage", "anon", "k", "v"))
                .withoutPluginId()
                .build(jars.resolve("anonymous.jar"));

        assertThatThrownBy(() -> host.load(jar))
                .isInstanceOf(PluginLoadException.class)
                .hasMessage("anonymous.jar: not a plugin jar: the manifest has no Plugin-Id");
        assertNothingLoaded();
    }

    @Test
    void stageNeedingAClassMissingFromTheJarIsRejectedNamingThatClass() {
        Path jar = PluginJarBuilder.plugin("broken", "1.0.0")
                .source("com.example.broken.Helper", """
                        package com.example.broken;

                        public class Helper {
                            public String stageName() { return "broken"; }
                        }
                        """)
                .source("com.example.broken.BrokenStage", """
                        package com.example.broken;

                        import io.caravan.api.flow.FlowBatch;
                        import io.caravan.api.stage.*;
                        import java.util.List;
                        import org.pf4j.Extension;

                        @Extension
                        public class BrokenStage implements StageProvider<FlowBatch, FlowBatch> {
                            private final Helper helper = new Helper();
                            public String name() { return helper.stageName(); }
                            public String description() { return "needs Helper"; }
                            public Class<FlowBatch> inputType() { return FlowBatch.class; }
                            public Class<FlowBatch> outputType() { return FlowBatch.class; }
                            public List<OptionSpec> options() { return List.of(); }
                            public Stage<FlowBatch, FlowBatch> create(StageOptions o, StageContext c) { return b -> b; }
                        }
                        """)
                .omitClass("com.example.broken.Helper")
                .build(jars.resolve("broken.jar"));

        assertThatThrownBy(() -> host.load(jar))
                .isInstanceOf(PluginLoadException.class)
                .hasMessageStartingWith("broken.jar: plugin 'broken': extension com.example.broken.BrokenStage")
                .hasMessageContaining("needs class com.example.broken.Helper")
                .hasMessageContaining("neither in the jar nor provided by the server");
        assertNothingLoaded();
    }

    @Test
    void aStageWhoseDefaultBreaksItsOwnBoundsIsRejectedNamingStageAndOption() {
        Path jar = PluginJarBuilder.plugin("sized", "1.0.0")
                .source("com.example.sized.SizedStage", """
                        package com.example.sized;

                        import io.caravan.api.flow.FlowBatch;
                        import io.caravan.api.stage.*;
                        import java.util.List;
                        import org.pf4j.Extension;

                        @Extension
                        public class SizedStage implements StageProvider<FlowBatch, FlowBatch> {
                            public String name() { return "sized"; }
                            public String description() { return "a default outside its bounds"; }
                            public Class<FlowBatch> inputType() { return FlowBatch.class; }
                            public Class<FlowBatch> outputType() { return FlowBatch.class; }
                            public List<OptionSpec> options() {
                                return List.of(OptionSpec.integer("batchSize", 0, "datagrams per batch").min(1).max(4096));
                            }
                            public Stage<FlowBatch, FlowBatch> create(StageOptions o, StageContext c) { return b -> b; }
                        }
                        """)
                .build(jars.resolve("sized.jar"));

        assertThatThrownBy(() -> host.load(jar))
                .isInstanceOf(PluginLoadException.class)
                .hasMessage("sized.jar: plugin 'sized': stage 'sized' declares an option its own rules refuse: stage 'sized':"
                        + " option 'batchSize' must be 1 to 4096; got '0'");
        assertNothingLoaded();
    }

    @Test
    void aComponentDeclaringAnOptionTwiceIsRejected() {
        Path jar = PluginJarBuilder.plugin("twice", "1.0.0")
                .source("com.example.twice.TwiceComponent", """
                        package com.example.twice;

                        import io.caravan.api.plugin.ComponentProvider;
                        import io.caravan.api.plugin.PluginContext;
                        import io.caravan.api.stage.OptionSpec;
                        import java.util.List;
                        import org.apache.camel.Component;
                        import org.pf4j.Extension;

                        @Extension
                        public class TwiceComponent implements ComponentProvider {
                            public String scheme() { return "twice"; }
                            public String description() { return "declares port twice"; }
                            public List<OptionSpec> options() {
                                return List.of(OptionSpec.integer("port", 1, "a port"), OptionSpec.integer("port", 2, "again"));
                            }
                            public Component create(PluginContext context) { throw new IllegalStateException("not reached"); }
                        }
                        """)
                .build(jars.resolve("twice.jar"));

        assertThatThrownBy(() -> host.load(jar))
                .isInstanceOf(PluginLoadException.class)
                .hasMessage("twice.jar: plugin 'twice': component 'twice' declares an option its own rules refuse:"
                        + " component 'twice': option 'port' is declared twice");
        assertNothingLoaded();
    }

    @Test
    void corruptFileIsRejected() throws IOException {
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);
        Path jar = Files.write(jars.resolve("x.jar"), noise);

        assertThatThrownBy(() -> host.load(jar))
                .isInstanceOf(PluginLoadException.class)
                .hasMessageStartingWith("x.jar: not a readable jar (");
        assertNothingLoaded();
    }

    @Test
    void secondJarWithTheSameIdIsRejectedAndTheFirstKeepsRunning() throws Exception {
        LoadedPlugin first = host.load(taggerJar("a.jar", "tagger", "1.0.0"));
        Path second = taggerJar("b.jar", "tagger", "2.0.0");

        assertThatThrownBy(() -> host.load(second))
                .isInstanceOf(PluginLoadException.class)
                .hasMessage("b.jar: plugin 'tagger' is already loaded from a.jar; remove that jar first, "
                        + "or overwrite it to replace the plugin");
        assertThat(host.plugins()).containsExactly(first);
        assertThat(stagedJars()).containsExactly(first.staged());
    }

    @Test
    void pluginRequiringANewerServerIsRejected() {
        Path jar = PluginJarBuilder.plugin("future", "1.0.0")
                .source("com.example.future.TagStage",
                        PluginJarBuilder.taggingStage("com.example.future", "TagStage", "future", "k", "v"))
                .requires(">=99.0.0")
                .build(jars.resolve("future.jar"));

        assertThatThrownBy(() -> host.load(jar))
                .isInstanceOf(PluginLoadException.class)
                .hasMessage("future.jar: plugin 'future' requires Caravan >=99.0.0 but this server is 0.1.0");
        assertNothingLoaded();
    }

    @Test
    void aRejectedJarDoesNotBlockTheNextOne() throws Exception {
        Path noise = Files.write(jars.resolve("x.jar"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> host.load(noise)).isInstanceOf(PluginLoadException.class);

        LoadedPlugin p = host.load(taggerJar("tagger.jar", "tagger", "1.0.0"));

        assertThat(host.plugins()).containsExactly(p);
    }

    @Test
    void aRejectedPluginLoadsOnceFixed() throws Exception {
        Path future = PluginJarBuilder.plugin("tagger", "1.0.0")
                .source("com.example.tag.TagStage",
                        PluginJarBuilder.taggingStage("com.example.tag", "TagStage", "tag", "color", "blue"))
                .requires(">=99.0.0")
                .build(jars.resolve("tagger.jar"));
        assertThatThrownBy(() -> host.load(future)).isInstanceOf(PluginLoadException.class);

        LoadedPlugin fixed = host.load(taggerJar("tagger.jar", "tagger", "1.0.1"));

        assertThat(fixed.version()).isEqualTo("1.0.1");
        assertThat(host.plugins()).containsExactly(fixed);
    }

    @Test
    void anUnloadedPluginCanBeLoadedAgainInAFreshClassLoader() throws Exception {
        Path jar = taggerJar("tagger.jar", "tagger", "1.0.0");
        ClassLoader first = host.load(jar).classLoader();
        host.unload("tagger");

        LoadedPlugin again = host.load(jar);

        assertThat(again.classLoader()).isNotSameAs(first);
        assertThat(again.contributions().stageNames()).containsExactly("tag");
    }

    private void assertNothingLoaded() {
        assertThat(host.plugins()).isEmpty();
        try {
            assertThat(stagedJars()).isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Everything a running server does with a plugin, then everything it does to let go of it: the
     * plugin's class loader must become unreachable, or each replaced plugin version stays in
     * memory. The route gives Camel every chance to remember the plugin's classes: a stage, a
     * plugin bean called by the bean EIP, a body of the plugin's own type read with simple OGNL,
     * logged and converted to a String, and an exchange failed by the plugin's own exception.
     */
    @Test
    void classLoaderIsReleasedAfterUnload() throws Exception {
        try (Server server = new Server()) {
            WeakReference<ClassLoader> loader = loadRouteAndUnload(server.runtime, server.camel);

            assertCollected(loader);
            assertThat(server.runtime.host().releasedLoadersAlive()).isZero();
            assertThat(server.runtime.host().plugins()).isEmpty();
        }
    }

    /** The same, with the jar deleted from plugins/ and the change applied the way the server does it. */
    @Test
    void classLoaderIsReleasedAfterTheReloadCoordinatorUnloadsAPlugin() throws Exception {
        try (Server server = new Server()) {
            WeakReference<ClassLoader> loader = loadRouteAndDeleteJar(server.runtime, server.camel);

            assertCollected(loader);
            assertThat(server.runtime.host().releasedLoadersAlive()).isZero();
        }
    }

    private static void assertCollected(WeakReference<ClassLoader> loader) {
        await("the unloaded plugin's class loader to be collected")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    System.gc();
                    return loader.get() == null;
                });
    }

    /** A started CamelContext with the runtime wired around it, as the server has it. */
    private final class Server implements AutoCloseable {
        final DefaultCamelContext camel = new DefaultCamelContext();
        final CaravanRuntime runtime;

        Server() throws IOException {
            Path home = Files.createDirectories(tmp.resolve("home"));
            runtime = new CaravanRuntime(CaravanConfig.load(home, null, Map.of(), new Properties()), camel, "-leak-test");
            camel.start();
        }

        @Override
        public void close() {
            camel.stop();
            runtime.close();
        }
    }

    private static final String SUMMARY_ROUTE = """
            - route:
                id: summary
                from:
                  uri: direct:in
                  steps:
                    - to: stage:tag?key=colour
                    - bean:
                        ref: audit
                        method: note
                    - to: stage:summarize
                    - setHeader:
                        name: records
                        simple: "${body.records}"
                    - log: "summary ${body}"
                    - convertBodyTo: java.lang.String
                    - to: mock:out
            """;

    /** Kept in its own frame so that, once it returns, the test holds nothing of the plugin but the weak reference. */
    private WeakReference<ClassLoader> loadRouteAndUnload(CaravanRuntime runtime, CamelContext camel) throws Exception {
        LoadedPlugin plugin = runtime.host().load(summaryPluginJar(jars));
        runtime.registrar().register(plugin);
        WeakReference<ClassLoader> loader = new WeakReference<>(plugin.classLoader());
        Path file = Files.writeString(Files.createDirectories(tmp.resolve("home/routes")).resolve("summary.yaml"),
                SUMMARY_ROUTE);
        runtime.routes().apply(file, true);

        sendThroughSummaryRoute(runtime, camel);

        runtime.routes().remove(file);
        assertThat(camel.getRoutes()).isEmpty();
        runtime.registrar().withdraw(plugin);
        runtime.host().unload(plugin.id());
        assertThat(camel.getRegistry().lookupByName("audit")).isNull();
        return loader;
    }

    private WeakReference<ClassLoader> loadRouteAndDeleteJar(CaravanRuntime runtime, CamelContext camel) throws Exception {
        Path jar = summaryPluginJar(Files.createDirectories(tmp.resolve("home/plugins")));
        Files.writeString(Files.createDirectories(tmp.resolve("home/routes")).resolve("summary.yaml"), SUMMARY_ROUTE);
        runtime.coordinator().start(false, false, Duration.ofMillis(100));
        WeakReference<ClassLoader> loader = new WeakReference<>(runtime.host().get("summary").orElseThrow().classLoader());

        sendThroughSummaryRoute(runtime, camel);

        Files.delete(jar);
        runtime.coordinator().reloadAll();
        assertThat(runtime.host().plugins()).isEmpty();
        assertThat(camel.getRoute("summary")).isNull();
        assertThat(runtime.routes().view()).singleElement().satisfies(v -> {
            assertThat(v.status()).isEqualTo(RouteFileController.Status.FAILED);
            assertThat(v.error()).contains("unknown stage 'tag'");
        });
        return loader;
    }

    private static void sendThroughSummaryRoute(CaravanRuntime runtime, CamelContext camel) throws Exception {
        assertThat(runtime.routes().view()).extracting(RouteFileController.FileView::status)
                .containsExactly(RouteFileController.Status.ACTIVE);
        MockEndpoint out = camel.getEndpoint("mock:out", MockEndpoint.class);
        FlowRecord record = new FlowRecord();
        try (ProducerTemplate template = camel.createProducerTemplate()) {
            template.sendBody("direct:in", FlowBatch.of(Origin.UNKNOWN, record, new FlowRecord()));
            Exchange failed = template.send("direct:in", e -> e.getMessage()
                    .setBody(FlowBatch.of(Origin.UNKNOWN, new FlowRecord(), new FlowRecord(), new FlowRecord())));
            assertThat(failed.getException()).hasMessage("too big: 3");
        }
        assertThat(out.getReceivedExchanges()).singleElement().satisfies(e -> {
            assertThat(e.getMessage().getBody()).isEqualTo("Summary[records=2]");
            assertThat(e.getMessage().getHeader("records")).isEqualTo(2);
        });
        assertThat(record.attributes()).containsEntry("colour", "blue").containsEntry("audited", true);
        out.reset();
    }

    /**
     * Stage "tag", stage "summarize" (FlowBatch to the plugin's own Summary type; fails batches of
     * more than two records with its own exception) and bean "audit".
     */
    private static Path summaryPluginJar(Path dir) {
        return PluginJarBuilder.plugin("summary", "1.0.0")
                .source("com.example.summary.TagStage",
                        PluginJarBuilder.taggingStage("com.example.summary", "TagStage", "tag", "color", "blue"))
                .source("com.example.summary.Summary", """
                        package com.example.summary;

                        public record Summary(int records) {
                        }
                        """)
                .source("com.example.summary.SummaryStage", """
                        package com.example.summary;

                        import io.caravan.api.flow.FlowBatch;
                        import io.caravan.api.stage.*;
                        import java.util.List;
                        import org.pf4j.Extension;

                        @Extension
                        public class SummaryStage implements StageProvider<FlowBatch, Summary> {
                            public static class TooBig extends StageException {
                                TooBig(int n) { super("too big: " + n); }
                            }
                            public String name() { return "summarize"; }
                            public String description() { return "counts the records"; }
                            public Class<FlowBatch> inputType() { return FlowBatch.class; }
                            public Class<Summary> outputType() { return Summary.class; }
                            public List<OptionSpec> options() { return List.of(); }
                            public Stage<FlowBatch, Summary> create(StageOptions o, StageContext c) {
                                return b -> {
                                    if (b.size() > 2) {
                                        throw new TooBig(b.size());
                                    }
                                    return new Summary(b.size());
                                };
                            }
                        }
                        """)
                .source("com.example.summary.AuditBeans", """
                        package com.example.summary;

                        import io.caravan.api.flow.FlowBatch;
                        import io.caravan.api.plugin.BeanProvider;
                        import java.util.Map;
                        import org.pf4j.Extension;

                        @Extension
                        public class AuditBeans implements BeanProvider {
                            public static class Audit {
                                public void note(FlowBatch b) { b.records().forEach(r -> r.attribute("audited", true)); }
                            }
                            public Map<String, Object> beans(io.caravan.api.plugin.PluginContext ctx) { return Map.of("audit", new Audit()); }
                            public Map<String, String> descriptions() { return Map.of("audit", "marks records as audited"); }
                        }
                        """)
                .build(dir.resolve("summary.jar"));
    }
}
