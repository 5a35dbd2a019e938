package io.caravan.benchmarks;

import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.DatagramBatch;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageException;
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

    /**
     * A decoder stage fed one datagram at a time: as a batch of one when it takes {@link DatagramBatch} (as the
     * runtime hands it a single datagram), else the datagram itself. Build inputs with {@link #input} outside the
     * measured code, so only the stage is measured.
     */
    record Decoder(Stage<Object, FlowBatch> stage, boolean batches) {
        Object input(Datagram d) {
            return batches ? DatagramBatch.of(d) : d;
        }

        FlowBatch apply(Object input) throws StageException {
            return stage.apply(input);
        }

        FlowBatch decode(Datagram d) throws StageException {
            return apply(input(d));
        }
    }

    static Decoder decoder(String name) throws Exception {
        StageProvider<?, ?> p = provider(name);
        return new Decoder(create(p, Map.of()), p.inputType() == DatagramBatch.class);
    }

    static <I, O> Stage<I, O> create(String name, Map<String, String> options) throws Exception {
        return create(provider(name), options);
    }

    @SuppressWarnings("unchecked")
    private static <I, O> Stage<I, O> create(StageProvider<?, ?> p, Map<String, String> options) throws Exception {
        return (Stage<I, O>) p.create(StageOptions.bind(p.name(), p.options(), options), CONTEXT);
    }

    private static StageProvider<?, ?> provider(String name) throws Exception {
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
                        return p;
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalArgumentException("no stage " + name + " on the class path");
    }
}
