package io.caravan.netflow.captures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reduces tshark's {@code -T json --no-duplicate-keys} decode of a capture to the fields Caravan
 * maps, one object per datagram: {@code header} and {@code records} (NetFlow/IPFIX flow records;
 * sFlow flow samples with their raw-header fields). Names are Caravan's, values numbers or address
 * text; a field tshark did not show is left out.
 */
final class TsharkExpected {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** tshark's absolute-time text, always UTC here ({@code Nov 24, 2025 16:00:00.060000000 UTC}). */
    private static final DateTimeFormatter ABS = DateTimeFormatter.ofPattern("MMM d, yyyy HH:mm:ss.SSSSSSSSS", Locale.ROOT);

    private TsharkExpected() {
    }

    static ObjectNode reduce(JsonNode tshark, String dissector) {
        ObjectNode out = F.objectNode();
        ArrayNode datagrams = out.putArray("datagrams");
        int records = 0;
        for (JsonNode packet : tshark) {
            JsonNode layer = packet.path("_source").path("layers").path(dissector);
            ObjectNode d = dissector.equals("sflow") ? sflow(layer) : cflow(layer);
            records += d.path("records").size();
            datagrams.add(d);
        }
        out.put("records", records);
        return out;
    }

    // ---- NetFlow v5/v7/v9 and IPFIX ------------------------------------------------------------

    private static ObjectNode cflow(JsonNode c) {
        ObjectNode d = F.objectNode();
        ObjectNode h = d.putObject("header");
        number(h, "version", c, "cflow.version");
        number(h, "count", c, "cflow.count");
        number(h, "length", c, "cflow.len");
        seconds(h, "sysUptimeMs", c, "cflow.sysuptime");
        number(h, "unixSecs", c.path("cflow.timestamp_tree"), "cflow.unix_secs");
        number(h, "unixNsecs", c.path("cflow.timestamp_tree"), "cflow.unix_nsecs");
        number(h, "exportTime", c.path("cflow.timestamp_tree"), "cflow.exporttime");
        number(h, "sequence", c, "cflow.sequence");
        number(h, "sourceId", c, "cflow.source_id");
        number(h, "observationDomain", c, "cflow.od_id");
        number(h, "engineType", c, "cflow.engine_type");
        number(h, "engineId", c, "cflow.engine_id");
        number(h, "samplingInterval", c, "cflow.samplerate");
        ArrayNode records = d.putArray("records");
        List<JsonNode> found = new ArrayList<>();
        flows(c, found);
        for (JsonNode f : found) {
            ObjectNode r = records.addObject();
            text(r, "src", f, "cflow.srcaddr", "cflow.srcaddrv6");
            text(r, "dst", f, "cflow.dstaddr", "cflow.dstaddrv6");
            number(r, "srcPort", f, "cflow.srcport");
            number(r, "dstPort", f, "cflow.dstport");
            number(r, "proto", f, "cflow.protocol");
            number(r, "packets", f, "cflow.packets", "cflow.packets64");
            number(r, "bytes", f, "cflow.octets", "cflow.octets64");
            number(r, "tcpFlags", f, "cflow.tcpflags");
            number(r, "tos", f, "cflow.tos");
            number(r, "icmpTypeCode", f, "cflow.icmp_type_code_ipv4", "cflow.icmp_type_code_ipv6");
            number(r, "inIf", f, "cflow.inputint");
            number(r, "outIf", f, "cflow.outputint");
            JsonNode t = f.path("cflow.timedelta_tree");
            seconds(r, "firstUptimeMs", t, "cflow.timestart");
            seconds(r, "lastUptimeMs", t, "cflow.timeend");
            absolute(r, "startMs", t, "cflow.abstimestart");
            absolute(r, "endMs", t, "cflow.abstimeend");
        }
        return d;
    }

    /** Every object holding a flow's counters, in document order (data sets of templates and options are not flows). */
    private static void flows(JsonNode node, List<JsonNode> out) {
        if (node.isObject()) {
            if ((node.has("cflow.packets") || node.has("cflow.packets64")) && (node.has("cflow.srcaddr") || node.has("cflow.srcaddrv6"))) {
                out.add(node);
                return;
            }
            node.properties().forEach(e -> flows(e.getValue(), out));
        } else if (node.isArray()) {
            node.forEach(n -> flows(n, out));
        }
    }

    // ---- sFlow ---------------------------------------------------------------------------------

