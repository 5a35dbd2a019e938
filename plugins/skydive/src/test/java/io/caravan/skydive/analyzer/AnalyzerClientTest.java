package io.caravan.skydive.analyzer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.traffic.skydive.SkydiveAnalyzer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Gremlin queries on the stand-in's /api/topology with both auth forms. */
class AnalyzerClientTest {
    private static final String NODE_QUERY = "G.V().Has('Manager','k8s','Type','node')";
    private final SkydiveAnalyzer standIn = new SkydiveAnalyzer().user("admin", "pw").user("guest", "g").deny("guest")
            .topology(NODE_QUERY, "[{\"ID\":\"n1\",\"Metadata\":{\"Name\":\"node-1\"}}]").start();

    @AfterEach
    void close() {
        standIn.close();
    }

    private AnalyzerClient client(String user, String password, AuthMode mode) {
        return new AnalyzerClient(new Analyzer("127.0.0.1", standIn.port(), false, user, password, mode),
                Duration.ofSeconds(5));
    }

    @Test
    void basicAndLoginBothAnswerKnownAndUnknownQueries() throws Exception {
        for (AuthMode mode : AuthMode.values()) {
            AnalyzerClient c = client("admin", "pw", mode);
            assertThat(c.gremlin(NODE_QUERY).get(0).path("Metadata").path("Name").asText()).isEqualTo("node-1");
            assertThat(c.gremlin("G.V().Has('TID','none')")).isEmpty();
        }
        assertThat(standIn.queries()).hasSize(4);
    }

    @Test
    void refusalsExplainTheStatusAndNeverTheCredentials() {
        assertThatThrownBy(() -> client("admin", "wrong-pw", AuthMode.BASIC).gremlin(NODE_QUERY))
                .isInstanceOf(AnalyzerRefusal.class).hasMessageContaining("401 wrong credentials")
                .hasMessageNotContaining("wrong-pw");
        assertThatThrownBy(() -> client("admin", "wrong-pw", AuthMode.LOGIN).gremlin(NODE_QUERY))
                .hasMessageContaining("POST /login").hasMessageContaining("401");
        assertThatThrownBy(() -> client("guest", "g", AuthMode.BASIC).gremlin(NODE_QUERY))
                .isInstanceOf(AnalyzerRefusal.class).satisfies(e -> assertThat(((AnalyzerRefusal) e).status())
                        .isEqualTo(403));
    }

    @Test
    void theAnalyzerNeverShowsThePassword() {
        Analyzer a = new Analyzer("::1", 8082, true, "admin", "pw-secret", AuthMode.LOGIN);

        assertThat(a.toString()).doesNotContain("pw-secret").contains("[::1]:8082");
        assertThat(a.webSocketUri("/ws/subscriber/flow").toString()).isEqualTo("wss://[::1]:8082/ws/subscriber/flow");
    }
}
