package io.caravan.server.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.Origin;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
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
        return new StageContext() {
            @Override
            public String stageName() {
                return name;
            }

            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }

            @Override
            public Counter counter(String counter, String... tags) {
                return n -> { };
            }
        };
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
        assertThat(p.contributions().beans()).isEmpty();
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
     * plugin's class loader must become unreachable, or each replaced plugin version stays in memory.
     */
    @Test
    void classLoaderIsReleasedAfterUnload() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        CaravanConfig config = CaravanConfig.load(home, null, Map.of(), new Properties());
        DefaultCamelContext camel = new DefaultCamelContext();
        try (CaravanRuntime runtime = new CaravanRuntime(config, camel, "-leak-test")) {
            camel.start();
            try {
                WeakReference<ClassLoader> loader = loadRouteAndUnload(runtime, camel);

                await("the unloaded plugin's class loader to be collected")
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> {
                            System.gc();
                            return loader.get() == null;
                        });
                assertThat(runtime.host().releasedLoadersAlive()).isZero();
                assertThat(runtime.host().plugins()).isEmpty();
            } finally {
                camel.stop();
            }
        }
    }

    /** Kept in its own frame so that, once it returns, the test holds nothing of the plugin but the weak reference. */
    private WeakReference<ClassLoader> loadRouteAndUnload(CaravanRuntime runtime, CamelContext camel) throws Exception {
        Path jar = PluginJarBuilder.plugin("tagger", "1.0.0")
                .source("com.example.tag.TagStage",
                        PluginJarBuilder.taggingStage("com.example.tag", "TagStage", "tag", "color", "blue"))
                .source("com.example.tag.Summary", "package com.example.tag; public record Summary(int records) {}")
                .source("com.example.tag.SummaryStage", """
                        package com.example.tag;
                        import io.caravan.api.flow.FlowBatch;
                        import io.caravan.api.stage.*;
                        import java.util.List;
                        import org.pf4j.Extension;
                        @Extension
                        public class SummaryStage implements StageProvider<FlowBatch, Summary> {
                            public String name() { return "summarize"; }
                            public String description() { return "counts"; }
                            public Class<FlowBatch> inputType() { return FlowBatch.class; }
                            public Class<Summary> outputType() { return Summary.class; }
                            public List<OptionSpec> options() { return List.of(); }
                            public Stage<FlowBatch, Summary> create(StageOptions o, StageContext c) { return b -> new Summary(b.size()); }
                        }
                        """)
                .build(jars.resolve("tagger.jar"));
        LoadedPlugin plugin = runtime.host().load(jar);
        runtime.registrar().register(plugin);
        WeakReference<ClassLoader> loader = new WeakReference<>(plugin.classLoader());

        Path routes = Files.createDirectories(tmp.resolve("home/routes"));
        Path file = Files.writeString(routes.resolve("tagging.yaml"), """
                - route:
                    id: tagging
                    from:
                      uri: direct:in
                      steps:
                        - to: stage:tag?key=colour
                        - to: stage:summarize
                        - convertBodyTo: java.lang.String
                        - to: mock:out
                """);
        runtime.routes().apply(file, true);
        assertThat(runtime.routes().view()).extracting(RouteFileController.FileView::status)
                .containsExactly(RouteFileController.Status.ACTIVE);

        MockEndpoint out = camel.getEndpoint("mock:out", MockEndpoint.class);
        FlowRecord record = new FlowRecord();
        try (ProducerTemplate template = camel.createProducerTemplate()) {
            template.sendBody("direct:in", FlowBatch.of(Origin.UNKNOWN, record));
        }
        assertThat(out.getReceivedCounter()).isEqualTo(1);
        assertThat(record.attribute("colour")).isEqualTo("blue");
        out.reset();

        runtime.routes().remove(file);
        assertThat(camel.getRoutes()).isEmpty();
        runtime.registrar().withdraw(plugin);
        runtime.host().unload(plugin.id());
        assertThat(camel.getEndpoints()).noneMatch(e -> e.getEndpointUri().startsWith("stage:"));
        return loader;
    }
}
