package io.caravan.skydive.storeheader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** {@code storeheader none}: the object is the list of records itself. */
public final class NoHeader implements StoreHeader {

    @Override
    public JsonNode wrap(List<ObjectNode> records, Instant start, Instant end, boolean skipped) {
        ArrayNode list = JsonNodeFactory.instance.arrayNode(records.size());
        list.addAll(records);
        return list;
    }

    @Override
    public boolean isPlainList() {
        return true;
    }
}
