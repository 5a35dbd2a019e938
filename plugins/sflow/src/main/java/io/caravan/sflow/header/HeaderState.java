package io.caravan.sflow.header;

import io.caravan.api.flow.FlowRecord;
import java.util.Arrays;

/**
 * What the layers of one header parse share: the record they fill, the next parser, and the
 * few facts that span layers (VLAN tags seen, MPLS labels). One per parse; not thread-safe.
 */
public final class HeaderState {
    /** The most MPLS labels read from one stack. */
    public static final int MAX_MPLS_LABELS = 16;

    final FlowRecord record;
    final LayerRegistry registry;
    /** The parser for the next layer, or null to stop; each layer sets it. */
    public LayerParser next;
    int vlanTags;
    int innerVlan;
    private long[] mplsLabels;
    private int mplsCount;

    HeaderState(FlowRecord record, LayerRegistry registry) {
        this.record = record;
        this.registry = registry;
    }

    public FlowRecord record() {
        return record;
    }

    public LayerRegistry registry() {
        return registry;
    }

    void addMplsLabel(long label) {
        if (mplsLabels == null) {
            mplsLabels = new long[4];
        } else if (mplsCount == mplsLabels.length) {
            mplsLabels = Arrays.copyOf(mplsLabels, mplsCount * 2);
        }
        mplsLabels[mplsCount++] = label;
    }

    int mplsCount() {
        return mplsCount;
    }

    /** The MPLS labels read, top of stack first. */
    long[] mplsLabels() {
        return mplsLabels == null ? new long[0] : Arrays.copyOf(mplsLabels, mplsCount);
    }
}
