package io.caravan.pipeline.json;

import io.caravan.api.flow.FlowRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Flow records as JSON lines with every field and their attributes, for the other packages of
 * this plugin that keep records on disk (the bus's spool). Zero-valued fields are left out: they
 * read back as the zero they were. Attribute values read back as JSON's types (strings, longs,
 * doubles, booleans, lists and maps). Thread-safe.
 */
public final class JsonLines {
    private final FlowJson json = new FlowJson();

    /** Each record as one line ending in '\n', UTF-8. */
    public byte[] write(List<FlowRecord> records) throws IOException {
        return json.encode(records, true, true);
    }

    /**
     * The records of {@code len} bytes at {@code off}, as {@link #write} wrote them.
     *
     * @throws IOException a line is not a flow record
     */
    public List<FlowRecord> read(byte[] b, int off, int len) throws IOException {
        List<FlowRecord> out = new ArrayList<>();
        int end = off + len;
        for (int start = off; start < end; ) {
            int nl = start;
            while (nl < end && b[nl] != '\n') {
                nl++;
            }
            if (nl > start) {
                try {
                    out.add(json.decode(b, start, nl - start));
                } catch (JsonLineException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }
            start = nl + 1;
        }
        return out;
    }
}
