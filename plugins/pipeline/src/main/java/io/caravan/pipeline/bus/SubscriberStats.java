package io.caravan.pipeline.bus;

import io.caravan.api.metrics.Counter;
import io.caravan.api.metrics.Meters;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The accounting of one (topic, subscriber) pair, kept by the component for its whole life so the
 * meters are registered once and keep counting across restarts of the subscriber's route. The
 * gauges read whichever {@link Subscription} is current (none while the route is stopped: 0).
 */
final class SubscriberStats {
    private final String topic;
    private final String subscriber;
    private final Counter recordsInMeter;
    private final Counter recordsOutMeter;
    private final Counter bytesOutMeter;
    private final Counter overflowMeter;
    private final Counter errorsMeter;
    private final Counter retriesMeter;
    private final Counter spooledMeter;
    private final LongAdder recordsIn = new LongAdder();
    private final LongAdder recordsOut = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder overflow = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder spooled = new LongAdder();
    private volatile Subscription current;

    SubscriberStats(String topic, String subscriber, Meters meters) {
        this.topic = topic;
        this.subscriber = subscriber;
        String[] tags = {"topic", topic, "subscriber", subscriber};
        recordsInMeter = meters.counter(BusConstants.RECORDS_IN, tags);
        recordsOutMeter = meters.counter(BusConstants.RECORDS_OUT, tags);
        bytesOutMeter = meters.counter(BusConstants.BYTES_OUT, tags);
        overflowMeter = meters.counter(BusConstants.OVERFLOW, tags);
        errorsMeter = meters.counter(BusConstants.ERRORS, tags);
        retriesMeter = meters.counter(BusConstants.RETRIES, tags);
        spooledMeter = meters.counter(BusConstants.SPOOLED, tags);
        meters.gauge(BusConstants.DEPTH, () -> {
            Subscription s = current;
            return s == null ? 0 : s.depth();
        }, tags);
        meters.gauge(BusConstants.OLDEST_QUEUED_SECONDS, () -> {
            Subscription s = current;
            return s == null ? 0 : s.oldestQueuedSeconds();
        }, tags);
        meters.gauge(BusConstants.SPOOL_RECORDS, () -> {
            Subscription s = current;
            return s == null ? 0 : s.spoolRecords();
        }, tags);
        meters.gauge(BusConstants.SPOOL_BYTES, () -> {
            Subscription s = current;
            return s == null ? 0 : s.spoolBytes();
        }, tags);
    }

    void attach(Subscription s) {
        current = s;
    }

    void detach(Subscription s) {
        if (current == s) {
            current = null;
        }
    }

    void accepted(int records) {
        recordsIn.add(records);
        recordsInMeter.increment(records);
    }

    void overflowed(int records) {
        overflow.add(records);
        overflowMeter.increment(records);
    }

    /** Records accepted onto the spool rather than the queue (also counted as accepted). */
    void spooled(int records) {
        spooled.add(records);
        spooledMeter.increment(records);
    }

    void delivered(int records, long bytes) {
        recordsOut.add(records);
        recordsOutMeter.increment(records);
        if (bytes > 0) {
            bytesOut.add(bytes);
            bytesOutMeter.increment(bytes);
        }
    }

    void failed() {
        errors.increment();
        errorsMeter.increment();
    }

    void retried(int redeliveries) {
        if (redeliveries > 0) {
            retries.add(redeliveries);
            retriesMeter.increment(redeliveries);
        }
    }

    long recordsIn() {
        return recordsIn.sum();
    }

    long recordsOut() {
        return recordsOut.sum();
    }

    long bytesOut() {
        return bytesOut.sum();
    }

    long overflow() {
        return overflow.sum();
    }

    long spooled() {
        return spooled.sum();
    }

    long errors() {
        return errors.sum();
    }

    long retries() {
        return retries.sum();
    }

    /** The admin row: names, settings of the current queue, its depth and age, and the totals. */
    Map<String, Object> status() {
        Subscription s = current;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("topic", topic);
        m.put("subscriber", subscriber);
        m.put("running", s != null);
        if (s != null) {
            m.put("capacity", s.capacity());
            m.put("overflowPolicy", s.overflowPolicy().name().toLowerCase(java.util.Locale.ROOT));
        }
        m.put("depth", s == null ? 0 : s.depth());
        m.put("oldestQueuedSeconds", s == null ? 0.0 : s.oldestQueuedSeconds());
        if (s != null && s.spools()) {
            m.put("spoolRecords", s.spoolRecords());
            m.put("spoolBytes", s.spoolBytes());
        }
        m.put("spooled", spooled());
        m.put("recordsIn", recordsIn());
        m.put("recordsOut", recordsOut());
        m.put("bytesOut", bytesOut());
        m.put("overflow", overflow());
        m.put("errors", errors());
        m.put("retries", retries());
        return m;
    }
}
