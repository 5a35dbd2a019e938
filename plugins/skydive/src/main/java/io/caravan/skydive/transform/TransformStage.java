package io.caravan.skydive.transform;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.log.LogLimit;
import io.caravan.api.metrics.Counter;
import io.caravan.api.stage.Stage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Applies one {@link FlowTransform} to every record of a batch: the output record goes into the
 * {@link SkydiveRecords#RECORD} attribute, and a flow the format drops leaves the batch. A record
 * whose {@code source()} is not a Skydive flow object, or that the format cannot read, is removed,
 * counted in {@code caravan.skydive.transform.bad} and logged now and then.
 *
 * <p>Thread safety: formats keep state (UpdateCount, caches), so {@link #apply} is synchronized;
 * the exporter also ran its transform under one lock. A route thread holds the lock for one batch.
 */
final class TransformStage implements Stage<FlowBatch, FlowBatch> {
    private final String format;
    private final FlowTransform transform;
    private final Counter bad;
    private final Counter evicted;
    private final Logger log;
    private final LogLimit logLimit = new LogLimit(LogLimit.DEFAULT_INTERVAL_MS);
    private long evictionsCounted;
    private long badCount;

    TransformStage(String format, FlowTransform transform, Counter bad, Counter evicted, Logger log) {
        this.format = format;
        this.transform = transform;
        this.bad = bad;
        this.evicted = evicted;
        this.log = log;
    }

    @Override
    public synchronized FlowBatch apply(FlowBatch batch) {
        List<FlowRecord> records = batch.records();
        int kept = 0;
        for (int i = 0, n = records.size(); i < n; i++) {
            FlowRecord r = records.get(i);
            ObjectNode out = transformOne(r);
            if (out != null) {
                r.attribute(SkydiveRecords.RECORD, out);
                records.set(kept++, r);
            }
        }
        records.subList(kept, records.size()).clear();
        long evictions = transform.evictions();
        if (evictions > evictionsCounted) {
            evicted.increment(evictions - evictionsCounted);
            evictionsCounted = evictions;
        }
        return batch;
    }

    private ObjectNode transformOne(FlowRecord r) {
        if (!(r.source() instanceof ObjectNode flow)) {
            badInput("record has no Skydive flow (source is "
                    + (r.source() == null ? "null" : r.source().getClass().getSimpleName()) + ")");
            return null;
        }
        try {
            return transform.transform(flow);
        } catch (RuntimeException e) {
            // IllegalArgumentException names what the format misses; anything else is a flow shape
            // nobody foresaw, and still costs only this flow.
            badInput((e instanceof IllegalArgumentException ? e.getMessage() : e.toString())
                    + " (flow " + abbreviate(flow.toString()) + ")");
            return null;
        }
    }

    private void badInput(String why) {
        badCount++;
        bad.increment();
        if (logLimit.allow()) {
            log.warn("{} transform dropped a flow it cannot read ({} so far): {}", format, badCount, why);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    @Override
    public synchronized Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("format", format);
        s.put("badFlows", badCount);
        s.putAll(transform.status());
        return s;
    }

    /** Not synchronized: the health check must not wait for a batch (formats read volatile state). */
    @Override
    public java.util.Optional<String> degraded() {
        return transform.degraded();
    }

    @Override
    public synchronized void close() {
        transform.clear();
    }
}
