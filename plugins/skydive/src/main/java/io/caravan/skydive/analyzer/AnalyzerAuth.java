package io.caravan.skydive.analyzer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The credentials header of an analyzer request: {@code Authorization: Basic ...}, or the
 * {@code authtoken} cookie from {@code POST /login} (fetched on first use and again after
 * {@link #invalidate()}), or nothing for an analyzer without auth. Thread-safe.
 */
public final class AnalyzerAuth {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Analyzer analyzer;
    private final HttpClient http;
    private final Duration timeout;
    private volatile String token;

    public AnalyzerAuth(Analyzer analyzer, HttpClient http, Duration timeout) {
        this.analyzer = analyzer;
        this.http = http;
        this.timeout = timeout;
    }

    /**
     * The header to send (name, value), empty when the analyzer has no credentials configured.
     *
     * @throws AnalyzerRefusal when {@code POST /login} refuses the credentials
     * @throws IOException     when the analyzer cannot be reached
     */
    public Optional<Map.Entry<String, String>> header() throws IOException, InterruptedException {
        if (!analyzer.hasCredentials()) {
            return Optional.empty();
        }
        if (analyzer.authMode() == AuthMode.BASIC) {
            String basic = Base64.getEncoder().encodeToString((analyzer.username() + ":" + analyzer.password())
                    .getBytes(StandardCharsets.UTF_8));
            return Optional.of(Map.entry("Authorization", "Basic " + basic));
        }
        String t = token;
        if (t == null) {
            t = login();
            token = t;
        }
        return Optional.of(Map.entry("Cookie", "authtoken=" + t));
    }

    /** Forgets the login token, so the next {@link #header()} logs in again (after a 401 with a cookie). */
    public void invalidate() {
        token = null;
    }

    private String login() throws IOException, InterruptedException {
        String form = "username=" + URLEncoder.encode(analyzer.username(), StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(analyzer.password(), StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(analyzer.httpUri("/login")).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AnalyzerRefusal(response.statusCode(), "POST /login on " + analyzer.address());
        }
        for (String cookie : response.headers().allValues("Set-Cookie")) {
            String first = cookie.split(";", 2)[0].trim();
            if (first.startsWith("authtoken=") && first.length() > "authtoken=".length()) {
                return first.substring("authtoken=".length());
            }
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        if (body != null && body.path("Token").isTextual() && !body.path("Token").asText().isEmpty()) {
            return body.path("Token").asText();
        }
        throw new IOException("POST /login on " + analyzer.address() + " answered 200 without an authtoken cookie or"
                + " a Token");
    }
}
