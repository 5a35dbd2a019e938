package io.caravan.skydive.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * {@link Topology} over the analyzer's REST API: {@code POST <base>/api/topology} with the body
 * {@code {"GremlinQuery":"..."}} and, when a user name is given, {@code Authorization: Basic}. Each
 * query is bounded by the timeout, so a dead analyzer costs at most that per lookup (callers cache
 * answers and failures). Thread-safe; the JDK client is shared by all calls.
 */
public final class GremlinClient implements Topology {
    /** Replies above this are refused: a topology answer for one lookup is a few KiB. */
    static final int MAX_REPLY_BYTES = 16 << 20;

    private final ObjectMapper json = new ObjectMapper();
    private final URI endpoint;
    private final String authorization;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param base     {@code http://host:port} or {@code https://host:port}
     * @param username empty or null for no authentication
     */
    public GremlinClient(URI base, String username, String password, Duration timeout) {
        this.endpoint = base.resolve("/api/topology");
        this.authorization = username == null || username.isEmpty() ? null
                : "Basic " + Base64.getEncoder().encodeToString(
                        (username + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The endpoint queried, for status and logs (holds no credentials). */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public JsonNode query(String gremlin) throws TopologyException {
        ObjectNode body = json.createObjectNode().put("GremlinQuery", gremlin);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new TopologyException(endpoint + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopologyException(endpoint + ": interrupted", e);
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new TopologyException(endpoint + ": HTTP " + status
                    + (status == 401 ? " (wrong username or password)" : " (user not allowed to query the topology)"));
        }
        if (status / 100 != 2) {
            throw new TopologyException(endpoint + ": HTTP " + status);
        }
        byte[] bytes = response.body();
        if (bytes.length > MAX_REPLY_BYTES) {
            throw new TopologyException(endpoint + ": reply of " + bytes.length + " bytes is over the limit");
        }
        try {
            JsonNode reply = json.readTree(bytes);
            if (reply == null || !reply.isArray()) {
                throw new TopologyException(endpoint + ": reply is not a JSON array");
            }
            return reply;
        } catch (IOException e) {
            throw new TopologyException(endpoint + ": reply is not JSON: " + e.getMessage(), e);
        }
    }
}
