package io.caravan.skydive.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.skydive.testing.TopologyServer;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GremlinClientTest {
    private TopologyServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TopologyServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void postsTheQueryWithBasicAuthAndReturnsTheArray() throws Exception {
        server.answer("G.V().Has('TID','t1')", "[{\"ID\":\"n1\",\"Host\":\"h\",\"Metadata\":{\"Type\":\"veth\"}}]");
        GremlinClient client = new GremlinClient(server.base(), "admin", "s3cret", Duration.ofSeconds(5));

        JsonNode reply = client.query("G.V().Has('TID','t1')");

        assertThat(reply.isArray()).isTrue();
        assertThat(Gremlin.text(Gremlin.firstNode(reply), "Type")).isEqualTo("veth");
        assertThat(server.queries()).containsExactly("G.V().Has('TID','t1')");
        assertThat(server.authorizations()).containsExactly("Basic "
                + Base64.getEncoder().encodeToString("admin:s3cret".getBytes(StandardCharsets.UTF_8)));
        assertThat(client.endpoint()).isEqualTo(server.base().resolve("/api/topology"));
    }

    @Test
    void noUserMeansNoAuthorizationHeader() throws Exception {
        new GremlinClient(server.base(), "", "", Duration.ofSeconds(5)).query("G.V()");

        assertThat(server.authorizations()).containsExactly("");
    }

    @Test
    void unauthorizedIsNamedPlainlyWithoutTheCredentials() {
        server.failWith(401);
        GremlinClient client = new GremlinClient(server.base(), "admin", "s3cret", Duration.ofSeconds(5));

        assertThatThrownBy(() -> client.query("G.V()")).isInstanceOf(TopologyException.class)
                .hasMessageContaining("HTTP 401").hasMessageContaining("wrong credentials")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void serverErrorAndNonArrayRepliesFail() {
        GremlinClient client = new GremlinClient(server.base(), null, null, Duration.ofSeconds(5));
        server.answer("G.V().Count()", "42");
        assertThatThrownBy(() -> client.query("G.V().Count()")).isInstanceOf(TopologyException.class)
                .hasMessageContaining("not a JSON array");
        server.answer("bad", "{not json");
        assertThatThrownBy(() -> client.query("bad")).isInstanceOf(TopologyException.class)
                .hasMessageContaining("not JSON");
        server.failWith(500);
        assertThatThrownBy(() -> client.query("G.V()")).isInstanceOf(TopologyException.class)
                .hasMessageContaining("HTTP 500");
    }

    @Test
    void aReplyThatDoesNotComeInTimeFails() {
        server.holdReplies();
        GremlinClient client = new GremlinClient(server.base(), null, null, Duration.ofMillis(300));

        assertThatThrownBy(() -> client.query("G.V()")).isInstanceOf(TopologyException.class)
                .hasMessageContaining("Timeout");
    }

    @Test
    void anAnalyzerThatIsDownFails() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        GremlinClient client = new GremlinClient(URI.create("http://127.0.0.1:" + port), null, null,
                Duration.ofSeconds(2));

        assertThatThrownBy(() -> client.query("G.V()")).isInstanceOf(TopologyException.class)
                .hasMessageContaining("127.0.0.1:" + port);
    }

    @Test
    void quotedValuesCannotChangeTheQuery() {
        assertThat(Gremlin.quote("a'b\\c")).isEqualTo("'a\\'b\\\\c'");
        assertThat(Gremlin.byTid("x')).Drop()//")).isEqualTo("G.V().Has('TID','x\\')).Drop()//')");
    }
}
