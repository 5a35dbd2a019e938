package io.caravan.skydive.mangle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.api.log.LogLimit;
import io.caravan.api.metrics.Counter;
import io.caravan.api.stage.Stage;
import io.caravan.skydive.transform.SkydiveRecords;
import io.caravan.skydive.transform.VpcLogsRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The vpclogs {@code action} mangle: decides Accept or Reject for each connection by comparing
 * what two capture points on either side of a firewall ({@code tid1}, {@code tid2}) saw of it,
 * matched by {@code L3TrackingID}:
 * <ul>
 *   <li>seen at both: {@code A}, reporting the lesser of the two cumulative counters (only what
 *       certainly passed), with the window counters the difference from the last report; nothing
 *       is reported while the lesser counters do not move;</li>
 *   <li>seen at one only for longer than {@code rejectTimeoutMs}, or the two sightings drifting
 *       further apart than that with nothing new passing: {@code R}, and the connection is
 *       forgotten.</li>
 * </ul>
 * Output replaces the input: the batch holds only the decided records (new FlowRecords; the
 * input's are not kept, since later stages may still hold them). Records of other capture points,
 * and records without a vpclogs record, are dropped, counted and logged now and then. Times come from the injected clock.
 *
 * <p>State per (tag, L3TrackingID), bounded by {@code maxConnections} (oldest dropped, counted) and
 * by {@code idleMs} without a sighting. {@link #apply} is synchronized.
 */
final class ActionMangle implements Stage<FlowBatch, FlowBatch> {
    private final String tid1;
    private final String tid2;
    private final long rejectTimeoutMs;
    private final long idleMs;
    private final int maxConnections;
    private final Clock clock;
    private final Counter foreign;
    private final Counter untransformed;
    private final Counter evicted;
    private final Logger log;
    private final LogLimit logLimit = new LogLimit(LogLimit.DEFAULT_INTERVAL_MS);
    private final LinkedHashMap<String, Connection> connections = new LinkedHashMap<>();
    private long accepted;
    private long rejected;

    /** One side's latest sighting. */
    private record Sighting(FlowRecord record, JsonNode flow, ObjectNode vpc) {
        long lastUpdate() {
            return flow.path("LastUpdateMetric").path("Last").asLong(0);
        }
    }

    private static final class Connection {
        final String tag;
        final long firstSeenMs;
        Sighting side1;
        Sighting side2;
        long lastSightingMs;
        Combined reported;

        Connection(String tag, long now) {
            this.tag = tag;
            this.firstSeenMs = now;
            this.lastSightingMs = now;
        }

        Sighting any() {
            return side1 != null ? side1 : side2;
        }
    }

    /** The lesser of the two sides' cumulative metrics. */
    private record Combined(Metrics4 counters, long start, long last) {
    }

    ActionMangle(String tid1, String tid2, long rejectTimeoutMs, long idleMs, int maxConnections, Clock clock,
                 Counter foreign, Counter untransformed, Counter evicted, Logger log) {
        this.tid1 = tid1;
        this.tid2 = tid2;
        this.rejectTimeoutMs = rejectTimeoutMs;
        this.idleMs = idleMs;
        this.maxConnections = maxConnections;
        this.clock = clock;
        this.foreign = foreign;
        this.untransformed = untransformed;
        this.evicted = evicted;
        this.log = log;
    }

    @Override
    public synchronized FlowBatch apply(FlowBatch batch) {
        long now = clock.millis();
        for (FlowRecord r : batch.records()) {
            collect(r, now);
        }
        batch.records().clear();
        Iterator<Connection> it = connections.values().iterator();
        while (it.hasNext()) {
            Connection c = it.next();
            ObjectNode decided = decide(c, now);
            if (decided != null) {
                batch.records().add(output(c, decided));
            }
            if (c.reported == REJECTED || now - c.lastSightingMs > idleMs || bothTerminated(c)) {
                it.remove();
            }
        }
        return batch;
    }

    /** Marks a connection decided as rejected (then forgotten). */
    private static final Combined REJECTED = new Combined(new Metrics4(0, 0, 0, 0), 0, 0);

    private void collect(FlowRecord r, long now) {
        if (!(r.source() instanceof JsonNode flow) || !(r.attribute(SkydiveRecords.RECORD) instanceof ObjectNode vpc)) {
            untransformed.increment();
            if (logLimit.allow()) {
                log.warn("action mangle: a record without a vpclogs record (run skydive-transform?format=vpclogs first); dropped");
            }
            return;
        }
        String tid = flow.path("NodeTID").asText("");
        boolean first = tid.equals(tid1);
        if (!first && !tid.equals(tid2)) {
            foreign.increment();
            if (logLimit.allow()) {
                log.warn("action mangle: flow captured at {} is neither tid1 {} nor tid2 {}; dropped", tid, tid1, tid2);
            }
            return;
        }
        Object tagValue = r.attribute(SkydiveRecords.TAG);
        String tag = tagValue == null ? "" : tagValue.toString();
        String key = tag + "|" + flow.path("L3TrackingID").asText("");
        Connection c = connections.get(key);
        if (c == null) {
            c = new Connection(tag, now);
            connections.put(key, c);
            if (connections.size() > maxConnections) {
                Iterator<String> eldest = connections.keySet().iterator();
                eldest.next();
                eldest.remove();
                evicted.increment();
            }
        }
        Sighting s = new Sighting(r, flow, vpc);
        Sighting old = first ? c.side1 : c.side2;
        if (old == null || s.lastUpdate() >= old.lastUpdate()) {
            if (first) {
                c.side1 = s;
            } else {
                c.side2 = s;
            }
        }
        c.lastSightingMs = now;
    }

    private ObjectNode decide(Connection c, long now) {
        if (c.side1 == null || c.side2 == null) {
            if (now - c.firstSeenMs > rejectTimeoutMs) {
                Sighting s = c.any();
                c.reported = REJECTED;
                rejected++;
                return rebuild(s, VpcLogsRecord.REJECT, s.flow.path("LastUpdateMetric"), s.flow.path("Metric"));
            }
            return null;
        }
        Metrics4 m1 = Metrics4.of(c.side1.flow.path("Metric"));
        Metrics4 m2 = Metrics4.of(c.side2.flow.path("Metric"));
        long last1 = c.side1.flow.path("Metric").path("Last").asLong(0);
        long last2 = c.side2.flow.path("Metric").path("Last").asLong(0);
        Metrics4 lesser = new Metrics4(Math.min(m1.abPackets(), m2.abPackets()), Math.min(m1.abBytes(), m2.abBytes()),
                Math.min(m1.baPackets(), m2.baPackets()), Math.min(m1.baBytes(), m2.baBytes()));
        long start = c.side1.flow.path("Metric").path("Start").asLong(0);
        long last = bothTerminated(c) ? Math.max(last1, last2) : Math.min(last1, last2);
        Combined now2 = new Combined(lesser, start, last);
        if (c.reported != null && c.reported.counters.equals(lesser)) {
            if (Math.abs(c.side1.lastUpdate() - c.side2.lastUpdate()) > rejectTimeoutMs) {
                Combined before = c.reported;
                c.reported = REJECTED;
                rejected++;
                return rebuild(c.side1, VpcLogsRecord.REJECT, metric(new Metrics4(0, 0, 0, 0), before.start, before.last),
                        metric(before.counters, before.start, before.last));
            }
            return null;
        }
        JsonNode window;
        if (c.reported == null) {
            Metrics4 l1 = Metrics4.of(c.side1.flow.path("LastUpdateMetric"));
            Metrics4 l2 = Metrics4.of(c.side2.flow.path("LastUpdateMetric"));
            window = metric(new Metrics4(Math.min(l1.abPackets(), l2.abPackets()), Math.min(l1.abBytes(), l2.abBytes()),
                    Math.min(l1.baPackets(), l2.baPackets()), Math.min(l1.baBytes(), l2.baBytes())), start, last);
        } else {
            window = metric(lesser.minus(c.reported.counters), c.reported.last, last);
        }
        c.reported = now2;
        accepted++;
        return rebuild(c.side1, VpcLogsRecord.ACCEPT, window, metric(lesser, start, last));
    }

    private static boolean bothTerminated(Connection c) {
        return c.side1 != null && c.side2 != null && c.side1.vpc.path("was_terminated").asBoolean(false)
                && c.side2.vpc.path("was_terminated").asBoolean(false);
    }

    private static ObjectNode metric(Metrics4 m, long start, long last) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("ABPackets", m.abPackets());
        o.put("ABBytes", m.abBytes());
        o.put("BAPackets", m.baPackets());
        o.put("BABytes", m.baBytes());
        o.put("Start", start);
        o.put("Last", last);
        return o;
    }

    private static ObjectNode rebuild(Sighting s, String action, JsonNode window, JsonNode cumulative) {
        return VpcLogsRecord.build(s.flow, s.vpc.path("direction").asText(""), action,
                s.vpc.path("was_initiated").asBoolean(false), s.vpc.path("was_terminated").asBoolean(false),
                window, cumulative);
    }

    private static FlowRecord output(Connection c, ObjectNode decided) {
        FlowRecord from = c.any().record;
        return new FlowRecord().type(FlowType.SKYDIVE).source(c.any().flow)
                .srcAddr(from.srcAddr()).dstAddr(from.dstAddr()).srcPort(from.srcPort()).dstPort(from.dstPort())
                .proto(from.proto()).etype(from.etype())
                .attribute(SkydiveRecords.TAG, c.tag.isEmpty() ? null : c.tag)
                .attribute(SkydiveRecords.RECORD, decided);
    }

    @Override
    public synchronized Map<String, Object> status() {
        return Map.of("type", "action", "tid1", tid1, "tid2", tid2, "connections", connections.size(),
                "accepted", accepted, "rejected", rejected);
    }

    @Override
    public synchronized void close() {
        connections.clear();
    }

    /** For tests: connections held. */
    synchronized List<String> connectionKeys() {
        return new ArrayList<>(connections.keySet());
    }
}
