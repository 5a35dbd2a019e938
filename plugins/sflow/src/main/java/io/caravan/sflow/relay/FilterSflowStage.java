package io.caravan.sflow.relay;

import io.caravan.api.decode.DecodeException;
import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.DatagramBatch;
import io.caravan.api.log.LogLimit;
import io.caravan.api.metrics.Counter;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * {@code stage:filter-sflow}: sFlow datagrams in, the same datagrams carrying only the samples to
 * forward out (see {@link SampleFilter}); for a relay in front of other sFlow collectors. A datagram
 * that is not well-formed sFlow v5 is counted, logged now and then, and not forwarded.
 */
final class FilterSflowStage implements Stage<DatagramBatch, DatagramBatch> {
    private final SampleFilter filter;
    private final Logger log;
    private final LogLimit logLimit = new LogLimit(LogLimit.DEFAULT_INTERVAL_MS);
    private final Counter passed;
    private final Counter emptied;
    private final Counter malformed;

    FilterSflowStage(SampleFilter filter, StageContext context) {
        this.filter = filter;
        this.log = context.logger("relay");
        this.passed = context.counter("caravan.sflow.relay.datagrams", "outcome", "forwarded");
        this.emptied = context.counter("caravan.sflow.relay.datagrams", "outcome", "no_samples_left");
        this.malformed = context.counter("caravan.sflow.relay.datagrams", "outcome", "malformed");
    }

    @Override
    public synchronized DatagramBatch apply(DatagramBatch in) {
        if (filter.passesAll()) {
            passed.increment(in.size());
            return in;
        }
        List<Datagram> out = new ArrayList<>(in.size());
        for (Datagram d : in.datagrams()) {
            try {
                byte[] kept = filter.apply(d.payload());
                if (kept == null) {
                    emptied.increment();
                } else {
                    out.add(new Datagram(kept, d.sender(), d.receivedMs()));
                    passed.increment();
                }
            } catch (DecodeException e) {
                malformed.increment();
                if (logLimit.allow()) {
                    log.warn("filter-sflow: a datagram from {} is not sFlow v5 and was not forwarded: {}", d.sender(),
                            e.getMessage());
                }
            }
        }
        return new DatagramBatch(out);
    }

    @Override
    public Map<String, Object> status() {
        return Map.of("agents", filter.sequences());
    }
}
