package io.caravan.server.metrics;

import io.caravan.api.metrics.Counter;
import io.caravan.api.metrics.Histogram;
import io.caravan.api.plugin.PluginContext;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PluginContext} the runtime hands a contribution: Micrometer meters carrying this
 * context's fixed tags (a stage's {@code stage=<name>}), removed together by {@link #close()};
 * the server clock; {@code <data dir>/<plugin id>}; loggers under {@code caravan.<plugin id>}.
 *
 * <p>A meter name has one tag-key set server-wide ({@link io.caravan.api.metrics.Meters}): a
 * registration whose keys differ from the name's existing meters is refused here, loudly, where
 * Prometheus would drop it silently. A meter another context also holds (same name and tags)
 * stays until that context closes too ({@link MeterLeases}).
 */
public class MicrometerPluginContext implements PluginContext, AutoCloseable {
    private final String pluginId;
    private final Clock clock;
    private final MeterLeases leases;
    private final MeterRegistry registry;
    private final Path dataDir;
    private final Tags fixedTags;
    /** The meters this context holds a lease on, once each. */
    private final Map<Meter.Id, Meter> held = new LinkedHashMap<>();

    /**
     * @param leases            the server's one record of who holds which meter (its registry is where meters go)
     * @param dataRoot          {@code caravan.data.dir}; the plugin's directory is {@code <dataRoot>/<pluginId>}
     * @param fixedTagKeyValues tags every meter of this context carries (a stage's {@code stage=<name>})
     */
    public MicrometerPluginContext(String pluginId, Clock clock, MeterLeases leases, Path dataRoot,
                                   String... fixedTagKeyValues) {
        this.pluginId = pluginId;
        this.clock = clock;
        this.leases = leases;
        this.registry = leases.registry();
        this.dataDir = dataRoot.resolve(pluginId);
        this.fixedTags = Tags.of(pairs("fixed tags", fixedTagKeyValues));
    }

    @Override
    public String pluginId() {
        return pluginId;
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
            throw new UncheckedIOException("cannot create the data directory of plugin '" + pluginId + "': " + dataDir, e);
        }
    }

    @Override
    public Logger logger(String name) {
        return LoggerFactory.getLogger("caravan." + pluginId + "." + name);
    }

    @Override
    public synchronized Counter counter(String name, String... tagKeyValues) {
        Tags tags = fixedTags.and(pairs("counter " + name, tagKeyValues));
        checkShape(name, tags);
        io.micrometer.core.instrument.Counter c = io.micrometer.core.instrument.Counter.builder(name).tags(tags)
                .register(registry);
        hold(c);
        return c::increment;
    }

    @Override
    public synchronized void gauge(String name, DoubleSupplier value, String... tagKeyValues) {
        Tags tags = fixedTags.and(pairs("gauge " + name, tagKeyValues));
        checkShape(name, tags);
        hold(Gauge.builder(name, value::getAsDouble).tags(tags).register(registry));
    }

    @Override
    public synchronized Histogram histogram(String name, double[] buckets, String... tagKeyValues) {
        Tags tags = fixedTags.and(pairs("histogram " + name, tagKeyValues));
        checkShape(name, tags);
        DistributionSummary h = DistributionSummary.builder(name).tags(tags).serviceLevelObjectives(buckets.clone())
                .register(registry);
        hold(h);
        return h::record;
    }

    private void hold(Meter meter) {
        if (held.putIfAbsent(meter.getId(), meter) == null) {
            leases.acquire(meter);
        }
    }

    /**
     * Lets go of every meter this context made; each leaves the registry unless another context
     * still holds it. The context may be used again (a stage endpoint restarted with its route).
     */
    @Override
    public synchronized void close() {
        held.values().forEach(leases::release);
        held.clear();
    }

    private void checkShape(String name, Tags tags) {
        Set<String> keys = keys(tags);
        for (Meter m : registry.find(name).meters()) {
            Set<String> existing = keys(Tags.of(m.getId().getTags()));
            if (!existing.equals(keys)) {
                throw new IllegalArgumentException("meter '" + name + "' is registered with tags " + existing
                        + "; plugin '" + pluginId + "' asked for " + keys
                        + " (one name has one tag set: use io.caravan.api.metrics.DecoderMetrics)");
            }
        }
    }

    private static Set<String> keys(Tags tags) {
        Set<String> keys = new TreeSet<>();
        for (Tag t : tags) {
            keys.add(t.getKey());
        }
        return keys;
    }

    private static String[] pairs(String what, String[] keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException(what + ": tags must be key/value pairs");
        }
        return keyValues;
    }
}
