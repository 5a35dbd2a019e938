package io.caravan.api.plugin;

import io.caravan.api.metrics.Counter;
import io.caravan.api.metrics.Meters;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;

/**
 * What the runtime hands every contribution of a plugin (stages through {@code StageContext},
 * components through {@link ComponentProvider#create}, beans through {@link BeanProvider#beans}):
 * meters, a clock, a data directory and named loggers. Plugins never reach into Camel's registry
 * or the JVM for these, so they run the same in the server and in a plain unit test.
 *
 * <p>Meters created here are removed when the contribution closes or its plugin unloads.
 */
public interface PluginContext extends Meters {

    /** The id of the plugin this contribution comes from ({@code Plugin-Id}). */
    String pluginId();

    /** The clock to read time from (injected so tests can control it). */
    Clock clock();

    /**
     * A directory this plugin may keep state in across restarts ({@code <caravan.data.dir>/<plugin id>}),
     * created on first call.
     */
    Path dataDir();

    /**
     * A logger named {@code caravan.<plugin id>.<name>}, so operators set one plugin's levels in
     * logback.xml without knowing its packages.
     */
    Logger logger(String name);

    @Override
    Counter counter(String name, String... tagKeyValues);

    @Override
    void gauge(String name, DoubleSupplier value, String... tagKeyValues);
}
