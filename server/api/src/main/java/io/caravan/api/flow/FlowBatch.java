package io.caravan.api.flow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The records that arrived together (one datagram, one WebSocket message, one AMQP message) and
 * where they came from. The body most stages take and return.
 *
 * <p>The record list is mutable: a stage owns the batch it was handed, may filter or change it in
 * place and return it. An empty batch means "nothing to pass on".
 */
public final class FlowBatch {
    private final Origin origin;
    private final List<FlowRecord> records;

    public FlowBatch(Origin origin, List<FlowRecord> records) {
        this.origin = origin == null ? Origin.UNKNOWN : origin;
        this.records = records instanceof ArrayList ? records : new ArrayList<>(records);
    }

    public static FlowBatch of(Origin origin, FlowRecord... records) {
        List<FlowRecord> list = new ArrayList<>(records.length);
        Collections.addAll(list, records);
        return new FlowBatch(origin, list);
    }

    public Origin origin() {
        return origin;
    }

    public List<FlowRecord> records() {
        return records;
    }

    public int size() {
        return records.size();
    }

    public boolean isEmpty() {
        return records.isEmpty();
    }

    @Override
    public String toString() {
        return "FlowBatch[" + records.size() + " records from " + origin + "]";
    }
}
