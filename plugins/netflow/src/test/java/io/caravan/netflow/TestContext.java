package io.caravan.netflow;

import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import io.caravan.api.stage.StageException;
import io.caravan.api.stage.StageOptions;
import io.caravan.testkit.SettableClock;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * A stage context with a clock tests move by hand and counters/gauges readable by name and tags; builds the
 * decode-netflow stage the way the runtime does.
 */
public final class TestContext implements StageContext {
    public static final long NOW_MS = 1_700_000_000_000L;
    public static final InetSocketAddress EXPORTER = new InetSocketAddress("192.0.2.1", 2055);

    private final SettableClock clock = new SettableClock(NOW_MS);
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final Map<String, DoubleSupplier> gauges = new ConcurrentHashMap<>();
    private Stage<Datagram, FlowBatch> stage;

    TestContext() {
    }

    public static TestContext create(Map<String, ?> options) throws OptionException {
        TestContext c = new TestContext();
        DecodeNetflowStageProvider p = new DecodeNetflowStageProvider();
        c.stage = p.create(StageOptions.bind(p.name(), p.options(), options), c);
        return c;
    }

    public static TestContext create() throws OptionException {
        return create(Map.of());
    }

    public Stage<Datagram, FlowBatch> stage() {
        return stage;
    }

    public FlowBatch decode(byte[] payload) throws StageException {
        return decode(payload, EXPORTER);
    }

    public FlowBatch decode(byte[] payload, InetSocketAddress sender) throws StageException {
        return stage.apply(new Datagram(payload, sender, clock.millis()));
    }

    public void advance(long ms) {
        clock.advance(ms);
    }

    public long now() {
        return clock.millis();
    }

    /** A counter's value by name and tags (in any order), 0 when never incremented. */
    public long count(String name, String... tags) {
        AtomicLong c = counters.get(key(name, tags));
        return c == null ? 0 : c.get();
    }

    public double gauge(String name, String... tags) {
        DoubleSupplier g = gauges.get(key(name, tags));
        return g == null ? Double.NaN : g.getAsDouble();
    }

    private static String key(String name, String... tags) {
        TreeMap<String, String> sorted = new TreeMap<>();
        for (int i = 0; i + 1 < tags.length; i += 2) {
            sorted.put(tags[i], tags[i + 1]);
        }
        return name + sorted;
    }

    @Override
    public String pluginId() {
        return "test";
    }

    @Override
    public java.nio.file.Path dataDir() {
        return java.nio.file.Path.of("target", "plugin-data");
    }

    @Override
    public org.slf4j.Logger logger(String name) {
        return org.slf4j.LoggerFactory.getLogger(name);
    }

    @Override
    public String stageName() {
        return "decode-netflow";
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public io.caravan.api.metrics.Counter counter(String name, String... tagKeyValues) {
        AtomicLong c = counters.computeIfAbsent(key(name, tagKeyValues), k -> new AtomicLong());
        return c::addAndGet;
    }

    @Override
    public void gauge(String name, DoubleSupplier value, String... tagKeyValues) {
        gauges.put(key(name, tagKeyValues), value);
    }
}
