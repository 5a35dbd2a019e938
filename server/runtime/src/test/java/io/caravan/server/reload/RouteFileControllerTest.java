package io.caravan.server.reload;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.OptionType;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import io.caravan.api.stage.StageOptions;
import io.caravan.api.stage.StageProvider;
import io.caravan.server.plugin.Contributions;
import io.caravan.server.reload.RouteFileController.FileView;
import io.caravan.server.reload.RouteFileController.Status;
import io.caravan.server.stage.RegisteredStage;
import io.caravan.server.stage.StageComponent;
import io.caravan.server.stage.StageRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteFileControllerTest {
    @TempDir
    Path dir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ReloadHistory history = new ReloadHistory(100, meters);
    private final PassThrough tag = new PassThrough("tag");
    private final PassThrough tagger = new PassThrough("tagger");
    private final Processor enricher = e -> e.getMessage().setHeader("enriched", true);
    private final StageRegistry stages = new StageRegistry();
    private DefaultCamelContext camel;
    private ProducerTemplate template;
    private RouteFileController controller;

    @BeforeEach
    void setUp() {
        stages.add(new RegisteredStage(tag, "test", "1.0", getClass().getClassLoader()));
        stages.add(new RegisteredStage(tagger, "test", "1.0", getClass().getClassLoader()));
        camel = new DefaultCamelContext();
        camel.addComponent(StageComponent.SCHEME, new StageComponent(stages, meters, Clock.systemUTC(), java.nio.file.Path.of("target", "plugin-data")));
        camel.getRegistry().bind("enricher", enricher);
        camel.getRegistry().bind("enricherV2", (Processor) e -> { });
        camel.start();
        template = camel.createProducerTemplate();
        controller = new RouteFileController(camel, new RouteFileParser(camel), history);
    }

    @AfterEach
    void tearDown() throws Exception {
        template.close();
        camel.stop();
    }

    /** One route with an id, from direct:{id} to mock:{id}. */
    private static String directToMock(String id) {
        return route(id, "direct:" + id, "mock:" + id);
    }

    private static String route(String id, String from, String to) {
        return """
                - route:
                    id: %s
                    from:
                      uri: %s
                      steps:
                        - to: %s
                """.formatted(id, from, to);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private Path apply(String name, String text) throws IOException {
        Path file = write(name, text);
        controller.apply(file, false);
        return file;
    }

    private FileView view(String name) {
        return controller.view().stream().filter(v -> v.file().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no view of " + name + " in " + controller.view()));
    }

    private ReloadEvent lastEvent() {
        List<ReloadEvent> events = history.events();
        assertThat(events).isNotEmpty();
        return events.get(events.size() - 1);
    }

    private void assertStarted(String routeId) {
        assertThat(camel.getRouteController().getRouteStatus(routeId)).as("status of route " + routeId)
                .isEqualTo(ServiceStatus.Started);
    }

    /** Sends one message through direct:{id} and checks it reached mock:{id}: the route really works. */
    private void assertDelivers(String routeId) {
        MockEndpoint mock = camel.getEndpoint("mock:" + routeId, MockEndpoint.class);
        int before = mock.getReceivedCounter();
        template.sendBody("direct:" + routeId, "ping");
        assertThat(mock.getReceivedCounter()).isEqualTo(before + 1);
    }

    private Model model() {
        return camel.getCamelContextExtension().getContextPlugin(Model.class);
    }

    @Test
    void addedFileRunsItsRoutesWithIdsFromTheFileName() throws IOException {
        apply("a.yaml", """
                - route:
                    from:
                      uri: timer:a?period=60000&delay=60000
                      steps:
                        - to: log:a?level=OFF
                - route:
                    from:
                      uri: direct:a-2
                      steps:
                        - to: mock:a-2
                """);

        assertThat(view("a.yaml")).satisfies(v -> {
            assertThat(v.status()).isEqualTo(Status.ACTIVE);
            assertThat(v.routes()).containsExactly("a", "a-2");
            assertThat(v.error()).isNull();
        });
        assertStarted("a");
        assertStarted("a-2");
        assertDelivers("a-2");
        assertThat(controller.fileOf("a-2")).contains("a.yaml");
        assertThat(lastEvent()).satisfies(e -> {
            assertThat(e.kind()).isEqualTo("routes");
            assertThat(e.target()).isEqualTo("a.yaml");
            assertThat(e.action()).isEqualTo("added");
            assertThat(e.outcome()).isEqualTo(ReloadEvent.OK);
            assertThat(e.routes()).containsExactly("a", "a-2");
        });
        assertThat(meters.get("caravan.reloads").tags("kind", "routes", "outcome", "ok").counter().count()).isEqualTo(1);
    }

    @Test
    void unchangedTextIsNotAppliedAgain() throws IOException {
        Path a = apply("a.yaml", directToMock("a1"));
        Route running = camel.getRoute("a1");

        controller.apply(a, false);

        assertThat(camel.getRoute("a1")).isSameAs(running);
        assertThat(history.events()).hasSize(1);
    }

    @Test
    void validEditReplacesOnlyThatFilesRoutes() throws IOException {
        apply("a.yaml", directToMock("a1"));
        apply("b.yaml", route("b1", "timer:b?period=60000&delay=60000", "log:b?level=OFF"));
        Route b1 = camel.getRoute("b1");

        apply("a.yaml", directToMock("a2"));

        assertThat(camel.getRoute("a1")).isNull();
        assertThat(model().getRouteDefinition("a1")).isNull();
        assertStarted("a2");
        assertDelivers("a2");
        assertThat(view("a.yaml").status()).isEqualTo(Status.ACTIVE);
        assertThat(view("a.yaml").routes()).containsExactly("a2");
        assertThat(camel.getRoute("b1")).isSameAs(b1);
        assertStarted("b1");
        assertThat(lastEvent().action()).isEqualTo("replaced");
        assertThat(lastEvent().outcome()).isEqualTo(ReloadEvent.OK);
    }

    @Test
    void yamlSyntaxErrorIsRejectedAndTheOldRoutesKeepRunning() throws IOException {
        apply("a.yaml", directToMock("a1"));
        Route a1 = camel.getRoute("a1");

        apply("a.yaml", """
                - route:
                    id: a1
                    from: [uri: direct:a1
                """);

        FileView v = view("a.yaml");
        assertThat(v.status()).isEqualTo(Status.REJECTED);
        assertThat(v.routes()).containsExactly("a1");
        assertThat(v.error()).startsWith("a.yaml: cannot parse: ");
        assertThat(camel.getRoute("a1")).isSameAs(a1);
        assertDelivers("a1");
        assertThat(lastEvent()).satisfies(e -> {
            assertThat(e.target()).isEqualTo("a.yaml");
            assertThat(e.action()).isEqualTo("replaced");
            assertThat(e.outcome()).isEqualTo(ReloadEvent.REJECTED);
            assertThat(e.routes()).containsExactly("a1");
            assertThat(e.error()).isEqualTo(v.error());
        });
        assertThat(meters.get("caravan.reloads").tags("kind", "routes", "outcome", "rejected").counter().count())
                .isEqualTo(1);
    }

    @Test
    void unknownComponentIsRejectedAndThePreviousVersionRunsAgain() throws IOException {
        apply("a.yaml", directToMock("a1"));

        apply("a.yaml", directToMock("a2") + route("a3", "direct:a3", "nope:x"));

        FileView v = view("a.yaml");
        assertThat(v.status()).isEqualTo(Status.REJECTED);
        assertThat(v.routes()).containsExactly("a1");
        assertThat(v.error()).startsWith("a.yaml: routes failed to start: ").contains("nope");
        assertStarted("a1");
        assertDelivers("a1");
        assertThat(camel.getRoute("a2")).as("the edit's good route, started before its bad one failed").isNull();
        assertThat(model().getRouteDefinition("a2")).isNull();
        assertThat(camel.getRoute("a3")).isNull();
        assertThat(model().getRouteDefinition("a3")).isNull();
        assertThat(lastEvent().outcome()).isEqualTo(ReloadEvent.REJECTED);
        assertThat(lastEvent().routes()).containsExactly("a1");
    }

    @Test
    void unknownStageIsRejectedListingTheStagesThereAre() throws IOException {
        apply("a.yaml", directToMock("a1"));

        apply("a.yaml", route("a1", "direct:a1", "stage:missing"));

        FileView v = view("a.yaml");
        assertThat(v.status()).isEqualTo(Status.REJECTED);
        assertThat(v.error()).contains("unknown stage 'missing'; stages available: tag, tagger");
        assertStarted("a1");
        assertDelivers("a1");
    }

    @Test
    void anOptionErrorNamesRouteFileStageAndOptionInOneLine() throws IOException {
        String where = "(" + dir.getFileName() + "/a.yaml)";
        apply("a.yaml", route("a1", "direct:a1", "stage:tag?size=0"));

        assertThat(view("a.yaml").status()).isEqualTo(Status.FAILED);
        assertThat(view("a.yaml").error())
                .isEqualTo("route 'a1' " + where + ": stage 'tag': option 'size' must be 1 to 4096; got '0'");

        apply("a.yaml", directToMock("a0") + route("a1", "direct:a1", "stage:tag?key=refused"));
        assertThat(view("a.yaml").error()).as("a rule the stage checks when it is built, at route start")
                .isEqualTo("route 'a1' " + where + ": stage 'tag': option 'key' may not be 'refused'");

        apply("a.yaml", route("a1", "direct:a1", "stage:tga"));
        assertThat(view("a.yaml").error())
                .isEqualTo("route 'a1' " + where + ": unknown stage 'tga'; stages available: tag, tagger");
        assertThat(lastEvent().error()).isEqualTo(view("a.yaml").error());
    }

    @Test
    void fixingARejectedFileMakesItActiveAgain() throws IOException {
        apply("a.yaml", directToMock("a1"));
        apply("a.yaml", route("a1", "direct:a1", "nope:x"));
        assertThat(view("a.yaml").status()).isEqualTo(Status.REJECTED);

        apply("a.yaml", directToMock("a2"));

        assertThat(view("a.yaml").status()).isEqualTo(Status.ACTIVE);
        assertThat(view("a.yaml").error()).isNull();
        assertThat(view("a.yaml").routes()).containsExactly("a2");
        assertThat(camel.getRoute("a1")).isNull();
        assertDelivers("a2");
    }

    @Test
    void aFileWaitingForAStageStartsOnceTheStageArrivesAndIsReloaded() throws IOException {
        Path file = apply("late.yaml", route("late", "direct:late", "stage:late-stage"));
        assertThat(view("late.yaml").status()).isEqualTo(Status.FAILED);
        assertThat(view("late.yaml").error()).contains("unknown stage 'late-stage'");
        assertThat(camel.getRoute("late")).isNull();
        assertThat(controller.failedFiles()).containsExactly(file);

        stages.add(new RegisteredStage(new PassThrough("late-stage"), "test", "1.0", getClass().getClassLoader()));
        controller.reload(controller.failedFiles(), "retried");

        assertThat(view("late.yaml").status()).isEqualTo(Status.ACTIVE);
        assertStarted("late");
        assertThat(controller.failedFiles()).isEmpty();
        assertThat(lastEvent().action()).isEqualTo("retried");
    }

    @Test
    void suspendedFilesStopUntilReloaded() throws IOException {
        Path a = apply("a.yaml", route("a1", "direct:a1", "stage:tag"));
        apply("b.yaml", directToMock("b1"));
        Route b1 = camel.getRoute("b1");

        controller.suspend(List.of(a), "plugin 'tags' was removed");

        assertThat(camel.getRoute("a1")).isNull();
        assertThat(view("a.yaml").status()).isEqualTo(Status.FAILED);
        assertThat(view("a.yaml").error()).isEqualTo("plugin 'tags' was removed");
        assertThat(camel.getRoute("b1")).isSameAs(b1);

        controller.reload(List.of(a), "restarted");

        assertThat(view("a.yaml").status()).isEqualTo(Status.ACTIVE);
        assertStarted("a1");
    }

    @Test
    void newFileReusingAnotherFilesRouteIdFailsAndTheOtherIsUntouched() throws IOException {
        apply("a.yaml", directToMock("shared"));
        Route shared = camel.getRoute("shared");

        apply("b.yaml", route("shared", "direct:b", "mock:b"));

        FileView b = view("b.yaml");
        assertThat(b.status()).isEqualTo(Status.FAILED);
        assertThat(b.routes()).isEmpty();
        assertThat(b.error()).isEqualTo("b.yaml: route id 'shared' is already used by a.yaml");
        assertThat(camel.getRoute("shared")).isSameAs(shared);
        assertThat(view("a.yaml").status()).isEqualTo(Status.ACTIVE);
        assertDelivers("shared");
        assertThat(controller.failedFiles()).containsExactly(dir.resolve("b.yaml"));
    }

    @Test
    void editTakingAnotherFilesRouteIdIsRejectedAndBothKeepRunning() throws IOException {
        apply("a.yaml", directToMock("a1"));
        apply("b.yaml", directToMock("b1"));
        Route a1 = camel.getRoute("a1");
        Route b1 = camel.getRoute("b1");

        apply("b.yaml", directToMock("a1"));

        assertThat(view("b.yaml").status()).isEqualTo(Status.REJECTED);
        assertThat(view("b.yaml").error()).isEqualTo("b.yaml: route id 'a1' is already used by a.yaml");
        assertThat(camel.getRoute("a1")).isSameAs(a1);
        assertThat(camel.getRoute("b1")).isSameAs(b1);
        assertThat(controller.fileOf("a1")).contains("a.yaml");
    }

    @Test
    void emptyFileIsRefused() throws IOException {
        apply("new.yaml", "  \n");
        apply("a.yaml", directToMock("a1"));

        apply("a.yaml", "");

        assertThat(view("new.yaml").status()).isEqualTo(Status.FAILED);
        assertThat(view("new.yaml").error()).isEqualTo("new.yaml: the file is empty");
        assertThat(view("a.yaml").status()).isEqualTo(Status.REJECTED);
        assertThat(view("a.yaml").error()).isEqualTo("a.yaml: the file is empty");
        assertDelivers("a1");
    }

    @Test
    void deletedFileHasItsRoutesRemoved() throws IOException {
        Path a = apply("a.yaml", directToMock("a1"));
        apply("b.yaml", directToMock("b1"));

        Files.delete(a);
        controller.apply(a, false);

        assertThat(camel.getRoute("a1")).isNull();
        assertThat(model().getRouteDefinition("a1")).isNull();
        assertThat(controller.view()).extracting(FileView::file).containsExactly("b.yaml");
        assertThat(controller.knownFiles()).containsExactly(dir.resolve("b.yaml"));
        assertStarted("b1");
        assertThat(lastEvent()).satisfies(e -> {
            assertThat(e.target()).isEqualTo("a.yaml");
            assertThat(e.action()).isEqualTo("removed");
            assertThat(e.outcome()).isEqualTo(ReloadEvent.OK);
        });
    }

    @Test
    void loadAllAppliesRouteFilesInNameOrderAndSkipsTheRest() throws IOException {
        write("b.yml", directToMock("b1"));
        write("a.yaml", directToMock("a1"));
        write(".a.yaml.swp", directToMock("swap"));
        write("notes.txt", "not a route file");

        controller.loadAll(dir);

        assertThat(controller.view()).extracting(FileView::file).containsExactly("a.yaml", "b.yml");
        assertThat(history.events()).extracting(ReloadEvent::target).containsExactly("a.yaml", "b.yml");
        assertThat(camel.getRoute("swap")).isNull();
    }

    @Test
    void filesUsingFindsStageAndBeanReferencesButNotMereNamePrefixes() throws IOException {
        Path usesTag = apply("uses-tag.yaml", route("t1", "direct:t1", "stage:tag"));
        Path usesTagger = apply("uses-tagger.yaml", route("t2", "direct:t2", "stage:tagger"));
        Path usesEnricher = apply("uses-enricher.yaml", """
                - route:
                    id: e1
                    from:
                      uri: direct:e1
                      steps:
                        - process:
                            ref: enricher
                """);
        apply("uses-enricher-v2.yaml", """
                - route:
                    id: e2
                    from:
                      uri: direct:e2
                      steps:
                        - process:
                            ref: enricherV2
                """);
        apply("plain.yaml", directToMock("p1"));
        assertThat(controller.view()).extracting(FileView::status).containsOnly(Status.ACTIVE);

        Contributions tagAndEnricher = new Contributions(List.of(tag), List.of(), List.of(),
                Map.of("enricher", "sets a header"));
        Contributions taggerOnly = new Contributions(List.of(tagger), List.of(), List.of(), Map.of());

        assertThat(controller.filesUsing(tagAndEnricher)).containsExactlyInAnyOrder(usesTag, usesEnricher);
        assertThat(controller.filesUsing(taggerOnly)).containsExactly(usesTagger);
    }

    /** A template and its instances, as the shipped collect.yaml: one template, one route per instance. */
    private static String templated(String suffix, String... instances) {
        StringBuilder text = new StringBuilder("""
                - routeTemplate:
                    id: relay
                    parameters:
                      - name: name
                        description: the direct endpoint to read
                      - name: step
                        description: the stage endpoint to pass through
                      - name: suffix
                        defaultValue: "%s"
                    from:
                      uri: "direct:{{name}}"
                      steps:
                        - to: "{{step}}"
                        - to: "mock:{{name}}{{suffix}}"
                """.formatted(suffix));
        for (String instance : instances) {
            String[] idNameStep = instance.split(" ");
            text.append("""
                    - templatedRoute:
                        routeTemplateRef: relay
                        routeId: %s
                        parameters:
                          - name: name
                            value: %s
                          - name: step
                            value: "%s"
                    """.formatted(idNameStep[0], idNameStep[1], idNameStep[2]));
        }
        return text.toString();
    }

    private void assertDelivers(String direct, String mock) {
        MockEndpoint m = camel.getEndpoint(mock, MockEndpoint.class);
        int before = m.getReceivedCounter();
        template.sendBody(direct, new FlowBatch(io.caravan.api.flow.Origin.UNKNOWN,
                new java.util.ArrayList<>(List.of(new io.caravan.api.flow.FlowRecord()))));
        assertThat(m.getReceivedCounter()).as("messages at " + mock).isEqualTo(before + 1);
    }

    @Test
    void aTemplatedFileRunsOneRouteForEachTemplatedRouteUnderItsOwnId() throws IOException {
        apply("relays.yaml", templated("", "relay-a a stage:tag", "relay-b b stage:tagger?key=x", "c c stage:tag"));

        assertThat(view("relays.yaml").status()).isEqualTo(Status.ACTIVE);
        assertThat(view("relays.yaml").routes()).containsExactly("relay-a", "relay-b", "c");
        assertThat(controller.fileOf("relay-b")).contains("relays.yaml");
        assertDelivers("direct:a", "mock:a");
        assertDelivers("direct:b", "mock:b");
        assertDelivers("direct:c", "mock:c");
        assertThat(camel.hasEndpoint("stage:tagger?key=x")).isNotNull();
        assertThat(model().getRouteTemplateDefinitions()).as("templates stay in their file").isEmpty();
    }

    @Test
    void editingATemplateReplacesEveryRouteMadeFromIt() throws IOException {
        apply("relays.yaml", templated("", "relay-a a stage:tag", "relay-b b stage:tag"));
        Route before = camel.getRoute("relay-a");

        apply("relays.yaml", templated("-v2", "relay-a a stage:tag", "relay-b b stage:tag"));

        assertThat(view("relays.yaml").status()).isEqualTo(Status.ACTIVE);
        assertThat(camel.getRoute("relay-a")).isNotSameAs(before);
        assertDelivers("direct:a", "mock:a-v2");
        assertDelivers("direct:b", "mock:b-v2");
        assertThat(lastEvent().action()).isEqualTo("replaced");
        assertThat(lastEvent().routes()).containsExactly("relay-a", "relay-b");
    }

    @Test
    void aBrokenEditOfATemplatedFileIsRejectedAndEveryRouteOfItKeepsRunning() throws IOException {
        apply("relays.yaml", templated("", "relay-a a stage:tag", "relay-b b stage:tag"));

        apply("relays.yaml", templated("", "relay-a a stage:tag", "relay-b b stage:missing"));
        assertThat(view("relays.yaml").status()).isEqualTo(Status.REJECTED);
        assertThat(view("relays.yaml").error()).contains("unknown stage 'missing'");
        assertDelivers("direct:a", "mock:a");
        // Refused before anything is touched: the restored routes keep running as they are.
        Route a = camel.getRoute("relay-a");

        apply("relays.yaml", templated("", "relay-a a stage:tag").replaceFirst("- name: name\n", "- name: nam\n"));
        assertThat(view("relays.yaml").error()).isEqualTo("relays.yaml: templatedRoute 'relay-a': parameter 'name' is"
                + " not a parameter of routeTemplate 'relay'; its parameters: nam, step, suffix");

        apply("relays.yaml", templated("", "relay-a a stage:tag").replace("routeTemplateRef: relay", "routeTemplateRef: rely"));
        assertThat(view("relays.yaml").error()).isEqualTo("relays.yaml: templatedRoute 'relay-a' names routeTemplate"
                + " 'rely', which this file does not define (it defines relay); templates are used in their own file only");

        assertThat(view("relays.yaml").status()).isEqualTo(Status.REJECTED);
        assertThat(view("relays.yaml").routes()).containsExactly("relay-a", "relay-b");
        assertThat(camel.getRoute("relay-a")).isSameAs(a);
        assertDelivers("direct:a", "mock:a");
        assertDelivers("direct:b", "mock:b");
    }

    @Test
    void aTemplatedRouteMissingARequiredParameterIsRefusedNamingIt() throws IOException {
        apply("relays.yaml", templated("", "relay-a a stage:tag").replaceFirst("(?s)\n *- name: step\n *value: \"stage:tag\"", ""));

        assertThat(view("relays.yaml").status()).isEqualTo(Status.FAILED);
        assertThat(view("relays.yaml").error())
                .isEqualTo("relays.yaml: templatedRoute 'relay-a': routeTemplate 'relay' needs parameter step");
    }

    @Test
    void aFileWithOnlyATemplateDefinesNoRoutes() throws IOException {
        apply("relays.yaml", templated(""));

        assertThat(view("relays.yaml").error()).isEqualTo(
                "relays.yaml: the file defines no routes (a routeTemplate runs only through a templatedRoute)");
    }

    @Test
    void filesUsingFindsStagesNamedInTemplatedRouteParameters() throws IOException {
        Path relays = apply("relays.yaml", templated("", "relay-a a stage:tag", "relay-b b stage:log"
                .replace("stage:log", "log:x")));

        assertThat(controller.filesUsing(new Contributions(List.of(tag), List.of(), List.of(), Map.of())))
                .containsExactly(relays);
        assertThat(controller.filesUsing(new Contributions(List.of(tagger), List.of(), List.of(), Map.of()))).isEmpty();
    }

    /** A stage that passes batches on unchanged. */
    private record PassThrough(String name) implements StageProvider<FlowBatch, FlowBatch> {
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
            return List.of(OptionSpec.of("key", OptionType.STRING, null, "unused; 'refused' is refused when the stage is built"),
                    OptionSpec.integer("size", 64, "unused").min(1).max(4096));
        }

        @Override
        public Stage<FlowBatch, FlowBatch> create(StageOptions options, StageContext context) throws OptionException {
            if ("refused".equals(options.getString("key"))) {
                throw new OptionException("stage '" + name + "': option 'key' may not be 'refused'");
            }
            return batch -> batch;
        }
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    @Test
    void aRouteFileOverTheSizeLimitIsRefusedWithoutBeingReadAndThePreviousVersionRuns() throws Exception {
        Path file = apply("big.yaml", directToMock("big"));
        assertStarted("big");
        // 100 MB that take no disk and no time to make: a sparse file.
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(100L << 20);
        }

        long before = allocatedByThisThread();
        controller.apply(file, false);
        long allocated = allocatedByThisThread() - before;

        String expected = "big.yaml: 104857600 bytes is over the route file limit of 1048576 bytes (caravan.routes.max.file.bytes)";
        assertThat(view("big.yaml").status()).isEqualTo(Status.REJECTED);
        assertThat(view("big.yaml").error()).isEqualTo(expected);
        assertThat(lastEvent().outcome()).isEqualTo(ReloadEvent.REJECTED);
        assertThat(lastEvent().error()).isEqualTo(expected);
        assertStarted("big");
        assertThat(allocated).as("bytes allocated refusing a 100 MB file").isLessThan(8L << 20);

        Path fresh = dir.resolve("fresh.yaml");
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(fresh.toFile(), "rw")) {
            raf.setLength(2L << 20);
        }
        controller.apply(fresh, false);
        assertThat(view("fresh.yaml").status()).isEqualTo(Status.FAILED);
        assertThat(view("fresh.yaml").error()).contains("2097152 bytes is over the route file limit", "caravan.routes.max.file.bytes");
    }

    @Test
    void theSizeLimitIsASetting() throws Exception {
        RouteFileController small = new RouteFileController(camel, new RouteFileParser(camel), history, 64);
        Path file = write("small.yaml", directToMock("small"));

        small.apply(file, false);

        assertThat(small.view().get(0).status()).isEqualTo(Status.FAILED);
        assertThat(small.view().get(0).error()).contains("over the route file limit of 64 bytes");
        assertThat(camel.getRoute("small")).isNull();
    }

    /** A route with a precondition on a setting, as the shipped optional routes are written. */
    private static String needs(String id, String key) {
        return """
                - route:
                    id: %s
                    precondition: "${properties:%s:} != ''"
                    from:
                      uri: direct:%s
                      steps:
                        - to: mock:%s
                """.formatted(id, key, id, id);
    }

    @Test
    void routeWhosePreconditionIsFalseIsOffNotFailed() throws IOException {
        apply("opt.yaml", needs("opt", "caravan.test.unset") + directToMock("always"));

        assertThat(view("opt.yaml")).satisfies(v -> {
            assertThat(v.status()).isEqualTo(Status.ACTIVE);
            assertThat(v.routes()).containsExactly("always");
            assertThat(v.off()).containsOnlyKeys("opt");
            assertThat(v.off().get("opt")).contains("caravan.test.unset");
            assertThat(v.error()).isNull();
        });
        assertThat(camel.getRoute("opt")).isNull();
        assertDelivers("always");
    }

    @Test
    void routeWhosePreconditionHoldsRuns() throws IOException {
        camel.getPropertiesComponent().addInitialProperty("caravan.test.set", "host:1");
        apply("opt.yaml", needs("opt", "caravan.test.set"));

        assertThat(view("opt.yaml").routes()).containsExactly("opt");
        assertThat(view("opt.yaml").off()).isEmpty();
        assertStarted("opt");
        assertDelivers("opt");
    }

    @Test
    void preconditionThatCannotBeEvaluatedIsRefusedWithItsText() throws IOException {
        apply("bad.yaml", """
                - route:
                    id: bad
                    precondition: "${properties:caravan.test.unset:} !=="
                    from:
                      uri: direct:bad
                      steps:
                        - to: mock:bad
                """);

        assertThat(view("bad.yaml").status()).isEqualTo(Status.FAILED);
        assertThat(view("bad.yaml").error()).contains("route 'bad'").contains("precondition");
    }
}
