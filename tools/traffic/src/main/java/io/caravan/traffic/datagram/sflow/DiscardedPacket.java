package io.caravan.traffic.datagram.sflow;

/** A {@code discarded_packet} sample (format 5, sFlow drop monitoring): expanded source id, plain ifIndex input/output, reason. */
public final class DiscardedPacket extends FlowRecords<DiscardedPacket> {
    public static final int FORMAT = 5;

    private long sequence;
    private long sourceIdType;
    private long sourceIdIndex;
    private long drops;
    private long input;
    private long output;
    private long reason;

    @Override
    DiscardedPacket self() {
        return this;
    }

    public DiscardedPacket sequence(long sequence) {
        this.sequence = sequence;
        return this;
    }

    public DiscardedPacket sourceId(long type, long index) {
        this.sourceIdType = type;
        this.sourceIdIndex = index;
        return this;
    }

    public DiscardedPacket drops(long drops) {
        this.drops = drops;
        return this;
    }

    public DiscardedPacket input(long ifIndex) {
        this.input = ifIndex;
        return this;
    }

    public DiscardedPacket output(long ifIndex) {
        this.output = ifIndex;
        return this;
    }

    /** Drop reason (sFlow drop-monitoring codes: 0–15 ICMP unreachable codes, 256+ named reasons). */
    public DiscardedPacket reason(long reason) {
        this.reason = reason;
        return this;
    }

    public void write(Xdr out) {
        out.tlv(FORMAT, declaredLength, x -> {
            x.u32(sequence);
            x.u32(sourceIdType);
            x.u32(sourceIdIndex);
            x.u32(drops);
            x.u32(input);
            x.u32(output);
            x.u32(reason);
            writeRecords(x);
        });
    }
}
