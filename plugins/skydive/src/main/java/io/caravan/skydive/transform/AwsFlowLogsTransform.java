package io.caravan.skydive.transform;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An AWS VPC flow log record, version 2 or 3, as the exporter's {@code awsflowlogs} pipeline
 * writes it: field names are the CSV header names, in column order. Counters are the flow's
 * cumulative {@code Metric} (A→B plus B→A), times the flow's Start and Last in seconds; action is
 * always ACCEPT and log-status OK (the logstatus mangle may change it). Differences from the
 * exporter: the protocol is the IANA number, and the address columns are spelled as AWS spells them
 * ({@code srcaddr}, {@code pkt-srcaddr}; the exporter wrote {@code srcadr}). Stateless.
 */
final class AwsFlowLogsTransform implements FlowTransform {
    private final int version;
    private final String accountId;

    AwsFlowLogsTransform(int version, String accountId) {
        this.version = version;
        this.accountId = accountId;
    }

    @Override
    public ObjectNode transform(ObjectNode flow) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("version", version);
        out.put("account-id", accountId);
        out.put("interface-id", Long.toString(FlowJson.number(flow, "Link", "ID")));
        out.put("srcaddr", FlowJson.text(flow, "Network", "A"));
        out.put("dstaddr", FlowJson.text(flow, "Network", "B"));
        out.put("srcport", FlowJson.number(flow, "Transport", "A"));
        out.put("dstport", FlowJson.number(flow, "Transport", "B"));
        out.put("protocol", IanaProtocol.of(flow));
        out.put("packets", FlowJson.number(flow, "Metric", "ABPackets") + FlowJson.number(flow, "Metric", "BAPackets"));
        out.put("bytes", FlowJson.number(flow, "Metric", "ABBytes") + FlowJson.number(flow, "Metric", "BABytes"));
        out.put("start", FlowJson.number(flow, "Start") / 1000);
        out.put("end", FlowJson.number(flow, "Last") / 1000);
        out.put("action", "ACCEPT");
        out.put("log-status", "OK");
        if (version >= 3) {
            out.put("vpc-id", "");
            out.put("subnet-id", "");
            out.put("instance-id", "");
            out.put("tcp-flags", 0);
            String network = FlowJson.text(flow, "Network", "Protocol");
            out.put("type", network.equals("IPV4") ? "IPv4" : network.equals("IPV6") ? "IPv6" : "");
            out.put("pkt-srcaddr", "");
            out.put("pkt-dstaddr", "");
        }
        return out;
    }
}
