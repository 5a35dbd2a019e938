package io.caravan.skydive.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * IBM Cloud IAM access tokens for an api key, as IBM's COS SDK gets them: {@code POST} to the IAM
 * token endpoint with {@code grant_type=urn:ibm:params:oauth:grant-type:apikey}, then the bearer
 * token is reused until a minute before it expires. Thread-safe. The api key and the tokens never
 * appear in messages.
 */
public final class IbmIamTokens {
    /** IBM Cloud's public IAM token endpoint. */
    public static final String DEFAULT_ENDPOINT = "https://iam.cloud.ibm.com/identity/token";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration EARLY = Duration.ofSeconds(60);

    private final URI endpoint;
    private final String apiKey;
    private final Clock clock;
    private final HttpClient http;
    private String token;
    private Instant refreshAt = Instant.MIN;

    public IbmIamTokens(URI endpoint, String apiKey, Clock clock) {
        this.endpoint = endpoint;
        this.apiKey = apiKey;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A valid access token, fetched when there is none or it is about to expire. */
    public synchronized String token() throws IOException {
        Instant now = clock.instant();
        if (token != null && now.isBefore(refreshAt)) {
            return token;
        }
        String form = "grant_type=" + URLEncoder.encode("urn:ibm:params:oauth:grant-type:apikey", StandardCharsets.UTF_8)
                + "&apikey=" + URLEncoder.encode(apiKey, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while getting an IBM IAM token from " + endpoint, e);
        }
        if (response.statusCode() != 200) {
            throw new IOException("IBM IAM at " + endpoint + " answered " + response.statusCode()
                    + (response.statusCode() == 400 || response.statusCode() == 401 ? " (is the api key right?)" : ""));
        }
        JsonNode body = MAPPER.readTree(response.body());
        String t = body.path("access_token").asText("");
        if (t.isEmpty()) {
            throw new IOException("IBM IAM at " + endpoint + " answered without an access_token");
        }
        long expiresIn = body.path("expires_in").asLong(3600);
        token = t;
        refreshAt = now.plusSeconds(expiresIn).minus(EARLY);
        return t;
    }
}
