package io.caravan.udp.relay;

import io.caravan.api.log.LogLimit;
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
public final class RelayEndpoint extends DefaultEndpoint {
    private final RelayConfiguration configuration;
    private final PluginContext context;
    private final Logger log;
    private final LogLimit errorLog = new LogLimit(LogLimit.DEFAULT_INTERVAL_MS);
    private final List<Target> targets = new ArrayList<>();
    private Sender sender;

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

    public RelayConfiguration getConfiguration() {
        return configuration;
    }
}
