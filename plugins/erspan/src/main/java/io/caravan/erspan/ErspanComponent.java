package io.caravan.erspan;

import io.caravan.api.plugin.PluginContext;
import io.caravan.api.stage.OptionException;
import io.caravan.erspan.socket.GreSender;
import io.caravan.erspan.socket.GreSocket;
import java.io.IOException;
import java.net.Inet4Address;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code erspan:<name>} component; see {@link ErspanEndpoint}. It keeps the GRE sequence
 * counters, one per (target, type, session id), so endpoints mirroring into one session share a
 * numbering and a restarted route continues it.
 */
public final class ErspanComponent extends DefaultComponent {
    private final PluginContext context;
    private final Opener opener;
    private final Map<String, AtomicInteger> sequences = new ConcurrentHashMap<>();

    /** Opens the sender of one endpoint at its start. */
    @FunctionalInterface
    interface Opener {
        GreSender open(Inet4Address target) throws IOException;
    }

    ErspanComponent(PluginContext context) {
        this(context, GreSocket::open);
    }

    /** With another sender than the raw socket: for tests of a busy or failing socket, which loopback never is. */
    ErspanComponent(PluginContext context, Opener opener) {
        this.context = context;
        this.opener = opener;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        ErspanConfiguration configuration;
        try {
            configuration = ErspanConfiguration.of(remaining, parameters);
        } catch (OptionException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        parameters.clear();
        return new ErspanEndpoint(uri, this, configuration, context);
    }

    @Override
    protected boolean useIntrospectionOnEndpoint() {
        return false;
    }

    GreSender open(Inet4Address target) throws IOException {
        return opener.open(target);
    }

    /** The sequence counter of one session; numbers wrap at 2^32 (an int read as unsigned). */
    AtomicInteger sequence(String target, int version, int sessionId) {
        return sequences.computeIfAbsent(target + "/" + version + "/" + sessionId, k -> new AtomicInteger());
    }
}
