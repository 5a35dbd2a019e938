package io.caravan.distribution;

import static io.caravan.testkit.CaravanProcess.writeAtomically;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.testkit.CaravanProcess;
import io.caravan.testkit.PluginJarBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins dropped into, replaced in, broken in and removed from a running server's plugins/
 * directory, with a route that uses the plugin's stage carrying real records throughout.
 */
class PluginReloadIT {
    private static final String STAGE_CLASS = "io.test.tagger.TaggerStage";

    @TempDir
    Path dir;

    private CaravanProcess caravan;
    private int inputs;

    @BeforeEach
    void start() throws Exception {
        caravan = CaravanProcess.install(CaravanProcess.distributionZip(), dir);
        writeAtomically(caravan.routes().resolve("tagged.yaml"), """
                - route:
                    id: tagged
                    from:
                      uri: "file:{{caravan.data.dir}}/tag-in"
                      parameters: {include: ".*\\\\.jsonl", delete: true}
                      steps:
                        - to: stage:decode-json
                        - to: stage:tagger
                        - to: stage:encode-json
                        - to: "file:{{caravan.data.dir}}/tag-out?fileName=${file:name}"
                """);
        caravan.start();
    }

    @AfterEach
    void stop() {
        caravan.close();
    }

    private Path taggerJar(String version, String value, Path out) {
        return PluginJarBuilder.plugin("tagger", version)
                .source(STAGE_CLASS, PluginJarBuilder.taggingStage("io.test.tagger", "TaggerStage", "tagger", "version", value))
                .build(out);
    }

    /** Drops one record through the 'tagged' route and returns the output line. */
    private String sendRecord() throws Exception {
        String name = "in-" + (++inputs) + ".jsonl";
        Path in = caravan.data().resolve("tag-in");
        Files.createDirectories(in);
        writeAtomically(in.resolve(name), "{\"type\":\"IPFIX\",\"src_addr\":\"10.0.0.1\",\"dst_addr\":\"10.0.0.2\"}\n");
        Path out = caravan.data().resolve("tag-out").resolve(name);
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(out));
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private JsonNode plugin(String id) throws Exception {
        for (JsonNode p : caravan.get("/admin/plugins").json()) {
            if (p.get("id").asText().equals(id)) {
                return p;
            }
        }
        return null;
    }

    private String fileStatus(String name) throws Exception {
        for (JsonNode f : caravan.get("/admin/files").json()) {
            if (f.get("file").asText().equals(name)) {
                return f.get("status").asText() + ": " + f.get("error").asText();
            }
        }
        return "absent";
    }

    private JsonNode lastPluginEvent(String target) throws Exception {
        JsonNode last = null;
        for (JsonNode e : caravan.get("/admin/reloads").json()) {
            if (e.get("kind").asText().equals("plugin") && e.get("target").asText().equals(target)) {
                last = e;
            }
        }
        return last;
    }

