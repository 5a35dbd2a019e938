package io.caravan.vanflow.amqp;

import java.net.URI;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * How to reach the router (or broker).
 *
 * @param url            {@code amqp://host:port} or {@code amqps://host:port}
 * @param credit         link credit of each receiver: the router drops pre-settled deliveries beyond it
 * @param sslContext     the TLS context for amqps (client certificate and trust); null uses the JVM's default
 * @param verifyHost     whether amqps checks the server certificate's name against the host
 * @param connectTimeout how long a connection attempt (TCP, TLS, AMQP open) may take
 * @param container      the AMQP container id this client opens with
 * @param saslMechanism  EXTERNAL when a client certificate authenticates (Skupper's local client), else ANONYMOUS
 */
public record AmqpSettings(URI url, int credit, SSLContext sslContext, boolean verifyHost, Duration connectTimeout,
                           String container, String saslMechanism) {

    public boolean tls() {
        return "amqps".equals(url.getScheme());
    }

    public String host() {
        return url.getHost();
    }

    public int port() {
        return url.getPort() >= 0 ? url.getPort() : tls() ? 5671 : 5672;
    }
}
