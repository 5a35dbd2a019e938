package io.caravan.skydive.topology;

import com.fasterxml.jackson.databind.JsonNode;

/** Building Gremlin text safely and reading fields of the nodes it returns. */
public final class Gremlin {
    private Gremlin() {
    }

    /** A Gremlin string literal: flow data (addresses, TIDs) is quoted, never spliced raw. */
    public static String quote(String value) {
        StringBuilder b = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\'' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append('\'').toString();
    }

    /** {@code G.V().Has('TID','<tid>')}. */
    public static String byTid(String tid) {
        return "G.V().Has('TID'," + quote(tid) + ")";
    }

    /**
     * The first node of a reply: the reply's first element, or, when the query returned paths
     * (arrays of nodes), the first node of the first path. Null when there is none.
     */
    public static JsonNode firstNode(JsonNode reply) {
        if (reply == null || !reply.isArray() || reply.isEmpty()) {
            return null;
        }
        JsonNode first = reply.get(0);
        if (first.isArray()) {
            return first.isEmpty() ? null : first.get(0);
        }
        return first.isObject() ? first : null;
    }

    /**
     * A node's metadata field by dotted path ({@code K8s.Extra.Status.Addresses}), or a missing node.
     */
    public static JsonNode field(JsonNode node, String path) {
        JsonNode at = node == null ? null : node.path("Metadata");
        for (String part : path.split("\\.")) {
            if (at == null || !at.isObject()) {
                return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
            }
            at = at.path(part);
        }
        return at;
    }

    /** A metadata field as text, or "" when it is absent or not a scalar. */
    public static String text(JsonNode node, String path) {
        JsonNode v = field(node, path);
        return v.isValueNode() ? v.asText() : "";
    }
}