    @Test
    void dropReplaceBreakAndRemoveAPluginWhileRunning() throws Exception {
        // Before the plugin exists the route cannot start, and says why.
        assertThat(fileStatus("tagged.yaml")).startsWith("FAILED").contains("unknown stage 'tagger'");

        // Drop: the plugin loads, the waiting route starts on it.
        Path jar = caravan.plugins().resolve("tagger.jar");
        taggerJar("1.0.0", "v1", jar);
        await().atMost(Duration.ofSeconds(10)).until(() -> plugin("tagger") != null && fileStatus("tagged.yaml").startsWith("ACTIVE"));
        assertThat(plugin("tagger").get("version").asText()).isEqualTo("1.0.0");
        assertThat(sendRecord()).contains("\"version\":\"v1\"");

        // Replace: the route restarts on the new code.
        taggerJar("2.0.0", "v2", dir.resolve("tagger-2.jar"));
        Files.copy(dir.resolve("tagger-2.jar"), jar, StandardCopyOption.REPLACE_EXISTING);
        // One read of the plugin list per poll: between unloading version 1 and loading version 2 there is no 'tagger'.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            JsonNode tagger = plugin("tagger");
            return tagger != null && tagger.get("version").asText().equals("2.0.0") && fileStatus("tagged.yaml").startsWith("ACTIVE");
        });
        assertThat(sendRecord()).contains("\"version\":\"v2\"");

        // Break: a jar missing its stage class is rejected and version 2 keeps serving.
        PluginJarBuilder.plugin("tagger", "3.0.0")
                .source(STAGE_CLASS, PluginJarBuilder.taggingStage("io.test.tagger", "TaggerStage", "tagger", "version", "v3"))
                .omitClass(STAGE_CLASS).build(dir.resolve("tagger-3.jar"));
        Files.copy(dir.resolve("tagger-3.jar"), jar, StandardCopyOption.REPLACE_EXISTING);
        await().atMost(Duration.ofSeconds(10)).until(() -> lastPluginEvent("tagger.jar").get("outcome").asText().equals("rejected"));
        assertThat(lastPluginEvent("tagger.jar").get("error").asText())
                .contains("extension " + STAGE_CLASS + " is listed in META-INF/extensions.idx but is not in the jar")
                .contains("version 2.0.0 restored");
        assertThat(plugin("tagger").get("version").asText()).isEqualTo("2.0.0");
        await().atMost(Duration.ofSeconds(10)).until(() -> fileStatus("tagged.yaml").startsWith("ACTIVE"));
        assertThat(sendRecord()).contains("\"version\":\"v2\"");

        // Remove: the route using it stops, the plugin unloads, everything else runs on.
        Files.delete(jar);
        await().atMost(Duration.ofSeconds(10)).until(() -> plugin("tagger") == null);
        // The file view is what the last completed step published: "plugin 'tagger' was removed" until its re-read says why.
        await().atMost(Duration.ofSeconds(10)).until(() -> fileStatus("tagged.yaml").contains("unknown stage 'tagger'"));
        assertThat(fileStatus("tagged.yaml")).startsWith("FAILED");
        assertThat(caravan.get("/admin/routes/tagged").status()).isEqualTo(404);
        assertThat(caravan.get("/admin/routes/flows-from-json").json().get("status").asText()).isEqualTo("Started");
        assertThat(plugin("pipeline")).isNotNull();
    }

    @Test
    void brokenJarsAreRejectedWithClearErrorsAndNothingElseStops() throws Exception {
        Files.write(caravan.plugins().resolve("garbage.jar"), new byte[] {1, 2, 3, 4, 5});
        PluginJarBuilder.plugin("anonymous", "1.0.0")
                .source(STAGE_CLASS, PluginJarBuilder.taggingStage("io.test.tagger", "TaggerStage", "anon", "k", "v"))
                .withoutPluginId().build(caravan.plugins().resolve("no-id.jar"));
        // A second jar claiming the id of the built-in plugin.
        PluginJarBuilder.plugin("pipeline", "9.0.0")
                .source(STAGE_CLASS, PluginJarBuilder.taggingStage("io.test.tagger", "TaggerStage", "other", "k", "v"))
                .build(caravan.plugins().resolve("impostor.jar"));

        await().atMost(Duration.ofSeconds(10)).until(() -> lastPluginEvent("garbage.jar") != null
                && lastPluginEvent("no-id.jar") != null && lastPluginEvent("impostor.jar") != null);
        assertThat(lastPluginEvent("garbage.jar").get("error").asText()).startsWith("garbage.jar: not a readable jar");
        assertThat(lastPluginEvent("no-id.jar").get("error").asText())
                .isEqualTo("no-id.jar: not a plugin jar: the manifest has no Plugin-Id");
        assertThat(lastPluginEvent("impostor.jar").get("error").asText()).isEqualTo(
                "impostor.jar: plugin 'pipeline' is already loaded from caravan-plugin-pipeline.jar; "
                        + "remove that jar first, or overwrite it to replace the plugin");
        for (String jar : List.of("garbage.jar", "no-id.jar", "impostor.jar")) {
            assertThat(lastPluginEvent(jar).get("outcome").asText()).isEqualTo("rejected");
        }
        List<String> shipped;
        try (java.util.stream.Stream<Path> jars = Files.list(caravan.plugins())) {
            shipped = jars.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("caravan-plugin-") && n.endsWith(".jar"))
                    .map(n -> n.substring("caravan-plugin-".length(), n.length() - ".jar".length())).sorted().toList();
        }
        assertThat(caravan.get("/admin/plugins").json()).extracting(p -> p.get("id").asText())
                .as("the shipped plugins, and none of the broken jars").containsExactlyElementsOf(shipped)
                .contains("netflow", "pipeline", "sflow", "udp");
        assertThat(caravan.get("/admin/routes/flows-from-json").json().get("status").asText()).isEqualTo("Started");
        assertThat(caravan.get("/metrics").body()).containsPattern("caravan_reloads_total\\{kind=\"plugin\",outcome=\"rejected\"} 3\\.0");
        assertThat(caravan.isAlive()).isTrue();
    }
}
