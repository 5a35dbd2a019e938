package io.caravan.pipeline.filter;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.stage.Stage;
import java.util.List;
import java.util.Set;

/**
 * Removes records from the batch in place by one attribute's value (its {@code toString}; a missing
 * attribute is {@code ""}). Stateless after construction, hence thread-safe. The runtime counts
 * the records dropped.
 */
final class FilterStage implements Stage<FlowBatch, FlowBatch> {
    private final String attribute;
    private final Set<String> values;
    private final boolean keep;

    /**
     * @param values the listed values
     * @param keep   true: only records with a listed value pass; false: records with a listed value are dropped
     */
    FilterStage(String attribute, List<String> values, boolean keep) {
        this.attribute = attribute;
        this.values = Set.copyOf(values);
        this.keep = keep;
    }

    @Override
    public FlowBatch apply(FlowBatch batch) {
        batch.records().removeIf(this::dropped);
        return batch;
    }

    private boolean dropped(FlowRecord r) {
        Object value = r.attribute(attribute);
        boolean listed = values.contains(value == null ? "" : value.toString());
        return listed != keep;
    }
}
