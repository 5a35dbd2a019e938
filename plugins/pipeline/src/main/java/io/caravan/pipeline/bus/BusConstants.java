package io.caravan.pipeline.bus;

/** Names shared by the bus component's classes. */
final class BusConstants {
    static final String SCHEME = "bus";
    /** Meter names; every one is tagged {topic, subscriber}. */
    static final String RECORDS_IN = "caravan.bus.records_in";
    static final String RECORDS_OUT = "caravan.bus.records_out";
    static final String BYTES_OUT = "caravan.bus.bytes_out";
    static final String OVERFLOW = "caravan.bus.overflow";
    static final String ERRORS = "caravan.bus.errors";
    static final String RETRIES = "caravan.bus.retries";
    static final String DEPTH = "caravan.bus.depth";
    static final String OLDEST_QUEUED_SECONDS = "caravan.bus.oldest_queued_seconds";
    static final String SPOOLED = "caravan.bus.spooled";
    static final String SPOOL_RECORDS = "caravan.bus.spool_records";
    static final String SPOOL_BYTES = "caravan.bus.spool_bytes";
    /**
     * A header a subscriber route may set to the bytes it delivered for the batch (a Long), when its
     * body at the end is not the delivered {@code byte[]} (a Kafka or SQL sink's result).
     */
    static final String BYTES_OUT_HEADER = "CaravanBusBytesOut";

    private BusConstants() {
    }
}
