package io.caravan.skydive.mangle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.api.metrics.Counter;
import io.caravan.api.stage.Stage;
import io.caravan.skydive.topology.ExpiringCache;
import io.caravan.skydive.transform.SkydiveRecords;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The exporter's {@code logstatus} mangle, per tag and on values:
 * <ol>
 *   <li>every record gets log status {@code OK};</li>
 *   <li>{@code NODATA}: for each interface (Link.ID) this tag saw in an earlier batch but not in this
 *       one, a synthetic record at now;</li>
 *   <li>{@code SKIPDATA}: for a flow seen before whose LastUpdateMetric differs from its Metric minus
 *       the Metric of its previous sighting (an update was lost), a synthetic record at now.</li>
 * </ol>
 * Works on secadvisor records ({@code LogStatus}, placed before {@code Extend}) and awsflowlogs
 * records ({@code log-status}, same columns, the others written as "-"). Records without a
 * transformed record pass unchanged and are counted.
 *
 * <p>State is per tag and bounded: interfaces are remembered {@code linkMemoryMs} after their last
 * sighting, flows {@code flowMemoryMs}, at most {@code maxFlows} per tag (evictions counted).
 * {@link #apply} is synchronized; a route thread holds the lock for one batch.
 */
final class LogStatusMangle implements Stage<FlowBatch, FlowBatch> {
    static final String OK = "OK";
    static final String NODATA = "NODATA";
    static final String SKIPDATA = "SKIPDATA";
    /** Tags beyond this share no state: classify yields four; more means a misrouted attribute. */
    static final int MAX_TAGS = 64;

    private final Clock clock;
    private final long linkMemoryMs;
    private final long flowMemoryMs;
    private final int maxFlows;
    private final Counter synthetic;
    private final Counter skipped;
    private final Counter evicted;
    private final Map<String, TagState> tags = new LinkedHashMap<>();
    private long evictionsCounted;

    private final class TagState {
        final ExpiringCache<Long, Boolean> links = new ExpiringCache<>(clock, 65_536, 60_000);
        final ExpiringCache<String, Metrics4> flows = new ExpiringCache<>(clock, maxFlows, 60_000);
    }

    LogStatusMangle(Clock clock, long linkMemoryMs, long flowMemoryMs, int maxFlows, Counter synthetic,
                    Counter skipped, Counter evicted) {
        this.clock = clock;
        this.linkMemoryMs = linkMemoryMs;
        this.flowMemoryMs = flowMemoryMs;
        this.maxFlows = maxFlows;
        this.synthetic = synthetic;
        this.skipped = skipped;
        this.evicted = evicted;
    }

    @Override
    public synchronized FlowBatch apply(FlowBatch batch) {
        long now = clock.millis();
        Map<String, List<FlowRecord>> byTag = new LinkedHashMap<>();
        for (FlowRecord r : batch.records()) {
            if (r.attribute(SkydiveRecords.RECORD) instanceof ObjectNode record && r.source() instanceof JsonNode) {
                setStatus(record, OK);
                Object tag = r.attribute(SkydiveRecords.TAG);
                byTag.computeIfAbsent(tag == null ? "" : tag.toString(), t -> new ArrayList<>()).add(r);
            } else {
                skipped.increment();
            }
        }
        List<FlowRecord> added = new ArrayList<>();
        byTag.forEach((tag, records) -> mangle(tag, records, now, added));
        batch.records().addAll(added);
        synthetic.increment(added.size());
        countEvictions();
        return batch;
    }

    private void mangle(String tag, List<FlowRecord> records, long now, List<FlowRecord> added) {
        TagState state = state(tag);
        if (state == null) {
            return;
        }
        ObjectNode template = (ObjectNode) records.get(0).attribute(SkydiveRecords.RECORD);

        Set<Long> present = new LinkedHashSet<>();
        for (FlowRecord r : records) {
            present.add(((JsonNode) r.source()).path("Link").path("ID").asLong(0));
        }
        for (Long link : state.links.snapshot().keySet()) {
            if (!present.contains(link)) {
                added.add(synthetic(tag, noData(template, link, now)));
            }
        }
        for (Long link : present) {
            state.links.put(link, Boolean.TRUE, linkMemoryMs);
        }

        for (FlowRecord r : records) {
            JsonNode flow = (JsonNode) r.source();
            String uuid = flow.path("UUID").asText("");
            if (uuid.isEmpty()) {
                continue;
            }
            Metrics4 metric = Metrics4.of(flow.path("Metric"));
            Metrics4 previous = state.flows.get(uuid);
            if (previous != null && !Metrics4.of(flow.path("LastUpdateMetric")).equals(metric.minus(previous))) {
                added.add(synthetic(tag, skipData((ObjectNode) r.attribute(SkydiveRecords.RECORD), flow, now)));
            }
            state.flows.put(uuid, metric, flowMemoryMs);
        }
    }

    private TagState state(String tag) {
        TagState s = tags.get(tag);
        if (s == null && tags.size() < MAX_TAGS) {
            s = new TagState();
            tags.put(tag, s);
        }
        return s;
    }

    private static FlowRecord synthetic(String tag, ObjectNode record) {
        return new FlowRecord().type(FlowType.SKYDIVE)
                .attribute(SkydiveRecords.TAG, tag.isEmpty() ? null : tag)
                .attribute(SkydiveRecords.RECORD, record);
    }

    private static boolean aws(ObjectNode record) {
        return record.has("log-status");
    }

    /** Sets the status in place: {@code log-status} keeps its column, {@code LogStatus} goes before {@code Extend}. */
    static void setStatus(ObjectNode record, String status) {
        if (aws(record)) {
            record.put("log-status", status);
            return;
        }
        JsonNode extend = record.remove("Extend");
        record.put("LogStatus", status);
        if (extend != null) {
            record.set("Extend", extend);
        }
    }

    private static ObjectNode noData(ObjectNode template, long link, long now) {
        if (aws(template)) {
            return awsSynthetic(template, link, "", "", now, NODATA);
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("Start", now);
        o.put("Last", now);
        o.put("UpdateCount", 0);
        o.put("LogStatus", NODATA);
        return o;
    }

    private static ObjectNode skipData(ObjectNode record, JsonNode flow, long now) {
        if (aws(record)) {
            return awsSynthetic(record, flow.path("Link").path("ID").asLong(0),
                    record.path("srcaddr").asText(""), record.path("dstaddr").asText(""), now, SKIPDATA);
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("UUID", flow.path("UUID").asText(""));
        if (record.has("Network")) {
            o.set("Network", record.get("Network").deepCopy());
        }
        o.put("Start", now);
        o.put("Last", now);
        o.put("UpdateCount", 0);
        o.put("LogStatus", SKIPDATA);
        return o;
    }

    /** The AWS columns of {@code template}, "-" where a synthetic record has no value. */
    private static ObjectNode awsSynthetic(ObjectNode template, long link, String src, String dst, long now,
                                           String status) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        Iterator<String> names = template.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            switch (name) {
                case "version", "account-id" -> o.set(name, template.get(name).deepCopy());
                case "interface-id" -> o.put(name, Long.toString(link));
                case "srcaddr" -> o.put(name, src.isEmpty() ? "-" : src);
                case "dstaddr" -> o.put(name, dst.isEmpty() ? "-" : dst);
                case "start", "end" -> o.put(name, now / 1000);
                case "log-status" -> o.put(name, status);
                default -> o.put(name, "-");
            }
        }
        return o;
    }

    private void countEvictions() {
        long total = 0;
        for (TagState s : tags.values()) {
            total += s.flows.evictions() + s.links.evictions();
        }
        if (total > evictionsCounted) {
            evicted.increment(total - evictionsCounted);
            evictionsCounted = total;
        }
    }

    @Override
    public synchronized Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        tags.forEach((tag, st) -> s.put(tag.isEmpty() ? "(untagged)" : tag,
                Map.of("interfaces", st.links.size(), "flows", st.flows.size())));
        return Map.of("type", "logstatus", "tags", s);
    }

    @Override
    public synchronized void close() {
        tags.clear();
    }
}
