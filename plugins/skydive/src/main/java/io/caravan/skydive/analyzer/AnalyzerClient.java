package io.caravan.skydive.analyzer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The analyzer's REST API as the exporter's stages use it: Gremlin queries on
 * {@code POST /api/topology} (body {@code {"GremlinQuery":"..."}}), with the same auth as the
 * WebSocket. The reply is a JSON array of nodes ({@code {ID,Host,Metadata}}) or of values. A 401
 * with the login cookie logs in again once. Thread-safe; one per analyzer.
 */
public final class AnalyzerClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Analyzer analyzer;
    private final HttpClient http;
    private final AnalyzerAuth auth;
    private final Duration timeout;

    public AnalyzerClient(Analyzer analyzer, Duration timeout) {
        this(analyzer, HttpClient.newBuilder().connectTimeout(timeout).build(), timeout);
    }

    public AnalyzerClient(Analyzer analyzer, HttpClient http, Duration timeout) {
        this.analyzer = analyzer;
        this.http = http;
        this.timeout = timeout;
        this.auth = new AnalyzerAuth(analyzer, http, timeout);
    }

    public Analyzer analyzer() {
        return analyzer;
    }

    /**
     * Runs one Gremlin query.
     *
     * @return the parsed reply (an array, possibly empty)
     * @throws AnalyzerRefusal for a non-200 answer, the status explained
     * @throws IOException     when the analyzer cannot be reached or answers something that is not JSON
     */
    public JsonNode gremlin(String query) throws IOException, InterruptedException {
        HttpResponse<String> response = post(query);
        if (response.statusCode() == 401 && analyzer.authMode() == AuthMode.LOGIN) {
            auth.invalidate();
            response = post(query);
        }
        if (response.statusCode() != 200) {
            throw new AnalyzerRefusal(response.statusCode(), "POST /api/topology on " + analyzer.address());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IOException("POST /api/topology on " + analyzer.address() + " answered something that is not"
                    + " JSON: " + e.getMessage(), e);
        }
    }

    private HttpResponse<String> post(String query) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("GremlinQuery", query));
        HttpRequest.Builder b = HttpRequest.newBuilder(analyzer.httpUri("/api/topology")).timeout(timeout)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        auth.header().ifPresent(h -> b.header(h.getKey(), h.getValue()));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