    private static ObjectNode sflow(JsonNode s) {
        ObjectNode d = F.objectNode();
        ObjectNode h = d.putObject("header");
        number(h, "version", s, "sflow_245.version");
        text(h, "agent", s, "sflow_245.agent", "sflow_245.agent.v6");
        number(h, "subAgentId", s, "sflow_245.sub_agent_id");
        number(h, "sequence", s, "sflow_245.sequence_number");
        number(h, "uptimeMs", s, "sflow_245.sysuptime");
        number(h, "samples", s, "sflow_245.numsamples");
        ArrayNode records = d.putArray("records");
        for (Map.Entry<String, JsonNode> e : s.properties()) {
            if (!e.getKey().startsWith("Flow sample")) {
                continue;
            }
            JsonNode f = e.getValue();
            ObjectNode r = records.addObject();
            number(r, "sampleSequence", f, "sflow.flow_sample.sequence_number");
            number(r, "sourceIdClass", f, "sflow.flow_sample.source_id_class");
            number(r, "sourceIdIndex", f, "sflow.flow_sample.index");
            number(r, "samplingRate", f, "sflow.flow_sample.sampling_rate");
            number(r, "samplePool", f, "sflow.flow_sample.sample_pool");
            number(r, "drops", f, "sflow.flow_sample.dropped_packets");
            number(r, "inIf", f, "sflow.flow_sample.input_interface");
            number(r, "outIf", f.path("sflow.flow_sample.output_interface_tree"), "sflow.flow_sample.output_interface_value");
            JsonNode sw = f.path("Extended switch data");
            number(r, "srcVlan", sw, "sflow_245.vlan.in");
            number(r, "dstVlan", sw, "sflow_245.vlan.out");
            JsonNode raw = f.path("Raw packet header");
            number(r, "headerProtocol", raw, "sflow_245.header_protocol");
            number(r, "frameLength", raw, "sflow_245.header.frame_length");
            number(r, "stripped", raw, "sflow_245.header.payload_stripped");
            number(r, "headerLength", raw, "sflow_245.header.sampled_header_length");
            JsonNode l = raw.path("sflow_245.header_tree");
            text(r, "srcMac", l.path("eth"), "eth.src");
            text(r, "dstMac", l.path("eth"), "eth.dst");
            number(r, "etype", l.path("eth"), "eth.type");
            JsonNode ip = l.has("ip") ? l.path("ip") : l.path("ipv6");
            text(r, "src", ip, "ip.src", "ipv6.src");
            text(r, "dst", ip, "ip.dst", "ipv6.dst");
            number(r, "proto", ip, "ip.proto", "ipv6.nxt");
            number(r, "tos", ip, "ip.dsfield", "ipv6.tclass");
            number(r, "ttl", ip, "ip.ttl", "ipv6.hlim");
            JsonNode l4 = l.has("tcp") ? l.path("tcp") : l.path("udp");
            number(r, "srcPort", l4, "tcp.srcport", "udp.srcport");
            number(r, "dstPort", l4, "tcp.dstport", "udp.dstport");
            if (l.has("tcp")) {
                r.put("tcpFlags", parse(l.path("tcp").path("tcp.flags").asText()) & 0xFF);
            }
            JsonNode icmp = l.has("icmp") ? l.path("icmp") : l.path("icmpv6");
            number(r, "icmpType", icmp, "icmp.type", "icmpv6.type");
            number(r, "icmpCode", icmp, "icmp.code", "icmpv6.code");
        }
        return d;
    }

    // ---- values --------------------------------------------------------------------------------

    private static JsonNode first(JsonNode node, String... keys) {
        for (String k : keys) {
            JsonNode v = node.get(k);
            if (v != null) {
                return v.isArray() ? v.get(0) : v;
            }
        }
        return null;
    }

    private static void number(ObjectNode out, String name, JsonNode node, String... keys) {
        JsonNode v = first(node, keys);
        if (v != null) {
            out.put(name, parse(v.asText()));
        }
    }

    private static void text(ObjectNode out, String name, JsonNode node, String... keys) {
        JsonNode v = first(node, keys);
        if (v != null) {
            out.put(name, v.asText());
        }
    }

    /** tshark's relative times are seconds with nanoseconds ({@code 1813080.742000000}). */
    private static void seconds(ObjectNode out, String name, JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v != null) {
            out.put(name, new java.math.BigDecimal(v.asText()).movePointRight(3).longValueExact());
        }
    }

    private static void absolute(ObjectNode out, String name, JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v != null) {
            String text = v.asText().replaceAll("\\s+", " ").replace(" UTC", "");
            out.put(name, LocalDateTime.parse(text, ABS).toInstant(ZoneOffset.UTC).toEpochMilli());
        }
    }

    private static long parse(String text) {
        return text.startsWith("0x") ? Long.parseLong(text.substring(2), 16) : Long.parseLong(text);
    }
}
