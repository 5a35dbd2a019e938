package io.caravan.erspan;

import io.caravan.api.log.LogLimit;
import io.caravan.api.metrics.Counter;
import io.caravan.api.plugin.PluginContext;
import io.caravan.erspan.socket.GreSender;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import org.slf4j.Logger;

/**
 * One ERSPAN session to one analyzer. Started, it resolves the target and opens the raw GRE
 * socket, so a process without CAP_NET_RAW fails the route's start with a message saying how to
 * grant it, not its first packet. Meters, tagged {@code erspan=<name>}: packets and bytes (IP
 * payload: GRE, ERSPAN and frame) sent, records skipped by reason, packets dropped because the
 * socket was busy, and send errors.
 */
public final class ErspanEndpoint extends DefaultEndpoint {
    private final ErspanConfiguration configuration;
    private final ErspanComponent component;
    private final PluginContext context;
    private final Logger log;
    private final LogLimit errorLog = new LogLimit(LogLimit.DEFAULT_INTERVAL_MS);
    private final PacketEncoder encoder;
    final Counter packets;
    final Counter bytes;
    final Counter busy;
    final Counter errors;
    final Map<Frames.Skip, Counter> skipped = new EnumMap<>(Frames.Skip.class);
    private volatile GreSender socket;
    private AtomicInteger sequence;

    ErspanEndpoint(String uri, ErspanComponent component, ErspanConfiguration configuration, PluginContext context) {
        super(uri, component);
        this.configuration = configuration;
        this.component = component;
        this.context = context;
        this.log = context.logger("erspan");
        this.encoder = new PacketEncoder(configuration);
        String[] tags = {"erspan", configuration.name()};
        packets = context.counter("caravan.erspan.packets", tags);
        bytes = context.counter("caravan.erspan.bytes", tags);
        busy = context.counter("caravan.erspan.dropped", "erspan", configuration.name(), "reason", "busy");
        errors = context.counter("caravan.erspan.errors", tags);
        for (Frames.Skip s : Frames.Skip.values()) {
            skipped.put(s, context.counter("caravan.erspan.skipped", "erspan", configuration.name(), "reason", s.tag));
        }
    }

    @Override
    public Producer createProducer() {
        return new ErspanProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(ErspanConfiguration.SCHEME + ": is send-only; use it as a 'to' step");
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        String where = ErspanConfiguration.SCHEME + ":" + configuration.name();
        Inet4Address target = resolve(where);
        try {
            socket = component.open(target);
        } catch (IOException e) {
            throw new IllegalStateException(where + ": cannot mirror to " + configuration.target() + ": "
                    + e.getMessage(), e);
        }
        sequence = component.sequence(target.getHostAddress(), configuration.version(), configuration.sessionId());
        log.info("{}: mirroring frames to {} as ERSPAN type {} session {} (GRE sequence numbers from {})", where,
                target.getHostAddress(), configuration.version() == 2 ? "II" : "III", configuration.sessionId(),
                Integer.toUnsignedString(sequence.get()));
    }

    private Inet4Address resolve(String where) {
        try {
            for (InetAddress a : InetAddress.getAllByName(configuration.target())) {
                if (a instanceof Inet4Address v4) {
                    return v4;
                }
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(where + ": cannot resolve target '" + configuration.target() + "'", e);
        }
        throw new IllegalArgumentException(where + ": target '" + configuration.target()
                + "' has no IPv4 address (ERSPAN is sent over IPv4 GRE)");
    }

    @Override
    protected void doStop() throws Exception {
        GreSender s = socket;
        socket = null;
        if (s != null) {
            s.close();
        }
        super.doStop();
    }

    GreSender socket() {
        return socket;
    }

    PacketEncoder encoder() {
        return encoder;
    }

    /** The next GRE sequence number of this session. */
    int nextSequence() {
        return sequence.getAndIncrement();
    }

    long nowNs() {
        Instant now = context.clock().instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    void sendFailed(IOException e) {
        errors.increment();
        if (errorLog.allow()) {
            log.warn("{}:{}: sending to {} failed: {} (counted in caravan_erspan_errors_total)",
                    ErspanConfiguration.SCHEME, configuration.name(), configuration.target(), e.getMessage());
        }
    }

    public ErspanConfiguration getConfiguration() {
        return configuration;
    }
}
