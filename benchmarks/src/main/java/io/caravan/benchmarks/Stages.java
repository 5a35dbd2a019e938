package io.caravan.benchmarks;

import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import io.caravan.api.stage.StageOptions;
import io.caravan.api.stage.StageProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Enumeration;
import java.util.Map;

/**
 * Builds stages by name from the plugins' META-INF/extensions.idx on the class path, exactly as
 * a route would get them, but without PF4J or Camel in the measured path.
 */
final class Stages {
    private Stages() {
    }

    /** A context whose counters and gauges cost what the cheapest real ones cost: nothing shared. */
    static final StageContext CONTEXT = new StageContext() {
        @Override
        public String stageName() {
            return "bench";
        }

        @Override
        public Clock clock() {
            return Clock.systemUTC();
        }

        @Override
        public io.caravan.api.metrics.Counter counter(String name, String... tagKeyValues) {
            java.util.concurrent.atomic.LongAdder adder = new java.util.concurrent.atomic.LongAdder();
            return adder::add;
        }

        @Override
        public void gauge(String name, java.util.function.DoubleSupplier value, String... tagKeyValues) {
        }

        @Override
        public String pluginId() {
            return "bench";
        }

        @Override
        public java.nio.file.Path dataDir() {
            return java.nio.file.Path.of("target", "bench-data");
        }

        @Override
        public org.slf4j.Logger logger(String name) {
            return org.slf4j.LoggerFactory.getLogger(name);
        }
    };

    @SuppressWarnings("unchecked")
    static <I, O> Stage<I, O> create(String name, Map<String, String> options) throws Exception {
        Enumeration<URL> indexes = Stages.class.getClassLoader().getResources("META-INF/extensions.idx");
        while (indexes.hasMoreElements()) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(indexes.nextElement().openStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    line = line.trim();
                    if (line.isEmpty() || line.startsWith("#")) {
                        continue;
                    }
                    Object ext = Class.forName(line).getDeclaredConstructor().newInstance();
                    if (ext instanceof StageProvider<?, ?> p && p.name().equals(name)) {
                        return (Stage<I, O>) p.create(StageOptions.bind(name, p.options(), options), CONTEXT);
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalArgumentException("no stage " + name + " on the class path");
    }
}
