package io.caravan.netflow;

import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.netflow.session.PendingSet;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link NetflowDecoder} made of one datagram: its records and everything the caller counts (template
 * changes, sequence units, sets waiting for templates). Mutable while the decoder fills it, then read-only.
 */
public final class Decoded {
    FlowType type = FlowType.FLOWUNKNOWN;
    int version;
    long sequence;
    /** v9 source id, IPFIX observation domain, v5 engine_type·256 + engine_id (the sequence stream). */
    long domain;
    long sysUptime;
    /** Sequence units this datagram carries: v5 records, v9 1 packet, IPFIX data records (-1: unknown). */
    long sequenceUnits;
    /** Where records go: this datagram's own list, or the batch's, which it appends to from {@link #mark}. */
    final List<FlowRecord> records;
    final int mark;
    final List<PendingSet> missing = new ArrayList<>();
    int templatesAdded;
    int templatesUpdated;
    int templatesUnchanged;
    int templatesRejected;
    int templatesTooLarge;
    int templatesWithdrawn;
    int optionsRecords;

    Decoded() {
        this(new ArrayList<>());
    }

    /** Appends this datagram's records to {@code out}. */
    Decoded(List<FlowRecord> out) {
        this.records = out;
        this.mark = out.size();
    }

    public FlowType type() {
        return type;
    }

    public int version() {
        return version;
    }

    public long sequence() {
        return sequence;
    }

    public long domain() {
        return domain;
    }

    public long sysUptime() {
        return sysUptime;
    }

    public long sequenceUnits() {
        return sequenceUnits;
    }

    /** The flow records decoded, in datagram order (appended to the list given, if one was). */
    public List<FlowRecord> records() {
        return mark == 0 ? records : records.subList(mark, records.size());
    }

    /** How many records this datagram gave. */
    public int recordCount() {
        return records.size() - mark;
    }

    /** Takes this datagram's records back out of the list they were appended to (it failed to decode). */
    void discardRecords() {
        records.subList(mark, records.size()).clear();
    }

    /** Data sets whose template is unknown, to buffer. */
    public List<PendingSet> missing() {
        return missing;
    }

    public int templatesAdded() {
        return templatesAdded;
    }

    public int templatesUpdated() {
        return templatesUpdated;
    }

    public int templatesUnchanged() {
        return templatesUnchanged;
    }

    /** Templates the store had no room for (TEMPLATE_LIMIT). */
    public int templatesRejected() {
        return templatesRejected;
    }

    /** Templates with more fields than the per-template limit (TEMPLATE_TOO_LARGE). */
    public int templatesTooLarge() {
        return templatesTooLarge;
    }

    public int templatesWithdrawn() {
        return templatesWithdrawn;
    }

    /** Options data records read (sampling, init time). */
    public int optionsRecords() {
        return optionsRecords;
    }
}
