package io.caravan.server.stage;

import io.caravan.api.stage.StageContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The {@link StageContext} a stage gets: a clock and Micrometer counters tagged with the stage. */
final class MicrometerStageContext implements StageContext {
    private final String stageName;
    private final Clock clock;
    private final MeterRegistry registry;
    private final List<io.micrometer.core.instrument.Meter> created = new ArrayList<>();

    MicrometerStageContext(String stageName, Clock clock, MeterRegistry registry) {
        this.stageName = stageName;
        this.clock = clock;
        this.registry = registry;
    }

    @Override
    public String stageName() {
        return stageName;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public synchronized StageContext.Counter counter(String name, String... tagKeyValues) {
        if (tagKeyValues.length % 2 != 0) {
            throw new IllegalArgumentException("counter " + name + ": tags must be key/value pairs");
        }
        io.micrometer.core.instrument.Counter c = io.micrometer.core.instrument.Counter.builder(name).tag("stage", stageName).tags(tagKeyValues).register(registry);
        created.add(c);
        return c::increment;
    }

    @Override
    public synchronized void gauge(String name, java.util.function.DoubleSupplier value, String... tagKeyValues) {
        if (tagKeyValues.length % 2 != 0) {
            throw new IllegalArgumentException("gauge " + name + ": tags must be key/value pairs");
        }
        created.add(io.micrometer.core.instrument.Gauge.builder(name, value::getAsDouble).tag("stage", stageName)
                .tags(tagKeyValues).register(registry));
    }

    synchronized void removeMeters() {
        created.forEach(registry::remove);
        created.clear();
    }
}
