package io.caravan.sflow.wire;

/**
 * sFlow v5 data format words: {@code enterprise (20 bits) << 12 | format (12 bits)}, and the
 * standard (enterprise 0) formats this decoder reads, named as in sflow.h (SFLFLOW_*, SFLCOUNTERS_*).
 */
public final class DataFormat {
    public static final int SAMPLE_FLOW = 1;
    public static final int SAMPLE_COUNTERS = 2;
    public static final int SAMPLE_FLOW_EXPANDED = 3;
    public static final int SAMPLE_COUNTERS_EXPANDED = 4;
    public static final int SAMPLE_DISCARDED_PACKET = 5;

    public static final int FLOW_HEADER = 1;
    public static final int FLOW_ETHERNET = 2;
    public static final int FLOW_IPV4 = 3;
    public static final int FLOW_IPV6 = 4;
    public static final int FLOW_EX_SWITCH = 1001;
    public static final int FLOW_EX_ROUTER = 1002;
    public static final int FLOW_EX_GATEWAY = 1003;

    public static final int COUNTERS_GENERIC = 1;
    public static final int COUNTERS_ETHERNET = 2;

    private DataFormat() {
    }

    public static int enterprise(long word) {
        return (int) ((word >>> 12) & 0xFFFFF);
    }

    public static int format(long word) {
        return (int) (word & 0xFFF);
    }

    /** The word of a standard (enterprise 0) format, or -1 for any other enterprise. */
    public static int standard(long word) {
        return enterprise(word) == 0 ? format(word) : -1;
    }
}
