package io.caravan.skydive.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.api.flow.FlowRecord;

/**
 * Read-only accessors on a Skydive flow as the analyzer sends it (the JSON object of spec §1.4,
 * kept whole in {@link FlowRecord#source()}), for the source and for source-aware stages. Every
 * accessor tolerates a missing key (the analyzer omits empty ones): strings come back as
 * {@code ""}, numbers as 0, objects as a missing node.
 */
public final class SkydiveFlows {
    /** FinishType numbers (the analyzer sends the enum as a number). */
    public static final int NOT_FINISHED = 0;
    public static final int TIMEOUT = 1;
    public static final int TCP_FIN = 2;
    public static final int TCP_RST = 3;

    private SkydiveFlows() {
    }

    /** The Skydive flow a record was made from, or null when the record is not from Skydive. */
    public static ObjectNode of(FlowRecord record) {
        return record.source() instanceof ObjectNode o ? o : null;
    }

    public static String uuid(JsonNode flow) {
        return text(flow, "UUID");
    }

    public static String layersPath(JsonNode flow) {
        return text(flow, "LayersPath");
    }

    public static String application(JsonNode flow) {
        return text(flow, "Application");
    }

    public static String trackingId(JsonNode flow) {
        return text(flow, "TrackingID");
    }

    public static String l3TrackingId(JsonNode flow) {
        return text(flow, "L3TrackingID");
    }

    public static String parentUuid(JsonNode flow) {
        return text(flow, "ParentUUID");
    }

    public static String nodeTid(JsonNode flow) {
        return text(flow, "NodeTID");
    }

    public static String captureId(JsonNode flow) {
        return text(flow, "CaptureID");
    }

    /** Epoch ms of the first packet (top-level {@code Start}). */
    public static long startMs(JsonNode flow) {
        return number(flow, "Start");
    }

    /** Epoch ms of the last packet (top-level {@code Last}). */
    public static long lastMs(JsonNode flow) {
        return number(flow, "Last");
    }

    /** 0 NOT_FINISHED (absent), 1 TIMEOUT, 2 TCP_FIN, 3 TCP_RST. */
    public static int finishType(JsonNode flow) {
        return (int) number(flow, "FinishType");
    }

    /** {@code Link}: {Protocol, A, B, ID}; missing when absent. */
    public static JsonNode link(JsonNode flow) {
        return flow.path("Link");
    }

    /** {@code Network}: {Protocol (IPV4/IPV6), A, B, ID}; missing for L2-only flows (ARP). */
    public static JsonNode network(JsonNode flow) {
        return flow.path("Network");
    }

    /** {@code Transport}: {Protocol (TCP/UDP/SCTP), A, B (numbers), ID}; missing for ICMP. */
    public static JsonNode transport(JsonNode flow) {
        return flow.path("Transport");
    }

    /** {@code ICMP}: {Type (enum name), Code, ID}; missing when not ICMP. */
    public static JsonNode icmp(JsonNode flow) {
        return flow.path("ICMP");
    }

    /** The cumulative {@code Metric} (Start/Last = first/last packet). */
    public static JsonNode metric(JsonNode flow) {
        return flow.path("Metric");
    }

    /** The delta since the previous table update, {@code LastUpdateMetric}. */
    public static JsonNode lastUpdateMetric(JsonNode flow) {
        return flow.path("LastUpdateMetric");
    }

    public static String networkA(JsonNode flow) {
        return text(network(flow), "A");
    }

    public static String networkB(JsonNode flow) {
        return text(network(flow), "B");
    }

    /** {@code IPV4}, {@code IPV6} or "". */
    public static String networkProtocol(JsonNode flow) {
        return text(network(flow), "Protocol");
    }

    /** {@code TCP}, {@code UDP}, {@code SCTP} or "". */
    public static String transportProtocol(JsonNode flow) {
        return text(transport(flow), "Protocol");
    }

    /** Transport.A (the port of the side that sent the first packet); 0 when absent. */
    public static int portA(JsonNode flow) {
        return (int) number(transport(flow), "A");
    }

    public static int portB(JsonNode flow) {
        return (int) number(transport(flow), "B");
    }

    /** Link.ID: the VLAN IDs, 12 bits each, outermost in the low bits. */
    public static long linkId(JsonNode flow) {
        return number(link(flow), "ID");
    }

    /** The outermost VLAN ID (the low 12 bits of Link.ID); 0 when untagged. */
    public static int vlan(JsonNode flow) {
        return (int) (linkId(flow) & 0xFFF);
    }

    public static long abBytes(JsonNode metric) {
        return number(metric, "ABBytes");
    }

    public static long baBytes(JsonNode metric) {
        return number(metric, "BABytes");
    }

    public static long abPackets(JsonNode metric) {
        return number(metric, "ABPackets");
    }

    public static long baPackets(JsonNode metric) {
        return number(metric, "BAPackets");
    }

    /** The IANA protocol number: from Transport, else ICMPv4 (1) / ICMPv6 (58) from ICMP or LayersPath; 0 unknown. */
    public static int ianaProtocol(JsonNode flow) {
        switch (transportProtocol(flow)) {
            case "TCP" -> {
                return 6;
            }
            case "UDP" -> {
                return 17;
            }
            case "SCTP" -> {
                return 132;
            }
            default -> {
            }
        }
        String path = layersPath(flow);
        if (path.contains("ICMPv6")) {
            return 58;
        }
        if (path.contains("ICMPv4")) {
            return 1;
        }
        if (!icmp(flow).isMissingNode()) {
            return "IPV6".equals(networkProtocol(flow)) ? 58 : 1;
        }
        return 0;
    }

    /** The key's text, a number's text, or "" when absent or not a scalar. */
    public static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v == null || !v.isValueNode() || v.isNull() ? "" : v.asText();
    }

    /** The key's integral value (a numeric string counts); 0 when absent or not a number. */
    public static long number(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null) {
            return 0;
        }
        if (v.isNumber()) {
            return v.asLong();
        }
        return v.isTextual() ? v.asLong(0) : 0;
    }
}
