package io.caravan.pipeline.bus;

import io.caravan.api.plugin.PluginContext;
import io.caravan.api.plugin.SinkStatus;
import io.caravan.api.stage.OptionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code bus:<topic>} component: an in-process fan-out from the routes that produce flows
 * (the default collectors' {@code to: bus:flows}) to any number of delivery routes
 * ({@code from: bus:flows?subscriber=kafka}), each behind a bounded queue of its own whose
 * overflow is counted, so a slow sink never slows a collector nor grows the heap. Topics and the
 * per-subscriber accounting live as long as the component; {@link #sinkStatus()} lists every
 * subscriber for {@code GET /admin/sinks}.
 */
public final class BusComponent extends DefaultComponent implements SinkStatus {
    private final PluginContext context;
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();
    private final Map<List<String>, SubscriberStats> stats = new ConcurrentHashMap<>();

    BusComponent(PluginContext context) {
        this.context = context;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        BusConfiguration configuration;
        try {
            configuration = BusConfiguration.of(remaining, parameters);
        } catch (OptionException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        parameters.clear();
        return new BusEndpoint(uri, this, configuration);
    }

    @Override
    protected boolean useIntrospectionOnEndpoint() {
        return false;
    }

    Topic topic(String name) {
        return topics.computeIfAbsent(name, Topic::new);
    }

    /** The accounting of a subscriber, made (and its meters registered) on first use. */
    SubscriberStats stats(String topic, String subscriber) {
        return stats.computeIfAbsent(List.of(topic, subscriber), k -> new SubscriberStats(topic, subscriber, context));
    }

    PluginContext context() {
        return context;
    }

    @Override
    public List<Map<String, Object>> sinkStatus() {
        List<Map<String, Object>> rows = new ArrayList<>();
        stats.values().forEach(s -> rows.add(s.status()));
        rows.sort((a, b) -> (a.get("topic") + "/" + a.get("subscriber")).compareTo(b.get("topic") + "/" + b.get("subscriber")));
        return rows;
    }
}
