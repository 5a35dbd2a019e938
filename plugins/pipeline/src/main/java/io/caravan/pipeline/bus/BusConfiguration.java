package io.caravan.pipeline.bus;

import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.StageOptions;
import java.util.List;
import java.util.Map;

/**
 * The settings of one {@code bus:<topic>?options} endpoint: the topic from the URI's path, the
 * options bound against {@link #OPTIONS}. A producer ({@code to: bus:<topic>}) takes no options; a
 * consumer ({@code from: bus:<topic>?subscriber=<name>}) needs {@code subscriber}, checked when the
 * consumer is created since Camel resolves the endpoint before it knows which side it is.
 *
 * @param topic          the topic name
 * @param subscriber     the subscriber's name, unique per topic, or empty (a producer)
 * @param capacity       how many records the subscriber's queue holds
 * @param overflow       what a full queue does with a new batch
 * @param offerTimeoutMs how long {@code overflow=block} waits for room before it drops
 * @param spoolBytes     disk for batches that find the queue full, and for what a stop leaves queued; 0 = none
 */
public record BusConfiguration(String topic, String subscriber, int capacity, Overflow overflow, long offerTimeoutMs,
                               long spoolBytes) {

    /** What a full subscriber queue does with a new batch. */
    public enum Overflow {
        /** Drop the new batch and count its records: the producer never waits. */
        DROP,
        /** Wait up to offerTimeoutMs for room, then drop and count. */
        BLOCK
    }

    static final OptionSpec SUBSCRIBER = OptionSpec.string("subscriber", "", "Consumer only, required: the"
            + " subscriber's name, unique per topic (letters, digits, '.', '_', '-'); it names the queue, its meters, its"
            + " admin row and its spool directory.");
    static final OptionSpec CAPACITY = OptionSpec.integer("capacity", 10_000, "Consumer: records (not batches) the"
            + " subscriber's queue holds; a batch that does not fit overflows (one larger than this is taken only into"
            + " an empty queue).").min(1).max(10_000_000);
    static final OptionSpec OVERFLOW = OptionSpec.choice("overflow", Overflow.class, Overflow.DROP, "Consumer: when"
            + " the queue is full, drop drops the new batch at once; block makes the producer wait up to"
            + " offerTimeoutMs, then drops. Dropped records are counted (caravan.bus.overflow).");
    static final OptionSpec OFFER_TIMEOUT_MS = OptionSpec.longInteger("offerTimeoutMs", 100, "Consumer, with"
            + " overflow=block: the longest the producer (the collector's thread) waits for room.").min(0L).max(60_000L);
    static final OptionSpec SPOOL_BYTES = OptionSpec.size("spoolBytes", "0", "Consumer: disk (under the pipeline"
            + " plugin's data directory, spool/<topic>/<subscriber>) for batches that find the queue full, read back"
            + " in order once the route catches up, and for what a stop leaves queued, read back at the next start;"
            + " past it, overflow applies. 0 keeps the subscriber in memory only.");
    /** A topic or subscriber name: both name a directory of the spool, so a plain name, never "." or "..". */
    private static final String NAME = "[A-Za-z0-9_][A-Za-z0-9._-]*";
    /** Every option of the endpoint, in the order the docs list them. */
    static final List<OptionSpec> OPTIONS = List.of(SUBSCRIBER, CAPACITY, OVERFLOW, OFFER_TIMEOUT_MS, SPOOL_BYTES);

    /**
     * The endpoint's settings from the URI's path and parameters.
     *
     * @throws IllegalArgumentException when the topic is missing or not a plain name
     * @throws OptionException          naming the component and the option that is unknown, ill-typed or out of range
     */
    static BusConfiguration of(String remaining, Map<String, ?> parameters) throws OptionException {
        if (remaining == null || !remaining.matches(NAME)) {
            throw new IllegalArgumentException(BusConstants.SCHEME + ": needs a topic of letters, digits, '.', '_' or"
                    + " '-', not starting with '.' or '-', as " + BusConstants.SCHEME + ":<topic>; got '" + remaining
                    + "'");
        }
        StageOptions o = StageOptions.bindComponent(BusConstants.SCHEME, OPTIONS, parameters);
        String subscriber = o.getString(SUBSCRIBER.name());
        if (!subscriber.isEmpty() && !subscriber.matches(NAME)) {
            throw new IllegalArgumentException(BusConstants.SCHEME + ":" + remaining + ": subscriber needs letters,"
                    + " digits, '.', '_' or '-', not starting with '.' or '-'; got '" + subscriber + "'");
        }
        return new BusConfiguration(remaining, subscriber, o.getInt(CAPACITY.name()),
                o.getEnum(OVERFLOW.name(), Overflow.class), o.getLong(OFFER_TIMEOUT_MS.name()),
                o.getSize(SPOOL_BYTES.name()));
    }
}
