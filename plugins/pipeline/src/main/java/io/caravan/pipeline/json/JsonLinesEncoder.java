package io.caravan.pipeline.json;

import io.caravan.api.flow.FlowRecord;
import io.caravan.pipeline.encoding.BatchEncoder;
import java.io.IOException;
import java.util.List;

/** The records as encode-json writes them (JSON lines), into a caller's array. Thread-safe. */
public final class JsonLinesEncoder implements BatchEncoder {
    private final FlowJson json = new FlowJson();
    private final boolean attributes;
    private final boolean omitZero;

    /**
     * @param attributes whether each record's attribute map is written, as encode-json's {@code attributes}
     * @param omitZero   whether numbers equal to 0 and all-zero MACs are left out, as encode-json's {@code omitZero}
     */
    public JsonLinesEncoder(boolean attributes, boolean omitZero) {
        this.attributes = attributes;
        this.omitZero = omitZero;
    }

    @Override
    public int encode(List<FlowRecord> records, byte[] b, int off) throws IOException {
        return json.encode(records, attributes, omitZero, b, off);
    }

    @Override
    public String format() {
        return "JSON";
    }
}
