package io.caravan.skydive.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.skydive.analyzer.Analyzer;
import io.caravan.skydive.analyzer.AnalyzerClient;
import io.caravan.skydive.analyzer.AnalyzerRefusal;
import io.caravan.skydive.analyzer.AuthMode;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * {@link Topology} over the analyzer's REST API, through the source's own
 * {@link AnalyzerClient} ({@code POST /api/topology}, the same auth as the WebSocket): one HTTP
 * client for the whole plugin. Each query is bounded by the timeout, so a dead analyzer costs at
 * most that per lookup (callers cache answers and failures); every failure becomes a
 * {@link TopologyException} naming the endpoint, never a credential. Thread-safe.
 */
public final class GremlinClient implements Topology {
    private final AnalyzerClient client;
    private final URI endpoint;

    public GremlinClient(AnalyzerClient client) {
        this.client = client;
        this.endpoint = client.analyzer().httpUri("/api/topology");
    }

    /**
     * @param base     {@code http://host:port} or {@code https://host:port}
     * @param username empty or null for no authentication (else Basic)
     */
    public GremlinClient(URI base, String username, String password, Duration timeout) {
        this(new AnalyzerClient(new Analyzer(unbracket(base.getHost()), base.getPort(), "https".equals(base.getScheme()),
                username, password, AuthMode.BASIC), timeout));
    }

    /** The endpoint queried, for status and logs (holds no credentials). */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public JsonNode query(String gremlin) throws TopologyException {
        JsonNode reply;
        try {
            reply = client.gremlin(gremlin);
        } catch (AnalyzerRefusal e) {
            throw new TopologyException(endpoint + ": HTTP " + AnalyzerRefusal.explain(e.status()), e);
        } catch (IOException e) {
            throw new TopologyException(endpoint + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopologyException(endpoint + ": interrupted", e);
        }
        if (reply == null || !reply.isArray()) {
            throw new TopologyException(endpoint + ": reply is not a JSON array");
        }
        return reply;
    }

    private static String unbracket(String host) {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }
}
