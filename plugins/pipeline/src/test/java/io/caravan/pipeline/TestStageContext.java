package io.caravan.pipeline;

import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import io.caravan.api.stage.StageOptions;
import io.caravan.api.stage.StageProvider;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A stage context with a fixed clock that records its counters, and the way the runtime builds a stage. */
public final class TestStageContext implements StageContext {
    public static final long NOW_MS = 1_700_000_000_123L;

    private final String stageName;
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

    private TestStageContext(String stageName) {
        this.stageName = stageName;
    }

    public static TestStageContext of(String stageName) {
        return new TestStageContext(stageName);
    }

    /** Binds the raw options against the provider's specs and creates the stage, as the runtime does. */
    public <I, O> Stage<I, O> create(StageProvider<I, O> provider, Map<String, ?> raw) throws OptionException {
        return provider.create(StageOptions.bind(provider.name(), provider.options(), raw), this);
    }

    /** The counter's value, or null when the stage never asked for it. */
    public Long counterValue(String name) {
        AtomicLong c = counters.get(name);
        return c == null ? null : c.get();
    }

    @Override
    public String stageName() {
        return stageName;
    }

    @Override
    public Clock clock() {
        return Clock.fixed(Instant.ofEpochMilli(NOW_MS), ZoneOffset.UTC);
    }

    @Override
    public String pluginId() {
        return "pipeline";
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
    public void gauge(String name, java.util.function.DoubleSupplier value, String... tagKeyValues) {
    }

    @Override
    public io.caravan.api.metrics.Counter counter(String name, String... tagKeyValues) {
        AtomicLong c = counters.computeIfAbsent(name, n -> new AtomicLong());
        return c::addAndGet;
    }
}
