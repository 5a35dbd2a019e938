package io.caravan.skydive.transform;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One output format: a Skydive flow in, the output record out, or null to drop the flow. */
interface FlowTransform {

    /**
     * @param flow the whole Skydive flow (not changed)
     * @return the record, fields in output order, or null when the format drops this flow
     * @throws IllegalArgumentException when the flow lacks what the format needs (counted as bad input)
     */
    ObjectNode transform(ObjectNode flow);

    /** What the transform wants operators to see (caches, counts); a snapshot. */
    default java.util.Map<String, Object> status() {
        return java.util.Map.of();
    }

    /** Why the format works below what it was built for (topology unreachable), or empty. */
    default java.util.Optional<String> degraded() {
        return java.util.Optional.empty();
    }

    /** Live entries dropped so far because a bounded cache was full. */
    default long evictions() {
        return 0;
    }

    /** Drops state. */
    default void clear() {
    }
}
