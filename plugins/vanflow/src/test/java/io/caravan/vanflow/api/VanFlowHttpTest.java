package io.caravan.vanflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import io.caravan.vanflow.state.CollectorState;
import io.caravan.vanflow.state.Example;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped routes/vanflow-api.yaml over real HTTP: a CamelContext with platform-http on a Vert.x
 * router bound the way the server's AdminServer binds it, the plugin's beans bound the way the
 * runtime binds them, and the route file loaded from the distribution's routes directory.
 */
class VanFlowHttpTest {
    private final SettableClock clock = new SettableClock(Example.START_MS);
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private Vertx vertx;
    private HttpServer server;
    private DefaultCamelContext camel;
    private CollectorState state;

    private void start(Map<String, String> properties) throws Exception {
        camel = new DefaultCamelContext();
        Properties p = new Properties();
        p.putAll(properties);
        camel.getPropertiesComponent().setInitialProperties(p);
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create(false));
        camel.getRegistry().bind(VertxPlatformHttpRouter.PLATFORM_HTTP_ROUTER_NAME_ZERO,
                new VertxPlatformHttpRouter(null, vertx, router, VertxPlatformHttpRouter.PLATFORM_HTTP_ROUTER_NAME_ZERO));
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        Map<String, Object> beans = new VanFlowBeanProvider().beans(RecordingStageContext.of("vanflow", clock));
        beans.forEach(camel.getRegistry()::bind);
        state = (CollectorState) beans.get(BeanNames.STATE);
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveResource(camel, "file:../../routes/vanflow-api.yaml"));
        camel.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.stop();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theApiAnswersOverHttpWithOpenReads() throws Exception {
        start(Map.of("caravan.vanflow.url", "amqp://127.0.0.1:5672", "caravan.vanflow.max.records", "1234",
                "caravan.vanflow.record.ttl", "20m"));
        assertThat(state.maxRecords()).as("the keys reach the state").isEqualTo(1234);
        assertThat(state.ttl()).hasMinutes(20);
        Example.topology(state, clock.millis());
        clock.advance(1_000);
        Example.flow(state, clock.millis());
        clock.advance(Example.AFTER_MS - clock.millis());

        HttpResponse<String> sites = get("/api/v1alpha1/sites/?sortBy=name.desc", "X-Probe", "echo-me");
        assertThat(sites.statusCode()).isEqualTo(200);
        assertThat(sites.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(sites.headers().firstValue("X-Probe")).as("request headers are not echoed").isEmpty();
        JsonNode env = json.readTree(sites.body());
        assertThat(env.path("count").asInt()).isEqualTo(2);
        assertThat(env.path("results").get(0).path("name").asText()).isEqualTo("west");

        JsonNode pair = json.readTree(get("/api/v1alpha1/flowpairs/fp-x7f2q:120").body()).path("results");
        assertThat(pair.path("forwardFlow").path("latency").asLong()).isEqualTo(9400);
        assertThat(pair.path("counterFlow").path("latency").asLong()).isEqualTo(1800);

        JsonNode topology = json.readTree(get("/api/v1alpha1/topology").body());
        assertThat(topology.isArray()).isTrue();
        assertThat(topology).hasSize(3);

        assertThat(json.readTree(get("/api/v1alpha1/user/").body()).path("authType").asText()).isEqualTo("unsecured");
        assertThat(get("/api/v1alpha1/nothing/").statusCode()).isEqualTo(404);
        assertThat(get("/api/v1alpha1/flows/?limit=x").statusCode()).isEqualTo(400);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort()
                + "/api/v1alpha1/sites/")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void configuredUsersMustAuthenticate() throws Exception {
        start(Map.of("caravan.vanflow.url", "amqp://127.0.0.1:5672", "caravan.vanflow.api.users", "alice:s3cret, bob:pw"));
        HttpResponse<String> none = get("/api/v1alpha1/sites/");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"vanflow\"");
        assertThat(get("/api/v1alpha1/sites/", "Authorization", basic("alice", "wrong")).statusCode()).isEqualTo(401);
        assertThat(get("/api/v1alpha1/sites/", "Authorization", basic("carol", "s3cret")).statusCode()).isEqualTo(401);
        assertThat(get("/api/v1alpha1/sites/", "Authorization", basic("alice", "s3cret")).statusCode()).isEqualTo(200);
        JsonNode user = json.readTree(get("/api/v1alpha1/user/", "Authorization", basic("bob", "pw")).body());
        assertThat(user.path("username").asText()).isEqualTo("bob");
        assertThat(user.path("authType").asText()).isEqualTo("basic");
        assertThat(new BasicAuth("alice:s3cret").toString()).doesNotContain("s3cret");
    }

    private HttpResponse<String> preflight(String origin) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort()
                        + "/api/v1alpha1/sites/")).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .headers("Origin", origin, "Access-Control-Request-Method", "GET",
                        "Access-Control-Request-Headers", "authorization").build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listedOriginsMayReadAcrossOriginsAndTheirPreflightsNeedNoCredentials() throws Exception {
        start(Map.of("caravan.vanflow.url", "amqp://127.0.0.1:5672", "caravan.vanflow.api.users", "alice:s3cret",
                "caravan.vanflow.api.cors.origins", "https://console.example.com, http://localhost:3000/"));

        HttpResponse<String> ok = preflight("https://console.example.com");
        assertThat(ok.statusCode()).isEqualTo(204);
        assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).contains("https://console.example.com");
        assertThat(ok.headers().firstValue("Access-Control-Allow-Credentials")).contains("true");
        assertThat(ok.headers().firstValue("Access-Control-Allow-Methods")).hasValueSatisfying(m -> assertThat(m)
                .contains("GET"));
        assertThat(ok.headers().firstValue("Access-Control-Allow-Headers")).hasValueSatisfying(h -> assertThat(h)
                .containsIgnoringCase("authorization"));
        HttpResponse<String> read = get("/api/v1alpha1/sites/", "Origin", "http://localhost:3000",
                "Authorization", basic("alice", "s3cret"));
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).contains("http://localhost:3000");
        assertThat(read.headers().firstValue("Vary")).contains("Origin");

        HttpResponse<String> other = get("/api/v1alpha1/sites/", "Origin", "https://elsewhere.example",
                "Authorization", basic("alice", "s3cret"));
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).as("a browser keeps it from the page")
                .isEmpty();
        assertThat(preflight("https://elsewhere.example").statusCode()).isEqualTo(401);
    }

    @Test
    void anyOriginWithAStarAndNoneByDefault() throws Exception {
        start(Map.of("caravan.vanflow.url", "amqp://127.0.0.1:5672", "caravan.vanflow.api.cors.origins", "*"));
        HttpResponse<String> any = get("/api/v1alpha1/sites/", "Origin", "https://anywhere.example");
        assertThat(any.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(any.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        assertThat(preflight("https://anywhere.example").statusCode()).isEqualTo(204);
        stop();

        start(Map.of("caravan.vanflow.url", "amqp://127.0.0.1:5672"));
        HttpResponse<String> none = get("/api/v1alpha1/sites/", "Origin", "https://anywhere.example");
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(none.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(preflight("https://anywhere.example").statusCode()).isEqualTo(405);
        assertThatThrownBy(() -> new Cors("console.example.com")).hasMessageContaining("is not an origin");
    }

    @Test
    void withoutTheCollectorUrlTheRouteStaysOff() throws Exception {
        start(Map.of());
        assertThat(camel.getRoute("vanflow-api")).isNull();
        assertThat(get("/api/v1alpha1/sites/").statusCode()).isEqualTo(404);
    }
}
