package io.caravan.testkit;

import io.caravan.api.metrics.Counter;
import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import io.caravan.api.stage.StageOptions;
import io.caravan.api.stage.StageProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StageContext} for plugin tests that records every series a stage creates, by name and
 * tags, so a test can assert that a series exists with the expected labels (not only that some
 * counter is zero), and builds stages the way the runtime does. It also enforces the runtime's
 * one-tag-set-per-name rule, so a plugin that breaks it fails in its own tests.
 */
public final class RecordingStageContext implements StageContext {
    private final String stageName;
    private final Clock clock;
    private final Path dataDir;
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final Map<String, DoubleSupplier> gauges = new ConcurrentHashMap<>();
    private final Map<String, java.util.Set<String>> shapes = new ConcurrentHashMap<>();
    private final Map<String, java.util.List<Double>> histograms = new ConcurrentHashMap<>();

    public RecordingStageContext(String stageName, Clock clock, Path dataDir) {
        this.stageName = stageName;
        this.clock = clock;
        this.dataDir = dataDir;
    }

    /** A context with a {@link SettableClock} at {@code nowMs} and a data directory under target/. */
    public static RecordingStageContext of(String stageName, Clock clock) {
        return new RecordingStageContext(stageName, clock, Path.of("target", "plugin-data", stageName));
    }

    /** Binds the raw options against the provider's specs and creates the stage, as the runtime does. */
    public <I, O> Stage<I, O> create(StageProvider<I, O> provider, Map<String, ?> raw) throws OptionException {
        StageOptions.checkSpecs("stage '" + provider.name() + "'", provider.options());
        return provider.create(StageOptions.bind(provider.name(), provider.options(), raw), this);
    }

    /**
     * The value of the counter with exactly these tags (besides {@code stage}), or empty when the
     * stage never created it.
     */
    public Optional<Long> counter(String name, Map<String, String> tags) {
        AtomicLong c = counters.get(key(name, tags));
        return c == null ? Optional.empty() : Optional.of(c.get());
    }

    /** The sum over every series of {@code name}, whatever its tags; 0 when there is none. */
    public long sum(String name) {
        return counters.entrySet().stream().filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .mapToLong(e -> e.getValue().get()).sum();
    }

    /** Every counter series created, as {@code name{k=v,...}} to value, sorted. */
    public Map<String, Long> counters() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** The gauge with exactly these tags, read now, or empty. */
    public Optional<Double> gauge(String name, Map<String, String> tags) {
        DoubleSupplier g = gauges.get(key(name, tags));
        return g == null ? Optional.empty() : Optional.of(g.getAsDouble());
    }

    /** The values recorded into the histogram with exactly these tags, in order, or empty when never created. */
    public Optional<java.util.List<Double>> histogram(String name, Map<String, String> tags) {
        java.util.List<Double> h = histograms.get(key(name, tags));
        return h == null ? Optional.empty() : Optional.of(java.util.List.copyOf(h));
    }

    @Override
    public io.caravan.api.metrics.Histogram histogram(String name, double[] buckets, String... tagKeyValues) {
        java.util.List<Double> h = histograms.computeIfAbsent(key(name, tags(name, tagKeyValues)),
                k -> java.util.Collections.synchronizedList(new java.util.ArrayList<>()));
        return h::add;
    }

    @Override
    public String stageName() {
        return stageName;
    }

    @Override
    public String pluginId() {
        return "test";
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Path dataDir() {
        try {
            return Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Logger logger(String name) {
        return LoggerFactory.getLogger("caravan.test." + name);
    }

    @Override
    public Counter counter(String name, String... tagKeyValues) {
        AtomicLong c = counters.computeIfAbsent(key(name, tags(name, tagKeyValues)), k -> new AtomicLong());
        return c::addAndGet;
    }

    @Override
    public void gauge(String name, DoubleSupplier value, String... tagKeyValues) {
        gauges.put(key(name, tags(name, tagKeyValues)), value);
    }

    private Map<String, String> tags(String name, String[] kv) {
        if (kv.length % 2 != 0) {
            throw new IllegalArgumentException(name + ": tags must be key/value pairs: " + Arrays.toString(kv));
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            tags.put(kv[i], kv[i + 1]);
        }
        java.util.Set<String> shape = new java.util.TreeSet<>(tags.keySet());
        java.util.Set<String> first = shapes.putIfAbsent(name, shape);
        if (first != null && !first.equals(shape)) {
            throw new IllegalArgumentException("meter '" + name + "' registered with tags " + first + " and now " + shape);
        }
        return tags;
    }

    private static String key(String name, Map<String, String> tags) {
        if (tags.isEmpty()) {
            return name;
        }
        StringBuilder sb = new StringBuilder(name).append('{');
        new TreeMap<>(tags).forEach((k, v) -> sb.append(k).append('=').append(v).append(','));
        sb.setLength(sb.length() - 1);
        return sb.append('}').toString();
    }
}
