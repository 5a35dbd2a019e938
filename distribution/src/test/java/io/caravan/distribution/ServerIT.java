package io.caravan.distribution;

import static io.caravan.testkit.CaravanProcess.writeAtomically;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.testkit.CaravanProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled server, unzipped and started through bin/caravan: route files added, edited,
 * broken and deleted while it runs, the default pipeline carrying flows, and the admin API and
 * metrics reporting all of it. One server serves every test; each test uses its own route file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerIT {
    /** The bound: a route file change takes effect within 2 s. */
    private static final Duration RELOAD_BOUND = Duration.ofSeconds(2);

    @TempDir
    static Path dir;

    private CaravanProcess caravan;

    @BeforeAll
    void start() throws Exception {
        caravan = CaravanProcess.install(CaravanProcess.distributionZip(), dir).start();
    }

    @AfterAll
    void stop() {
        caravan.close();
    }

    private static String timerRoute(String id, String timer) {
        return """
                - route:
                    id: %s
                    from:
                      uri: timer:%s
                      parameters: {period: 50}
                      steps:
                        - setBody: {constant: tick}
                        - to: log:ticks?level=OFF
                """.formatted(id, timer);
    }

    private JsonNode route(String id) throws Exception {
        CaravanProcess.Response r = caravan.get("/admin/routes/" + id);
        return r.status() == 200 ? r.json() : null;
    }

    private JsonNode file(String name) throws Exception {
        for (JsonNode f : caravan.get("/admin/files").json()) {
            if (f.get("file").asText().equals(name)) {
                return f;
            }
        }
        return null;
    }

    private List<JsonNode> reloadsOf(String target) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : caravan.get("/admin/reloads").json()) {
            if (e.get("target").asText().equals(target)) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void defaultRouteCarriesFlowsFromInboxToFlowFiles() throws Exception {
        Files.copy(caravan.home().resolve("examples/flows.jsonl"), caravan.data().resolve("inbox/it.jsonl.tmp"));
        Files.move(caravan.data().resolve("inbox/it.jsonl.tmp"), caravan.data().resolve("inbox/it.jsonl"));
        Path flows = caravan.data().resolve("flows");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.isDirectory(flows) && listVisible(flows).size() == 1);
        List<String> lines = Files.readAllLines(listVisible(flows).get(0), StandardCharsets.UTF_8);
        // Four example flows: internal, egress, ingress and other; the route drops "other".
        assertThat(lines).hasSize(3);
        assertThat(String.join("\n", lines)).contains("\"tag\":\"internal\"", "\"tag\":\"egress\"", "\"tag\":\"ingress\"")
                .doesNotContain("\"tag\":\"other\"");
        String metrics = caravan.get("/metrics").body();
        assertThat(metrics).containsPattern("caravan_stage_records_total\\{outcome=\"dropped\",route=\"flows-from-json\",stage=\"filter\"} 1\\.0")
                .containsPattern("caravan_stage_records_total\\{outcome=\"in\",route=\"flows-from-json\",stage=\"classify\"} 4\\.0")
                .containsPattern("caravan_route_exchanges_total\\{outcome=\"completed\",route=\"flows-from-json\"}")
                .contains("caravan_route_latency_seconds", "jvm_memory_used_bytes", "caravan_plugins_loaded " + shippedPlugins(caravan).size() + ".0");
    }

    @Test
    void addedFileStartsItsRoutesWithinTwoSeconds() throws Exception {
        writeAtomically(caravan.routes().resolve("added.yaml"), timerRoute("added", "added"));
        await().atMost(RELOAD_BOUND).until(() -> route("added") != null && route("added").get("status").asText().equals("Started"));
        await().atMost(Duration.ofSeconds(5)).until(() -> route("added").get("exchangesCompleted").asLong() > 0);
        assertThat(route("added").get("file").asText()).isEqualTo("added.yaml");
        assertThat(file("added.yaml").get("status").asText()).isEqualTo("ACTIVE");
    }

    @Test
    void editReplacesOnlyThatFilesRoutes() throws Exception {
        Path f = caravan.routes().resolve("edited.yaml");
        writeAtomically(f, timerRoute("edited-v1", "edited"));
        await().atMost(Duration.ofSeconds(5)).until(() -> route("edited-v1") != null);
        long otherUptime = route("flows-from-json").get("uptimeMs").asLong();

        writeAtomically(f, timerRoute("edited-v2", "edited"));
        await().atMost(RELOAD_BOUND).until(() -> route("edited-v2") != null && route("edited-v1") == null);
        assertThat(file("edited.yaml").get("routes")).hasSize(1);
        // The other file's route was not restarted: its uptime kept growing.
        assertThat(route("flows-from-json").get("uptimeMs").asLong()).isGreaterThan(otherUptime);
        assertThat(reloadsOf("edited.yaml")).extracting(e -> e.get("action").asText() + ":" + e.get("outcome").asText())
                .containsExactly("added:ok", "replaced:ok");
    }

    @Test
    void syntaxErrorIsRejectedAndTheOldRoutesKeepRunning() throws Exception {
        Path f = caravan.routes().resolve("broken.yaml");
        writeAtomically(f, timerRoute("broken", "broken"));
        await().atMost(Duration.ofSeconds(5)).until(() -> route("broken") != null);

        writeAtomically(f, "- route:\n    id: broken\n    from: [unclosed\n");
        await().atMost(RELOAD_BOUND).until(() -> file("broken.yaml").get("status").asText().equals("REJECTED"));
        JsonNode state = file("broken.yaml");
        assertThat(state.get("error").asText()).startsWith("broken.yaml: cannot parse");
        assertThat(state.get("routes")).extracting(JsonNode::asText).containsExactly("broken");
        long before = route("broken").get("exchangesCompleted").asLong();
        await().atMost(Duration.ofSeconds(5)).until(() -> route("broken").get("exchangesCompleted").asLong() > before);
        assertThat(reloadsOf("broken.yaml").get(reloadsOf("broken.yaml").size() - 1).get("outcome").asText()).isEqualTo("rejected");
        assertThat(caravan.log()).contains("broken.yaml: cannot parse");

        // Fixing the file brings the new version in.
        writeAtomically(f, timerRoute("broken-fixed", "broken"));
        await().atMost(RELOAD_BOUND).until(() -> route("broken-fixed") != null);
        assertThat(file("broken.yaml").get("status").asText()).isEqualTo("ACTIVE");
    }

    @Test
    void routesThatFailToStartAreRejectedAndThePreviousVersionIsRestored() throws Exception {
        Path f = caravan.routes().resolve("semantic.yaml");
        writeAtomically(f, timerRoute("semantic", "semantic"));
        await().atMost(Duration.ofSeconds(5)).until(() -> route("semantic") != null);

        writeAtomically(f, """
                - route:
                    id: semantic
                    from:
                      uri: timer:semantic
                      steps:
                        - to: stage:classify?internl=10.0.0.0/8
                """);
        await().atMost(RELOAD_BOUND).until(() -> file("semantic.yaml").get("status").asText().equals("REJECTED"));
        assertThat(file("semantic.yaml").get("error").asText())
                .contains("stage 'classify': unknown option 'internl'; valid options: internal, attribute");
        await().atMost(Duration.ofSeconds(5)).until(() -> route("semantic") != null
                && route("semantic").get("status").asText().equals("Started"));
        assertThat(route("semantic").get("from").asText()).startsWith("timer://semantic");
    }

    @Test
    void deletedFileStopsItsRoutes() throws Exception {
        Path f = caravan.routes().resolve("deleted.yaml");
        writeAtomically(f, timerRoute("deleted", "deleted"));
        await().atMost(Duration.ofSeconds(5)).until(() -> route("deleted") != null);

        Files.delete(f);
        await().atMost(RELOAD_BOUND).until(() -> route("deleted") == null && file("deleted.yaml") == null);
        assertThat(reloadsOf("deleted.yaml").get(reloadsOf("deleted.yaml").size() - 1).get("action").asText()).isEqualTo("removed");
        assertThat(route("flows-from-json").get("status").asText()).isEqualTo("Started");
    }

    @Test
    void aFileWrittenInPiecesIsAppliedOnceWhole() throws Exception {
        Path f = caravan.routes().resolve("pieces.yaml");
        String text = timerRoute("pieces", "pieces");
        int half = text.length() / 2;
        Files.writeString(f, text.substring(0, half), StandardCharsets.UTF_8);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        await().atMost(RELOAD_BOUND).until(() -> route("pieces") != null);
        assertThat(reloadsOf("pieces.yaml")).extracting(e -> e.get("outcome").asText()).containsExactly("ok");
    }

    @Test
    void duplicateRouteIdAcrossFilesIsRejectedAndTheOwnerKeepsIt() throws Exception {
        writeAtomically(caravan.routes().resolve("dup.yaml"), timerRoute("flows-from-json", "dup"));
        await().atMost(RELOAD_BOUND).until(() -> file("dup.yaml") != null && file("dup.yaml").get("status").asText().equals("FAILED"));
        assertThat(file("dup.yaml").get("error").asText())
                .isEqualTo("dup.yaml: route id 'flows-from-json' is already used by flows-from-json.yaml");
        assertThat(route("flows-from-json").get("file").asText()).isEqualTo("flows-from-json.yaml");
        Files.delete(caravan.routes().resolve("dup.yaml"));
    }

    @Test
    void mutatingCallsNeedTheToken() throws Exception {
        writeAtomically(caravan.routes().resolve("stoppable.yaml"), timerRoute("stoppable", "stoppable"));
        await().atMost(Duration.ofSeconds(5)).until(() -> route("stoppable") != null);

        assertThat(caravan.post("/admin/routes/stoppable/stop", null).status()).isEqualTo(401);
        assertThat(caravan.post("/admin/routes/stoppable/stop", "wrong").status()).isEqualTo(401);
        assertThat(route("stoppable").get("status").asText()).isEqualTo("Started");

        CaravanProcess.Response stopped = caravan.post("/admin/routes/stoppable/stop", CaravanProcess.TOKEN);
        assertThat(stopped.status()).isEqualTo(200);
        assertThat(stopped.json().get("status").asText()).isEqualTo("Stopped");
        assertThat(caravan.post("/admin/routes/stoppable/start", CaravanProcess.TOKEN).json().get("status").asText())
                .isEqualTo("Started");
        CaravanProcess.Response reload = caravan.post("/admin/reload", CaravanProcess.TOKEN);
        assertThat(reload.status()).isEqualTo(200);
        assertThat(reload.json().get("plugins")).extracting(p -> p.get("id").asText())
                .containsExactlyElementsOf(shippedPlugins(caravan));
    }

    @Test
    void adminApiDescribesPluginsStagesAndHealth() throws Exception {
        JsonNode plugins = caravan.get("/admin/plugins").json();
        assertThat(plugins).extracting(p -> p.get("id").asText()).containsExactlyElementsOf(shippedPlugins(caravan))
                .contains("netflow", "pipeline", "sflow", "udp");
        JsonNode pipeline = plugin(plugins, "pipeline");
        assertThat(pipeline.get("stages")).extracting(JsonNode::asText)
                .contains("classify", "filter", "decode-json", "encode-json", "encode", "encode-protobuf");
        assertThat(pipeline.get("components")).extracting(c -> c.get("scheme").asText()).containsExactlyInAnyOrder("flowfile", "bus");
        assertThat(pipeline.get("beans").has("flowBatchAggregator")).isTrue();
        assertThat(plugin(plugins, "netflow").get("stages")).extracting(JsonNode::asText).contains("decode-netflow");
        assertThat(plugin(plugins, "sflow").get("stages")).extracting(JsonNode::asText).contains("decode-sflow");

        JsonNode classify = null;
        for (JsonNode s : caravan.get("/admin/stages").json()) {
            if (s.get("name").asText().equals("classify")) {
                classify = s;
            }
        }
        assertThat(classify).isNotNull();
        assertThat(classify.get("plugin").asText()).isEqualTo("pipeline");
        JsonNode internal = classify.get("options").get(0);
        assertThat(internal.get("name").asText()).isEqualTo("internal");
        assertThat(internal.get("type").asText()).isEqualTo("cidr_list");
        assertThat(internal.get("default").asText()).startsWith("10.0.0.0/8");
        assertThat(internal.get("doc").asText()).isNotBlank();

        CaravanProcess.Response ready = caravan.get("/health/ready");
        JsonNode health = ready.json();
        // The other tests of this class leave refused route files behind, each a reason under 'degraded'.
        assertThat(ready.status()).isEqualTo(200);
        assertThat(health.get("status").asText()).isIn("UP", "DEGRADED");
        health.get("degraded").forEach(d -> assertThat(d.get("kind").asText()).isEqualTo("file"));
        assertThat(health.get("plugins").get("pipeline").asText()).isNotBlank();
        assertThat(health.get("routes").get("flows-from-json").asText()).isEqualTo("Started");
        for (String collector : java.util.List.of("collect-netflow", "collect-ipfix", "collect-sflow")) {
            assertThat(health.get("routes").get(collector).asText()).isEqualTo("Started");
        }
        assertThat(caravan.get("/health/live").status()).isEqualTo(200);
        assertThat(caravan.get("/admin/nothing").status()).isEqualTo(404);
    }

    static List<Path> listVisible(Path dir) throws java.io.IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".") && Files.isRegularFile(p)).sorted().toList();
        }
    }

    /** The ids of the plugin jars the distribution ships (plugins/caravan-plugin-<id>.jar), sorted as the server lists them. */
    private static List<String> shippedPlugins(CaravanProcess caravan) throws java.io.IOException {
        try (java.util.stream.Stream<Path> jars = Files.list(caravan.plugins())) {
            return jars.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("caravan-plugin-") && n.endsWith(".jar"))
                    .map(n -> n.substring("caravan-plugin-".length(), n.length() - ".jar".length())).sorted().toList();
        }
    }

    private static JsonNode plugin(JsonNode plugins, String id) {
        for (JsonNode p : plugins) {
            if (p.get("id").asText().equals(id)) {
                return p;
            }
        }
        throw new AssertionError("no plugin " + id + " in " + plugins);
    }
}
