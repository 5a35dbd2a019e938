package io.caravan.skydive.transform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.api.metrics.Counter;
import io.caravan.skydive.topology.PeerContext;
import io.caravan.skydive.topology.TopologyResolver;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Security Advisor record, version {@value #VERSION}, fields in the exporter's order:
 * {@code UUID, LayersPath, Version, Status, FinishType, Network, Transport, Context,
 * LastUpdateMetric, Metric, Start, Last, UpdateCount, NodeType, [LogStatus], Extend}. Empty fields
 * are omitted except Start, Last and UpdateCount. {@code LogStatus} is left to the logstatus
 * mangle, which puts it before {@code Extend}.
 *
 * <p>Without a topology (no analyzer configured) Context, the A/B names, NodeType and Extend stay
 * empty. Not thread-safe: the stage calls it under its lock.
 */
final class SecadvisorTransform implements FlowTransform {
    static final String VERSION = "1.1.0";

    private final UpdateCounts updateCounts;
    private final boolean excludeStarted;
    private final TopologyResolver topology;
    private final ExtendTemplates extend;
    private final Counter excluded;

    /**
     * @param topology null when no analyzer is configured
     */
    SecadvisorTransform(UpdateCounts updateCounts, boolean excludeStarted, TopologyResolver topology,
                        ExtendTemplates extend, Counter excluded) {
        this.updateCounts = updateCounts;
        this.excludeStarted = excludeStarted;
        this.topology = topology;
        this.extend = extend;
        this.excluded = excluded;
    }

    @Override
    public ObjectNode transform(ObjectNode flow) {
        String uuid = FlowJson.text(flow, "UUID");
        if (uuid.isEmpty()) {
            throw new IllegalArgumentException("flow has no UUID");
        }
        FinishType finish = FinishType.of(FlowJson.number(flow, "FinishType"));
        long updateCount = updateCounts.sighting(uuid, finish);
        String status = finish != FinishType.NOT_FINISHED ? "ENDED" : updateCount == 0 ? "STARTED" : "UPDATED";
        if (excludeStarted && status.equals("STARTED")) {
            excluded.increment();
            return null;
        }
        String tid = FlowJson.text(flow, "NodeTID");
        ObjectNode network = FlowJson.object(flow, "Network");
        Optional<PeerContext> a = Optional.empty();
        Optional<PeerContext> b = Optional.empty();
        if (network != null && topology != null) {
            a = topology.peer(FlowJson.text(network, "A"), tid);
            b = topology.peer(FlowJson.text(network, "B"), tid);
        }

        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("UUID", uuid);
        FlowJson.putText(out, "LayersPath", FlowJson.text(flow, "LayersPath"));
        out.put("Version", VERSION);
        out.put("Status", status);
        FlowJson.putText(out, "FinishType", finish.secadvisorName());
        if (network != null) {
            ObjectNode n = out.putObject("Network");
            FlowJson.putText(n, "Protocol", FlowJson.text(network, "Protocol"));
            FlowJson.putText(n, "A", FlowJson.text(network, "A"));
            FlowJson.putText(n, "B", FlowJson.text(network, "B"));
            FlowJson.putText(n, "A_Name", a.map(PeerContext::legacyName).orElse(""));
            FlowJson.putText(n, "B_Name", b.map(PeerContext::legacyName).orElse(""));
        }
        ObjectNode transport = FlowJson.object(flow, "Transport");
        if (transport != null) {
            ObjectNode t = out.putObject("Transport");
            FlowJson.putText(t, "Protocol", FlowJson.text(transport, "Protocol"));
            t.put("A", Long.toString(FlowJson.number(transport, "A")));
            t.put("B", Long.toString(FlowJson.number(transport, "B")));
        }
        if (a.isPresent() || b.isPresent()) {
            ObjectNode c = out.putObject("Context");
            a.ifPresent(p -> c.set("A", p.toJson()));
            b.ifPresent(p -> c.set("B", p.toJson()));
        }
        copyObject(flow, out, "LastUpdateMetric");
        copyObject(flow, out, "Metric");
        out.put("Start", FlowJson.number(flow, "Start"));
        out.put("Last", FlowJson.number(flow, "Last"));
        out.put("UpdateCount", updateCount);
        if (topology != null) {
            FlowJson.putText(out, "NodeType", topology.nodeType(tid));
        }
        if (!extend.isEmpty()) {
            ObjectNode e = JsonNodeFactory.instance.objectNode();
            for (ExtendTemplates.Entry entry : extend.entries()) {
                String query = ExtendTemplates.render(entry.template(), out);
                e.put(entry.name(), topology == null ? "" : topology.firstString(query));
            }
            out.set("Extend", e);
        }
        return out;
    }

    private static void copyObject(JsonNode flow, ObjectNode out, String key) {
        JsonNode v = flow.path(key);
        if (v.isObject()) {
            out.set(key, v.deepCopy());
        }
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("trackedFlows", updateCounts.size());
        s.put("trackedFlowEvictions", updateCounts.evictions());
        if (topology != null) {
            s.put("topology", topology.status());
        }
        return s;
    }

    @Override
    public long evictions() {
        return updateCounts.evictions();
    }

    @Override
    public java.util.Optional<String> degraded() {
        return topology == null ? java.util.Optional.empty() : topology.degraded();
    }

    @Override
    public void clear() {
        updateCounts.clear();
        if (topology != null) {
            topology.clear();
        }
    }
}
