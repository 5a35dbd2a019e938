package io.caravan.udp.relay;

import io.caravan.api.log.LogLimit;
import io.caravan.api.plugin.EndpointStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import io.caravan.api.metrics.Counter;
import io.caravan.api.plugin.PluginContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import org.slf4j.Logger;

/**
 * One relay: every datagram of every exchange goes to every target, unchanged. Started, it opens
 * the raw socket when keepSource asks for it, and says in one line which way it sends and, when
 * it cannot keep source addresses, why.
 */
public final class RelayEndpoint extends DefaultEndpoint implements EndpointStatus {
    private final RelayConfiguration configuration;
    private final PluginContext context;
    private final Logger log;
    private final LogLimit errorLog = new LogLimit(LogLimit.DEFAULT_INTERVAL_MS);
    private final List<Target> targets = new ArrayList<>();
    private volatile Sender sender;
    private volatile String sourceProblem;

    /** A target and its meters. */
    record Target(InetSocketAddress address, Counter datagrams, Counter bytes, Counter errors) {
    }

    RelayEndpoint(String uri, RelayComponent component, RelayConfiguration configuration, PluginContext context) {
        super(uri, component);
        this.configuration = configuration;
        this.context = context;
        this.log = context.logger("relay");
        for (InetSocketAddress target : configuration.targets()) {
            InetSocketAddress a = new InetSocketAddress(target.getHostString(), target.getPort());
            if (a.isUnresolved()) {
                throw new IllegalArgumentException(RelayConfiguration.SCHEME + ":" + configuration.name()
                        + ": cannot resolve target host '" + target.getHostString() + "'");
            }
            String[] tags = {"relay", configuration.name(), "target", a.getHostString() + ":" + a.getPort()};
            targets.add(new Target(a, context.counter("caravan.relay.datagrams", tags),
                    context.counter("caravan.relay.bytes", tags), context.counter("caravan.relay.errors", tags)));
        }
    }

    @Override
    public Producer createProducer() {
        return new RelayProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(RelayConfiguration.SCHEME + ": is send-only; use it as a 'to' step");
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        Sender local = new LocalSender();
        if (configuration.keepSource()) {
            try {
                sender = new SourceKeepingSender(RawSocket.open(), local);
            } catch (IOException e) {
                sender = local;
                sourceProblem = e.getMessage();
                log.warn("relay:{}: cannot keep the exporters' source addresses: {}. Datagrams are sent from this host's"
                        + " address, so the collectors behind it see this host as the exporter.", configuration.name(),
                        e.getMessage());
            }
        } else {
            sender = local;
        }
        log.info("relay:{}: sending every datagram to {} {}", configuration.name(), configuration.targets(),
                sender.describe());
    }

    @Override
    protected void doStop() throws Exception {
        if (sender != null) {
            sender.close();
            sender = null;
        }
        super.doStop();
    }

    Sender sender() {
        return sender;
    }

    List<Target> targets() {
        return targets;
    }

    void sendFailed(Target target, IOException e) {
        target.errors().increment();
        if (errorLog.allow()) {
            log.warn("relay:{}: sending to {} failed: {} (counted in caravan_relay_errors_total)", configuration.name(),
                    target.address(), e.getMessage());
        }
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        Sender s = sender;
        m.put("sending", s == null ? "stopped" : s.describe());
        m.put("targets", configuration.targets().stream().map(a -> a.getHostString() + ":" + a.getPort()).toList());
        m.put("counts", "caravan_relay_datagrams_total, caravan_relay_errors_total by target");
        return m;
    }

    /** Asked to keep source addresses and cannot: the collectors behind it see this host as the exporter. */
    @Override
    public Optional<String> degraded() {
        String problem = sourceProblem;
        return problem == null ? Optional.empty() : Optional.of("relay:" + configuration.name()
                + ": cannot keep the exporters' source addresses (" + problem + "); sending from this host");
    }

    public RelayConfiguration getConfiguration() {
        return configuration;
    }
}
