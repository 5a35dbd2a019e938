package io.caravan.skydive.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.api.plugin.PluginContext;
import io.caravan.api.stage.OptionException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code skydive:HOST:PORT} component: a receive-only subscriber to a Skydive analyzer's flows.
 * One endpoint per URI; see {@link SkydiveEndpoint} and {@link SkydiveConsumer}. Counts are kept
 * per analyzer and generated host ids per endpoint URI, both for the component's life, so a
 * reconnect or a route restart sends the same X-Host-ID, and two routes subscribing to the same
 * analyzer (which Camel gives distinct URIs) are not refused as duplicates (409).
 */
public final class SkydiveComponent extends DefaultComponent {
    private final PluginContext context;
    private final EnvelopeDecoder decoder = new EnvelopeDecoder(new ObjectMapper());
    private final Map<String, SkydiveCounts> counts = new ConcurrentHashMap<>();
    private final Map<String, String> hostIds = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    SkydiveComponent(PluginContext context) {
        this.context = context;
    }

    /**
     * Binds every parameter against the declared options, so nothing is left for Camel's reflective
     * binding and a bad one fails the endpoint before its route starts, naming the option.
     */
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SkydiveConfiguration configuration;
        try {
            configuration = SkydiveConfiguration.of(remaining, parameters);
        } catch (OptionException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        parameters.clear();
        String address = configuration.analyzer().address();
        SkydiveCounts c = counts.computeIfAbsent(address, a -> new SkydiveCounts(context, a));
        String hostId = configuration.hostId().isEmpty()
                ? hostIds.computeIfAbsent(uri, k -> generatedHostId())
                : configuration.hostId();
        return new SkydiveEndpoint(uri, this, configuration, hostId, c);
    }

    @Override
    protected boolean useIntrospectionOnEndpoint() {
        return false;
    }

    private String generatedHostId() {
        String host = System.getenv().getOrDefault("HOSTNAME", "");
        if (host.isEmpty()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "host";
            }
        }
        byte[] b = new byte[4];
        random.nextBytes(b);
        return "caravan-" + host.replaceAll("[^A-Za-z0-9.-]", "-") + "-" + HexFormat.of().formatHex(b);
    }

    PluginContext context() {
        return context;
    }

    EnvelopeDecoder decoder() {
        return decoder;
    }
}
