package io.caravan.skydive.transform;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.api.metrics.Counter;
import io.caravan.skydive.topology.TopologyResolver;
import java.util.List;
import java.util.Map;

/**
 * The IBM VPC flow log record ({@link VpcLogsRecord}) of one flow, action not yet decided (the
 * action mangle decides it). Flows without a Transport layer (ARP, ICMP) are dropped as in the
 * exporter, and counted. The direction is outbound when the initiator is one of the capture
 * interface's IPv4 addresses, inbound when the target is, else empty (also without a topology).
 * Not thread-safe: the stage calls it under its lock.
 */
final class VpcLogsTransform implements FlowTransform {
    private final TopologyResolver topology;
    private final Counter noTransport;

    /** @param topology null when no analyzer is configured */
    VpcLogsTransform(TopologyResolver topology, Counter noTransport) {
        this.topology = topology;
        this.noTransport = noTransport;
    }

    @Override
    public ObjectNode transform(ObjectNode flow) {
        if (!flow.path("Transport").isObject()) {
            noTransport.increment();
            return null;
        }
        return VpcLogsRecord.build(flow, direction(flow), "", VpcLogsRecord.wasInitiated(flow),
                VpcLogsRecord.wasTerminated(flow), flow.path("LastUpdateMetric"), flow.path("Metric"));
    }

    private String direction(ObjectNode flow) {
        if (topology == null) {
            return "";
        }
        List<String> mine = topology.interfaceAddresses(FlowJson.text(flow, "NodeTID"));
        String a = FlowJson.text(flow, "Network", "A");
        String b = FlowJson.text(flow, "Network", "B");
        for (String ip : mine) {
            if (ip.equals(a)) {
                return "outbound";
            }
            if (ip.equals(b)) {
                return "inbound";
            }
        }
        return "";
    }

    @Override
    public Map<String, Object> status() {
        return topology == null ? Map.of() : Map.of("topology", topology.status());
    }

    @Override
    public java.util.Optional<String> degraded() {
        return topology == null ? java.util.Optional.empty() : topology.degraded();
    }

    @Override
    public void clear() {
        if (topology != null) {
            topology.clear();
        }
    }
}
