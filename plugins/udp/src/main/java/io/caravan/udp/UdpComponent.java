package io.caravan.udp;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code udp://HOST:PORT} component: a receive-only UDP source. One endpoint per URI; see
 * {@link UdpEndpoint} and {@link UdpConsumer}.
 */
public final class UdpComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        UdpConfiguration configuration = new UdpConfiguration();
        configuration.setHostAndPort(remaining);
        setProperties(configuration, parameters);
        configuration.validate();
        return new UdpEndpoint(uri, this, configuration);
    }
}
