package io.caravan.skydive.encode;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@code encode csv}: a header row of field names, then one row per record, lines ending in
 * {@code \n} and fields quoted as RFC 4180 says (as Go's {@code encoding/csv}). The columns are the
 * records' field names in the order they first appear, so records that lack a field get an empty
 * cell rather than a shifted row. Text is written as is, numbers and booleans as JSON writes them,
 * null as empty, and a nested object or array as its compact JSON.
 */
public final class CsvEncoder implements Encoder {

    @Override
    public byte[] encode(JsonNode object) throws EncodeException {
        if (!object.isArray()) {
            throw new EncodeException("csv encodes a list of records; the store header made a "
                    + object.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " (use header=none)");
        }
        Set<String> columns = new LinkedHashSet<>();
        for (JsonNode record : object) {
            if (!record.isObject()) {
                throw new EncodeException("csv encodes records that are JSON objects, got " + record.getNodeType());
            }
            record.fieldNames().forEachRemaining(columns::add);
        }
        StringBuilder out = new StringBuilder(64 * (object.size() + 1));
        row(out, columns.iterator());
        for (JsonNode record : object) {
            boolean first = true;
            for (String c : columns) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                field(out, cell(record.get(c)));
            }
            out.append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void row(StringBuilder out, Iterator<String> cells) {
        boolean first = true;
        while (cells.hasNext()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            field(out, cells.next());
        }
        out.append('\n');
    }

    private static String cell(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "";
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    private static void field(StringBuilder out, String s) {
        boolean quote = s.isEmpty() ? false : s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0
                || s.indexOf('\r') >= 0 || s.charAt(0) == ' ' || s.charAt(0) == '\t';
        if (!quote) {
            out.append(s);
            return;
        }
        out.append('"').append(s.replace("\"", "\"\"")).append('"');
    }

    @Override
    public String contentType() {
        return "text/csv";
    }

    @Override
    public String suffix() {
        return ".csv";
    }
}
