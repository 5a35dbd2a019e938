package io.caravan.vanflow.amqp;

import java.net.URI;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * How to reach the router (or broker).
 *
 * @param url            {@code amqp://host:port} or {@code amqps://host:port}, nothing else
 * @param prefetch       link credit of each receiver: the router drops pre-settled deliveries beyond it
 * @param sslContext     the TLS context for amqps (client certificate and trust), or null for the JVM default
 * @param verifyHost     whether amqps checks the server certificate's name against the host
 * @param connectTimeout how long a connection attempt may take
 */
public record AmqpSettings(URI url, int prefetch, SSLContext sslContext, boolean verifyHost,
                           Duration connectTimeout) {

    /** The URI Qpid JMS is given: the router's address plus the client options this collector needs. */
    String qpidUri() {
        long ms = connectTimeout.toMillis();
        StringBuilder b = new StringBuilder(url.getScheme()).append("://").append(url.getHost()).append(':')
                .append(url.getPort() < 0 ? ("amqps".equals(url.getScheme()) ? 5671 : 5672) : url.getPort())
                // Every consumer's credit; the router's pre-settled deliveries are never acknowledged.
                .append("?jms.prefetchPolicy.all=").append(prefetch)
                .append("&jms.presettlePolicy.presettleConsumers=true")
                // FLUSH needs no broker acknowledgement: sent async, never blocking the ingest thread.
                .append("&jms.presettlePolicy.presettleProducers=true")
                .append("&jms.connectTimeout=").append(ms)
                .append("&jms.closeTimeout=").append(Math.min(ms, 5000))
                .append("&transport.connectTimeout=").append(ms);
        if ("amqps".equals(url.getScheme())) {
            b.append("&transport.verifyHost=").append(verifyHost);
        }
        return b.toString();
    }
}
