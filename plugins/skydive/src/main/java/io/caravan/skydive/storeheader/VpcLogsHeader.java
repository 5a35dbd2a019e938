package io.caravan.skydive.storeheader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code storeheader vpclogs}: the IBM VPC flow-log object header around the records,
 * {@code {<user keys>, version:"0.0.1", capture_start_time, capture_end_time, number_of_flow_logs,
 * flow_logs:[...], state}}. Times are RFC 3339 UTC seconds. {@code state} is {@code "ok"}, or
 * {@code "skip data"} when records of the tag were dropped since the previous object (the exporter
 * always wrote {@code "skip data"}).
 */
public final class VpcLogsHeader implements StoreHeader {
    public static final String VERSION = "0.0.1";

    private final Map<String, String> userFields;

    /** @param userFields keys written first, in order (the exporter's {@code storeheader.vpclogs} map) */
    public VpcLogsHeader(Map<String, String> userFields) {
        this.userFields = new LinkedHashMap<>(userFields);
    }

    /**
     * Parses {@code key=value} entries, as the {@code headerFields} option holds them.
     *
     * @throws IllegalArgumentException naming an entry without '=' or with an empty key
     */
    public static Map<String, String> parseFields(List<String> entries) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String e : entries) {
            int eq = e.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("header field '" + e + "' is not key=value");
            }
            out.put(e.substring(0, eq).trim(), e.substring(eq + 1).trim());
        }
        return out;
    }

    @Override
    public JsonNode wrap(List<ObjectNode> records, Instant start, Instant end, boolean skipped) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        userFields.forEach(o::put);
        o.put("version", VERSION);
        o.put("capture_start_time", start.truncatedTo(ChronoUnit.SECONDS).toString());
        o.put("capture_end_time", end.truncatedTo(ChronoUnit.SECONDS).toString());
        o.put("number_of_flow_logs", records.size());
        ArrayNode logs = o.putArray("flow_logs");
        logs.addAll(records);
        o.put("state", skipped ? "skip data" : "ok");
        return o;
    }

    @Override
    public boolean isPlainList() {
        return false;
    }
}
