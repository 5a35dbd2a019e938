package io.caravan.sflow;

import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import io.caravan.api.stage.StageOptions;
import io.caravan.api.stage.StageProvider;
import io.caravan.testkit.SettableClock;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * A stage context with a clock that only tests move ({@link #advance}), that records its counters by name and tags (as
 * {@code name{k=v,k=v}}), how often each was asked for, and its gauges; and the way the runtime
 * builds a stage.
 */
public final class TestStageContext implements StageContext {
    public static final long NOW_MS = 1_700_000_000_123L;

    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
    private final Map<String, DoubleSupplier> gauges = new ConcurrentHashMap<>();
    private final SettableClock clock = new SettableClock(NOW_MS);

    public static TestStageContext create() {
        return new TestStageContext();
    }

    /** Binds the raw options against the provider's specs and creates the stage, as the runtime does. */
    public <I, O> Stage<I, O> create(StageProvider<I, O> provider, Map<String, ?> raw) throws OptionException {
        return provider.create(StageOptions.bind(provider.name(), provider.options(), raw), this);
    }

    /** The counter's value, or null when the stage never asked for it; {@code id} is {@code name{k=v,...}}. */
    public Long counter(String id) {
        AtomicLong c = counters.get(id);
        return c == null ? null : c.get();
    }

    /** How many times the stage asked for this counter. */
    public int lookups(String id) {
        AtomicInteger n = lookups.get(id);
        return n == null ? 0 : n.get();
    }

    public Map<String, AtomicLong> counters() {
        return counters;
    }

    public Double gauge(String name) {
        DoubleSupplier g = gauges.get(name);
        return g == null ? null : g.getAsDouble();
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
        return "decode-sflow";
    }

    /** Moves the clock on; the current time is {@code NOW_MS} plus everything advanced. */
    public long advance(long ms) {
        return clock.advance(ms);
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public io.caravan.api.metrics.Counter counter(String name, String... tagKeyValues) {
        String id = id(name, tagKeyValues);
        lookups.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        AtomicLong c = counters.computeIfAbsent(id, k -> new AtomicLong());
        return c::addAndGet;
    }

    @Override
    public void gauge(String name, DoubleSupplier value, String... tagKeyValues) {
        gauges.put(id(name, tagKeyValues), value);
    }

    static String id(String name, String... tagKeyValues) {
        StringBuilder sb = new StringBuilder(name).append('{');
        for (int i = 0; i < tagKeyValues.length; i += 2) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(tagKeyValues[i]).append('=').append(tagKeyValues[i + 1]);
        }
        return sb.append('}').toString();
    }
}
