package io.caravan.skydive.source;

import io.caravan.api.metrics.Counter;
import io.caravan.api.metrics.Meters;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one analyzer ({@code host:port}) has counted for as long as the component exists, so the
 * counts carry on across reconnects and route restarts: read by the endpoint's status, exported
 * as the {@code caravan.skydive.*} meters (tag {@code analyzer}). Thread-safe.
 */
final class SkydiveCounts {
    private final LongAdder messages = new LongAdder();
    private final LongAdder flows = new LongAdder();
    private final LongAdder ignored = new LongAdder();
    private final LongAdder envelopeErrors = new LongAdder();
    private final LongAdder flowErrors = new LongAdder();
    private final LongAdder oversize = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final LongAdder processErrors = new LongAdder();
    private final AtomicInteger connected = new AtomicInteger();
    private final Counter messagesMeter;
    private final Counter flowsMeter;
    private final Counter ignoredMeter;
    private final Counter envelopeMeter;
    private final Counter flowErrorMeter;
    private final Counter oversizeMeter;
    private final Counter reconnectsMeter;
    private final Counter processErrorsMeter;

    SkydiveCounts(Meters meters, String analyzer) {
        String a = SkydiveConstants.TAG_ANALYZER;
        String r = SkydiveConstants.TAG_REASON;
        messagesMeter = meters.counter(SkydiveConstants.METER_MESSAGES, a, analyzer);
        flowsMeter = meters.counter(SkydiveConstants.METER_FLOWS, a, analyzer);
        ignoredMeter = meters.counter(SkydiveConstants.METER_IGNORED, a, analyzer);
        envelopeMeter = meters.counter(SkydiveConstants.METER_DECODE_ERRORS, a, analyzer, r,
                SkydiveConstants.REASON_ENVELOPE);
        flowErrorMeter = meters.counter(SkydiveConstants.METER_DECODE_ERRORS, a, analyzer, r,
                SkydiveConstants.REASON_FLOW);
        oversizeMeter = meters.counter(SkydiveConstants.METER_DECODE_ERRORS, a, analyzer, r,
                SkydiveConstants.REASON_OVERSIZE);
        reconnectsMeter = meters.counter(SkydiveConstants.METER_RECONNECTS, a, analyzer);
        processErrorsMeter = meters.counter(SkydiveConstants.METER_PROCESS_ERRORS, a, analyzer);
        meters.gauge(SkydiveConstants.METER_CONNECTED, connected::get, a, analyzer);
    }

    void message() {
        messages.increment();
        messagesMeter.increment();
    }

    void flows(int n) {
        flows.add(n);
        flowsMeter.increment(n);
    }

    void countIgnored() {
        ignored.increment();
        ignoredMeter.increment();
    }

    void envelopeError() {
        envelopeErrors.increment();
        envelopeMeter.increment();
    }

    void flowError() {
        flowErrors.increment();
        flowErrorMeter.increment();
    }

    void countOversize() {
        oversize.increment();
        oversizeMeter.increment();
    }

    void reconnect() {
        reconnects.increment();
        reconnectsMeter.increment();
    }

    void processError() {
        processErrors.increment();
        processErrorsMeter.increment();
    }

    void opened() {
        connected.incrementAndGet();
    }

    void closed() {
        connected.decrementAndGet();
    }

    long messages() {
        return messages.sum();
    }

    long flows() {
        return flows.sum();
    }

    long ignored() {
        return ignored.sum();
    }

    long envelopeErrors() {
        return envelopeErrors.sum();
    }

    long flowErrors() {
        return flowErrors.sum();
    }

    long oversize() {
        return oversize.sum();
    }

    long reconnects() {
        return reconnects.sum();
    }

    long processErrors() {
        return processErrors.sum();
    }

    int connected() {
        return connected.get();
    }
}
