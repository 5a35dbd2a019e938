package io.caravan.skydive.transform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One IBM VPC flow log record, built from a flow's addresses and the two metrics it reports (the
 * flow's own, or those the action mangle combined from two capture points). Field order and
 * omission follow the exporter: {@code start_time, end_time, connection_start_time, direction,
 * action, initiator_ip, target_ip, initiator_port, target_port, transport_protocol, ether_type,
 * was_initiated, was_terminated}, then the cumulative and the window counters; zero or empty
 * values are omitted except the two booleans.
 */
public final class VpcLogsRecord {
    public static final String ACCEPT = "A";
    public static final String REJECT = "R";

    private VpcLogsRecord() {
    }

    /**
     * @param flow             the Skydive flow (addresses, ports, protocols)
     * @param direction        inbound, outbound or ""
     * @param action           A, R or "" (not decided)
     * @param lastUpdateMetric the window's counters and times
     * @param metric           the connection's cumulative counters and start
     */
    public static ObjectNode build(JsonNode flow, String direction, String action, boolean wasInitiated,
                                   boolean wasTerminated, JsonNode lastUpdateMetric, JsonNode metric) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("start_time", rfc3339(lastUpdateMetric.path("Start").asLong(0)));
        out.put("end_time", rfc3339(lastUpdateMetric.path("Last").asLong(0)));
        out.put("connection_start_time", rfc3339(metric.path("Start").asLong(0)));
        FlowJson.putText(out, "direction", direction);
        FlowJson.putText(out, "action", action);
        FlowJson.putText(out, "initiator_ip", FlowJson.text(flow, "Network", "A"));
        FlowJson.putText(out, "target_ip", FlowJson.text(flow, "Network", "B"));
        FlowJson.putNumber(out, "initiator_port", FlowJson.number(flow, "Transport", "A"));
        FlowJson.putNumber(out, "target_port", FlowJson.number(flow, "Transport", "B"));
        FlowJson.putNumber(out, "transport_protocol", IanaProtocol.of(flow));
        out.put("ether_type", "IPV6".equals(FlowJson.text(flow, "Network", "Protocol")) ? "IPv6" : "IPv4");
        out.put("was_initiated", wasInitiated);
        out.put("was_terminated", wasTerminated);
        FlowJson.putNumber(out, "cumulative_bytes_from_initiator", metric.path("ABBytes").asLong(0));
        FlowJson.putNumber(out, "cumulative_packets_from_initiator", metric.path("ABPackets").asLong(0));
        FlowJson.putNumber(out, "cumulative_bytes_from_target", metric.path("BABytes").asLong(0));
        FlowJson.putNumber(out, "cumulative_packets_from_target", metric.path("BAPackets").asLong(0));
        FlowJson.putNumber(out, "bytes_from_initiator", lastUpdateMetric.path("ABBytes").asLong(0));
        FlowJson.putNumber(out, "packets_from_initiator", lastUpdateMetric.path("ABPackets").asLong(0));
        FlowJson.putNumber(out, "bytes_from_target", lastUpdateMetric.path("BABytes").asLong(0));
        FlowJson.putNumber(out, "packets_from_target", lastUpdateMetric.path("BAPackets").asLong(0));
        return out;
    }

    /**
     * Whether the connection ended: a FIN or RST seen in TCPMetric (present only with the capture
     * option ExtraTCPMetric), else a flow that finished by TCP FIN or RST. The exporter read
     * TCPMetric unconditionally and crashed on flows without it.
     */
    public static boolean wasTerminated(JsonNode flow) {
        JsonNode tcp = flow.path("TCPMetric");
        if (tcp.isObject()) {
            return tcp.path("ABFinStart").asLong(0) != 0 || tcp.path("BAFinStart").asLong(0) != 0
                    || tcp.path("ABRstStart").asLong(0) != 0 || tcp.path("BARstStart").asLong(0) != 0;
        }
        long finish = flow.path("FinishType").asLong(0);
        return finish == 2 || finish == 3;
    }

    /** The exporter's rule: this window holds the connection's first bytes in one direction. */
    public static boolean wasInitiated(JsonNode flow) {
        JsonNode m = flow.path("Metric");
        JsonNode l = flow.path("LastUpdateMetric");
        return m.path("ABBytes").asLong(0) == l.path("ABBytes").asLong(0)
                || m.path("BABytes").asLong(0) == l.path("BABytes").asLong(0);
    }

    /** RFC 3339 UTC, whole seconds, as the exporter formats ms times. */
    static String rfc3339(long epochMs) {
        return Instant.ofEpochMilli(epochMs).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
