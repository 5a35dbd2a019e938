package io.caravan.skydive.storeheader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * What one stored object holds around its records: the exporter's {@code storeheader} step. It
 * sees the records of one tag in output order and the time span the object covers.
 */
public interface StoreHeader {

    /**
     * @param records the records of the object, in order (not copied: do not keep the list)
     * @param start   the start of the span (the tag's previous flush)
     * @param end     the end of the span (now)
     * @param skipped whether records of this tag were dropped (buffer full) since the previous object
     * @return the tree the encoder writes
     */
    JsonNode wrap(List<ObjectNode> records, Instant start, Instant end, boolean skipped);

    /** Whether the result is the bare record list (an encoder such as csv needs that). */
    boolean isPlainList();
}
