package io.caravan.skydive.transform;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The IANA protocol number of a Skydive flow, from its Transport layer (TCP 6, UDP 17, SCTP 132) or,
 * without one, its ICMP layer (1 over IPv4, 58 over IPv6); 0 when none applies. The exporter wrote
 * Skydive's own enum value instead (TCP=2), which no flow-log reader understands.
 */
public final class IanaProtocol {
    private IanaProtocol() {
    }

    public static int of(JsonNode flow) {
        String transport = FlowJson.text(flow, "Transport", "Protocol");
        switch (transport) {
            case "TCP":
                return 6;
            case "UDP":
                return 17;
            case "SCTP":
                return 132;
            default:
                break;
        }
        if (flow.path("ICMP").isObject() || flow.path("LayersPath").asText("").contains("ICMP")) {
            return "IPV6".equals(FlowJson.text(flow, "Network", "Protocol")) ? 58 : 1;
        }
        return 0;
    }
}
