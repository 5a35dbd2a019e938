package io.caravan.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.server.CaravanRuntime;
import io.caravan.server.config.CaravanConfig;
import io.caravan.testkit.PluginJarBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.ServiceStatus;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminServerTest {
    private static final String TOKEN = "s3cret-token";
    private static final String ROUTE = """
            - route:
                id: r1
                from:
                  uri: direct:r1
                  steps:
                    - to: log:r1?level=OFF
            """;

    @TempDir
    Path home;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private DefaultCamelContext camel;
    private CaravanRuntime runtime;
    private AdminServer server;

    /** A runtime as the server wires it, its directories loaded once, and the HTTP port on a free port. */
    private void start(String token) throws Exception {
        CaravanConfig config = CaravanConfig.load(home, null, Map.of(), new Properties());
        camel = new DefaultCamelContext();
        runtime = new CaravanRuntime(config, camel, "-admin-test");
        camel.start();
        runtime.coordinator().start(false, false, Duration.ofMillis(100));
        server = new AdminServer(new InetSocketAddress("127.0.0.1", 0), token, camel, runtime.views(), runtime.coordinator(),
                runtime.meters(), new io.caravan.server.metrics.UdpSockets(java.nio.file.Path.of("/proc")), () -> true, () -> false);
        server.start();
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        if (camel != null) {
            camel.stop();
        }
        if (runtime != null) {
            runtime.close();
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Path writeRoute(String name, String text) throws IOException {
        Path routes = Files.createDirectories(home.resolve("routes"));
        return Files.writeString(routes.resolve(name), text);
    }

    @Test
    void withoutATokenEveryMutatingCallIsRefused() throws Exception {
        writeRoute("r.yaml", ROUTE);
        start(null);
        assertThat(camel.getRouteController().getRouteStatus("r1")).isEqualTo(ServiceStatus.Started);

        for (String path : List.of("/admin/reload", "/admin/routes/r1/stop", "/admin/routes/x/stop", "/admin/anything")) {
            for (String auth : new String[] {null, "Bearer ", "Bearer " + TOKEN}) {
                HttpResponse<String> r = post(path, auth);
                assertThat(r.statusCode()).as("POST %s with %s", path, auth).isEqualTo(403);
                assertThat(json.readTree(r.body()).path("error").asText()).contains("caravan.admin.token");
            }
        }
        assertThat(camel.getRouteController().getRouteStatus("r1")).isEqualTo(ServiceStatus.Started);
        assertThat(runtime.history().events()).as("no reload ran").hasSize(1);
    }

    @Test
    void aBlankTokenCountsAsNoToken() throws Exception {
        start("  ");

        HttpResponse<String> r = post("/admin/reload", "Bearer   ");

        assertThat(r.statusCode()).isEqualTo(403);
    }

    @Test
    void withATokenOnlyTheRightBearerIsAccepted() throws Exception {
        start(TOKEN);

        HttpResponse<String> none = post("/admin/reload", null);
        HttpResponse<String> wrong = post("/admin/reload", "Bearer not-" + TOKEN);
        HttpResponse<String> prefix = post("/admin/reload", "Bearer " + TOKEN.substring(0, 5));
        HttpResponse<String> basic = post("/admin/reload", "Basic " + TOKEN);
        HttpResponse<String> right = post("/admin/reload", "Bearer " + TOKEN);

        for (HttpResponse<String> r : List.of(none, wrong, prefix, basic)) {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer");
            assertThat(json.readTree(r.body()).path("error").asText()).isEqualTo("missing or wrong bearer token");
        }
        assertThat(right.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(right.body());
        assertThat(body.has("files")).isTrue();
        assertThat(body.has("plugins")).isTrue();
    }

    @Test
    void routesAreStoppedAndStartedWithTheToken() throws Exception {
        writeRoute("r.yaml", ROUTE);
        start(TOKEN);

        HttpResponse<String> stopped = post("/admin/routes/r1/stop", "Bearer " + TOKEN);
        assertThat(stopped.statusCode()).isEqualTo(200);
        assertThat(json.readTree(stopped.body()).path("status").asText()).isEqualTo("Stopped");
        assertThat(camel.getRouteController().getRouteStatus("r1")).isEqualTo(ServiceStatus.Stopped);

        HttpResponse<String> started = post("/admin/routes/r1/start", "Bearer " + TOKEN);
        assertThat(started.statusCode()).isEqualTo(200);
        assertThat(camel.getRouteController().getRouteStatus("r1")).isEqualTo(ServiceStatus.Started);

        assertThat(post("/admin/routes/nope/stop", "Bearer " + TOKEN).statusCode()).isEqualTo(404);
        assertThat(post("/admin/routes/r1/pause", "Bearer " + TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void healthIsOpen() throws Exception {
        start(TOKEN);

        HttpResponse<String> live = get("/health/live");
        HttpResponse<String> ready = get("/health/ready");

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(json.readTree(live.body()).path("status").asText()).isEqualTo("UP");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json.readTree(ready.body()).path("camel").asText()).isEqualTo("Started");
        assertThat(get("/nothing/here").statusCode()).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(uri("/health/live")).method("DELETE", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
    }

    @Test
    void metricsCountReloadsOfRouteFiles() throws Exception {
        start(TOKEN);
        assertThat(get("/metrics").body()).doesNotContain("caravan_reloads_total");
        writeRoute("r.yaml", ROUTE);

        assertThat(post("/admin/reload", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = get("/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(metrics.body()).contains("caravan_reloads_total{kind=\"routes\",outcome=\"ok\"} 1.0");
        assertThat(camel.getRoute("r1")).isNotNull();
    }

    @Test
    void stagesAndComponentsListEveryOptionWithTypeDefaultAllowedValuesAndDoc() throws Exception {
        Path plugins = Files.createDirectories(home.resolve("plugins"));
        PluginJarBuilder.plugin("tagger", "2.1.0")
                .source("com.example.admin.TagStage", """
                        package com.example.admin;

                        import io.caravan.api.flow.FlowBatch;
                        import io.caravan.api.stage.*;
                        import java.util.List;
                        import org.pf4j.Extension;

                        @Extension
                        public class TagStage implements StageProvider<FlowBatch, FlowBatch> {
                            public String name() { return "tag"; }
                            public String description() { return "sets an attribute"; }
                            public Class<FlowBatch> inputType() { return FlowBatch.class; }
                            public Class<FlowBatch> outputType() { return FlowBatch.class; }
                            public List<OptionSpec> options() {
                                return List.of(
                                        OptionSpec.of("key", OptionType.STRING, "color", "attribute to set"),
                                        OptionSpec.required("value", OptionType.STRING, "value to set it to"),
                                        OptionSpec.choice("when", "always", "when to set it", "always", "if-absent"),
                                        OptionSpec.of("every", OptionType.DURATION, "5s", "how often to log a summary"),
                                        OptionSpec.integer("batch", 64, "records per batch").min(1).max(4096));
                            }
                            public Stage<FlowBatch, FlowBatch> create(StageOptions o, StageContext c) { return b -> b; }
                        }
                        """)
                .source("com.example.admin.TapComponent", """
                        package com.example.admin;

                        import io.caravan.api.plugin.ComponentProvider;
                        import io.caravan.api.plugin.PluginContext;
                        import io.caravan.api.stage.OptionSpec;
                        import java.util.List;
                        import java.util.Map;
                        import org.apache.camel.Component;
                        import org.apache.camel.Endpoint;
                        import org.apache.camel.support.DefaultComponent;
                        import org.pf4j.Extension;

                        @Extension
                        public class TapComponent implements ComponentProvider {
                            public String scheme() { return "tap"; }
                            public String description() { return "taps a wire"; }
                            public List<OptionSpec> options() {
                                return List.of(OptionSpec.size("buffer", "64KiB", "bytes buffered").min("1KiB"));
                            }
                            public Component create(PluginContext context) {
                                return new DefaultComponent() {
                                    protected Endpoint createEndpoint(String uri, String rest, Map<String, Object> p) {
                                        throw new UnsupportedOperationException("listed only");
                                    }
                                };
                            }
                        }
                        """)
                .build(plugins.resolve("tagger.jar"));
        start(TOKEN);
        assertThat(runtime.host().plugins()).hasSize(1);

        HttpResponse<String> r = get("/admin/stages");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode stages = json.readTree(r.body());
        assertThat(stages).hasSize(1);
        JsonNode tag = stages.get(0);
        assertThat(tag.path("name").asText()).isEqualTo("tag");
        assertThat(tag.path("plugin").asText()).isEqualTo("tagger");
        assertThat(tag.path("version").asText()).isEqualTo("2.1.0");
        assertThat(tag.path("description").asText()).isEqualTo("sets an attribute");
        assertThat(tag.path("input").asText()).isEqualTo("FlowBatch");
        assertThat(tag.path("output").asText()).isEqualTo("FlowBatch");
        assertThat(rows(tag.path("options"))).containsExactly(
                "key | string | color | false | - | [] | attribute to set",
                "value | string | (none) | true | - | [] | value to set it to",
                "when | choice | always | false | always, if-absent | [\"always\",\"if-absent\"] | when to set it",
                "every | duration | 5s | false | - | [] | how often to log a summary",
                "batch | int | 64 | false | 1 to 4096 | [] | records per batch");

        JsonNode plugin = json.readTree(get("/admin/plugins").body()).get(0);
        JsonNode tap = plugin.path("components").get(0);
        assertThat(tap.path("scheme").asText()).isEqualTo("tap");
        assertThat(tap.path("description").asText()).isEqualTo("taps a wire");
        assertThat(rows(tap.path("options"))).containsExactly("buffer | size | 64KiB | false | >= 1KiB | [] | bytes buffered");
    }

    /** Each option as "name | type | default | required | allowed | choices | doc". */
    private static List<String> rows(JsonNode options) {
        List<String> rows = new ArrayList<>();
        options.forEach(o -> rows.add(o.path("name").asText() + " | " + o.path("type").asText() + " | "
                + (o.path("default").isNull() ? "(none)" : o.path("default").asText()) + " | " + o.path("required").asBoolean()
                + " | " + (o.path("allowed").asText().isEmpty() ? "-" : o.path("allowed").asText()) + " | " + o.path("choices")
                + " | " + o.path("doc").asText()));
        return rows;
    }
}
