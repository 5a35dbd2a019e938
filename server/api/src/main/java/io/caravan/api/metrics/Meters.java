package io.caravan.api.metrics;

import java.util.function.DoubleSupplier;

/**
 * Where a plugin's contributions create their meters. Names are dotted and start with
 * {@code caravan.}: {@code caravan.decoder.datagrams} is exported to Prometheus as
 * {@code caravan_decoder_datagrams_total} (counters get {@code _total}, gauges nothing).
 *
 * <p>One name always has one set of tag keys across the whole server (Prometheus drops a second
 * shape of the same name): the runtime refuses a registration whose tag keys differ from the
 * name's first registration with an {@link IllegalArgumentException}. Names shared between plugins
 * are declared once in this package ({@link DecoderMetrics}); use those constants.
 *
 * <p>Meters are removed when what created them closes (the stage, the component, the plugin).
 */
public interface Meters {

    /** A monotonic counter named {@code name} with the given tag key/value pairs (even count). */
    Counter counter(String name, String... tagKeyValues);

    /** A gauge named {@code name} reading {@code value} at each scrape, with the given tag key/value pairs. */
    void gauge(String name, DoubleSupplier value, String... tagKeyValues);

    /**
     * A histogram named {@code name} with the given upper bucket bounds (ascending; {@code +Inf} is
     * implied) and tag key/value pairs. Contexts that keep no meters record nowhere.
     */
    default Histogram histogram(String name, double[] buckets, String... tagKeyValues) {
        return Histogram.NONE;
    }

    /** Meters that count nowhere, for tests and offline tools. */
    Meters NONE = new Meters() {
        @Override
        public Counter counter(String name, String... tagKeyValues) {
            return Counter.NONE;
        }

        @Override
        public void gauge(String name, DoubleSupplier value, String... tagKeyValues) {
        }
    };
}
