package io.caravan.skydive.transform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secadvisor {@code extend} fields: {@code NAME=<gremlin template>} entries whose template
 * names fields of the record being built as {@code {{.Network.A}}}. A substituted value has its
 * quotes and backslashes escaped, so flow data cannot change the query's shape. Immutable.
 */
final class ExtendTemplates {
    private static final Pattern FIELD = Pattern.compile("\\{\\{\\s*\\.([A-Za-z0-9_]+(?:\\.[A-Za-z0-9_]+)*)\\s*}}");

    record Entry(String name, String template) {
    }

    private final List<Entry> entries;

    private ExtendTemplates(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Parses entries separated by ';' (Gremlin itself uses commas).
     *
     * @throws IllegalArgumentException naming the entry that has no {@code NAME=}
     */
    static ExtendTemplates parse(String text) {
        List<Entry> out = new ArrayList<>();
        if (text != null) {
            for (String raw : text.split(";")) {
                String entry = raw.trim();
                if (entry.isEmpty()) {
                    continue;
                }
                int eq = entry.indexOf('=');
                if (eq <= 0 || eq == entry.length() - 1) {
                    throw new IllegalArgumentException("extend entry '" + entry + "' is not NAME=<gremlin template>");
                }
                out.add(new Entry(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim()));
            }
        }
        return new ExtendTemplates(out);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    List<Entry> entries() {
        return entries;
    }

    /** The template with each {@code {{.Path}}} replaced by that field of {@code record} ("" when absent). */
    static String render(String template, ObjectNode record) {
        Matcher m = FIELD.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            JsonNode at = record;
            for (String part : m.group(1).split("\\.")) {
                at = at.path(part);
            }
            String value = at.isValueNode() ? at.asText() : "";
            m.appendReplacement(out, Matcher.quoteReplacement(escape(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("'", "\\'").replace("\"", "\\\"");
    }
}
