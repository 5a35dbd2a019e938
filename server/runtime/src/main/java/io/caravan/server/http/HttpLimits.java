package io.caravan.server.http;

import io.caravan.server.config.CaravanConfig;
import io.caravan.server.config.Setting;
import java.time.Duration;

/**
 * What one HTTP connection may cost the server. Each limit is a setting in
 * config/caravan.properties and the README's "Running Caravan on an untrusted network".
 *
 * @param readTimeout    a whole request must arrive within this of the connection opening or of its previous response
 * @param idleTimeout    a connection with no bytes read or written for this long is closed
 * @param maxHeaderBytes request line plus headers; over it: 431 (414 for the line)
 * @param maxBodyBytes   request body; over it: 413
 * @param maxConnections open connections; more are closed on accept
 * @param threads        threads answering admin and metrics requests (health has its own)
 */
public record HttpLimits(Duration readTimeout, Duration idleTimeout, int maxHeaderBytes, int maxBodyBytes,
                         int maxConnections, int threads) {

    public HttpLimits {
        if (readTimeout.toMillis() < 1 || idleTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("HTTP read and idle timeouts must be at least 1 ms");
        }
        if (maxHeaderBytes < 256 || maxBodyBytes < 0 || maxConnections < 1 || threads < 1) {
            throw new IllegalArgumentException("HTTP limits out of range: max header bytes >= 256, max body bytes >= 0,"
                    + " max connections >= 1, threads >= 1");
        }
    }

    public static HttpLimits from(CaravanConfig config) {
        return new HttpLimits(config.getMillis(Setting.HTTP_READ_TIMEOUT_MS), config.getMillis(Setting.HTTP_IDLE_TIMEOUT_MS),
                config.getInt(Setting.HTTP_MAX_HEADER_BYTES), config.getInt(Setting.HTTP_MAX_BODY_BYTES),
                config.getInt(Setting.HTTP_MAX_CONNECTIONS), config.getInt(Setting.HTTP_THREADS));
    }

    /** The shipped defaults. */
    public static HttpLimits defaults() {
        return new HttpLimits(Duration.ofMillis(Long.parseLong(Setting.HTTP_READ_TIMEOUT_MS.defaultValue())),
                Duration.ofMillis(Long.parseLong(Setting.HTTP_IDLE_TIMEOUT_MS.defaultValue())),
                Integer.parseInt(Setting.HTTP_MAX_HEADER_BYTES.defaultValue()),
                Integer.parseInt(Setting.HTTP_MAX_BODY_BYTES.defaultValue()),
                Integer.parseInt(Setting.HTTP_MAX_CONNECTIONS.defaultValue()),
                Integer.parseInt(Setting.HTTP_THREADS.defaultValue()));
    }
}
