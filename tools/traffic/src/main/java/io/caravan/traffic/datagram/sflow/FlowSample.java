package io.caravan.traffic.datagram.sflow;

/**
 * A {@code flow_sample} (format 1: data source and interfaces packed into compact words) or a
 * {@code flow_sample_expanded} (format 3: each in words of their own), then its flow records.
 */
public final class FlowSample extends FlowRecords<FlowSample> {
    public static final int FORMAT = 1;
    public static final int FORMAT_EXPANDED = 3;

    /** Interface format (compact: the top 2 bits of the word): an ifIndex. */
    public static final int IF_FORMAT_INDEX = 0;
    /** Interface format: the packet was discarded; the value is the reason. */
    public static final int IF_FORMAT_DISCARDED = 1;
    /** Interface format: several output interfaces; the value is their count (0 unknown). */
    public static final int IF_FORMAT_MULTIPLE = 2;
    /** Interface value for "internal to the agent" (host sFlow). */
    public static final long IF_INTERNAL = 0x3FFFFFFFL;

    private final boolean expanded;
    private long sequence;
    private long sourceIdType;
    private long sourceIdIndex;
    private long samplingRate = 1;
    private long samplePool;
    private long drops;
    private long inputFormat;
    private long inputValue;
    private long outputFormat;
    private long outputValue;

    public FlowSample(boolean expanded) {
        this.expanded = expanded;
    }

    @Override
    FlowSample self() {
        return this;
    }

    /** Sample sequence number (per data source). */
    public FlowSample sequence(long sequence) {
        this.sequence = sequence;
        return this;
    }

    /** Data source: type (0 ifIndex, 1 smonVlanDataSource, 2 entPhysicalEntry) and index. */
    public FlowSample sourceId(long type, long index) {
        this.sourceIdType = type;
        this.sourceIdIndex = index;
        return this;
    }

    public FlowSample samplingRate(long rate) {
        this.samplingRate = rate;
        return this;
    }

    public FlowSample samplePool(long pool) {
        this.samplePool = pool;
        return this;
    }

    public FlowSample drops(long drops) {
        this.drops = drops;
        return this;
    }

    /** Input interface as an ifIndex (format 0). */
    public FlowSample input(long ifIndex) {
        return input(IF_FORMAT_INDEX, ifIndex);
    }

    /** Input interface with an explicit format (compact: top 2 bits) and value. */
    public FlowSample input(int format, long value) {
        this.inputFormat = format;
        this.inputValue = value;
        return this;
    }

    /** Output interface as an ifIndex (format 0). */
    public FlowSample output(long ifIndex) {
        return output(IF_FORMAT_INDEX, ifIndex);
    }

    public FlowSample output(int format, long value) {
        this.outputFormat = format;
        this.outputValue = value;
        return this;
    }

    /** Output format 1: the packet was discarded for {@code reason}. */
    public FlowSample outputDiscarded(long reason) {
        return output(IF_FORMAT_DISCARDED, reason);
    }

    /** Output format 2: sent to {@code count} interfaces (0 = unknown). */
    public FlowSample outputMultiple(long count) {
        return output(IF_FORMAT_MULTIPLE, count);
    }

    public void write(Xdr out) {
        out.tlv(expanded ? FORMAT_EXPANDED : FORMAT, declaredLength, x -> {
            x.u32(sequence);
            if (expanded) {
                x.u32(sourceIdType);
                x.u32(sourceIdIndex);
            } else {
                x.u32((sourceIdType << 24) | (sourceIdIndex & 0xFFFFFF));
            }
            x.u32(samplingRate);
            x.u32(samplePool);
            x.u32(drops);
            if (expanded) {
                x.u32(inputFormat);
                x.u32(inputValue);
                x.u32(outputFormat);
                x.u32(outputValue);
            } else {
                x.u32((inputFormat << 30) | (inputValue & 0x3FFFFFFFL));
                x.u32((outputFormat << 30) | (outputValue & 0x3FFFFFFFL));
            }
            writeRecords(x);
        });
    }
}
