package io.caravan.skydive.transform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reading a Skydive flow's JSON leniently: a missing or mistyped key reads as empty or 0. */
public final class FlowJson {
    private FlowJson() {
    }

    public static String text(JsonNode flow, String key) {
        JsonNode v = flow.path(key);
        return v.isValueNode() ? v.asText("") : "";
    }

    public static String text(JsonNode flow, String layer, String key) {
        JsonNode v = flow.path(layer).path(key);
        return v.isValueNode() ? v.asText("") : "";
    }

    public static long number(JsonNode flow, String key) {
        return flow.path(key).asLong(0);
    }

    public static long number(JsonNode flow, String layer, String key) {
        return flow.path(layer).path(key).asLong(0);
    }

    /** The object under {@code key}, or null when absent or not an object. */
    public static ObjectNode object(JsonNode flow, String key) {
        JsonNode v = flow.path(key);
        return v.isObject() ? (ObjectNode) v : null;
    }

    /** Puts {@code value} unless it is empty (the exporter's {@code omitempty}). */
    public static void putText(ObjectNode out, String key, String value) {
        if (value != null && !value.isEmpty()) {
            out.put(key, value);
        }
    }

    /** Puts {@code value} unless it is 0 (the exporter's {@code omitempty}). */
    public static void putNumber(ObjectNode out, String key, long value) {
        if (value != 0) {
            out.put(key, value);
        }
    }
}
