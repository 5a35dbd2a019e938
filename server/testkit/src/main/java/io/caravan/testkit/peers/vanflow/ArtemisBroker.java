package io.caravan.testkit.peers.vanflow;

import java.io.IOException;
import java.net.ServerSocket;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.WildcardConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * An embedded ActiveMQ Artemis broker with an AMQP 1.0 acceptor on 127.0.0.1, set up as a Skupper
 * router routes VAN-flow: addresses under {@code mc/} are multicast (Skupper configures the router
 * prefix {@code mc} as {@code distribution: multicast}), everything else anycast; addresses are
 * created on first use; no persistence, no security. Words are split at '/' so {@code mc/#}
 * matches {@code mc/sfe.x7f2q:0.flows}. {@link #restart()} keeps the port.
 */
public final class ArtemisBroker implements AutoCloseable {
    private final int port;
    private EmbeddedActiveMQ server;

    private ArtemisBroker(int port) {
        this.port = port;
    }

    public static ArtemisBroker start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ArtemisBroker b = new ArtemisBroker(port);
        b.up();
        return b;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "amqp://127.0.0.1:" + port;
    }

    /** Stops and starts the broker on the same port (every connection drops; nothing persists). */
    public void restart() throws Exception {
        down();
        up();
    }

    /** Stops the broker (for tests of a broker outage); {@link #up()} starts it again. */
    public void down() throws Exception {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    public void up() throws Exception {
        Configuration c = new ConfigurationImpl()
                .setPersistenceEnabled(false)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .setWildCardConfiguration(new WildcardConfiguration().setDelimiter('/'))
                .addAcceptorConfiguration("amqp", "tcp://127.0.0.1:" + port + "?protocols=AMQP");
        c.addAddressSetting("mc/#", new AddressSettings()
                .setDefaultAddressRoutingType(RoutingType.MULTICAST)
                .setDefaultQueueRoutingType(RoutingType.MULTICAST)
                .setAutoCreateAddresses(true).setAutoCreateQueues(true));
        c.addAddressSetting("#", new AddressSettings()
                .setDefaultAddressRoutingType(RoutingType.ANYCAST)
                .setDefaultQueueRoutingType(RoutingType.ANYCAST)
                .setAutoCreateAddresses(true).setAutoCreateQueues(true));
        EmbeddedActiveMQ s = new EmbeddedActiveMQ();
        s.setConfiguration(c);
        s.start();
        server = s;
    }

    @Override
    public void close() throws IOException {
        try {
            down();
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
