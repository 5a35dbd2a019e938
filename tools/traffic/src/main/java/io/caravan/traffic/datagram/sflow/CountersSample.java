package io.caravan.traffic.datagram.sflow;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A {@code counters_sample} (format 2, compact source id) or {@code counters_sample_expanded} (format 4), then its counter records. */
public final class CountersSample {
    public static final int FORMAT = 2;
    public static final int FORMAT_EXPANDED = 4;

    private final boolean expanded;
    private final List<Consumer<Xdr>> records = new ArrayList<>();
    private long sequence;
    private long sourceIdType;
    private long sourceIdIndex;
    private int recordCount = -1;
    private int declaredLength = -1;

    public CountersSample(boolean expanded) {
        this.expanded = expanded;
    }

    public CountersSample sequence(long sequence) {
        this.sequence = sequence;
        return this;
    }

    public CountersSample sourceId(long type, long index) {
        this.sourceIdType = type;
        this.sourceIdIndex = index;
        return this;
    }

    /** Writes this record count instead of the number of records added. */
    public CountersSample recordCount(int count) {
        this.recordCount = count;
        return this;
    }

    /** Writes this sample length instead of the real one. */
    public CountersSample declaredLength(int length) {
        this.declaredLength = length;
        return this;
    }

    /** Generic interface counters ({@code if_counters}, format 1, 88 bytes). */
    public CountersSample genericInterface(Consumer<IfCounters> counters) {
        IfCounters c = new IfCounters();
        counters.accept(c);
        records.add(out -> out.tlv(IfCounters.FORMAT, -1, c::write));
        return this;
    }

    /** Ethernet interface counters ({@code ethernet_counters}, format 2, 52 bytes). */
    public CountersSample ethernet(Consumer<EthernetCounters> counters) {
        EthernetCounters c = new EthernetCounters();
        counters.accept(c);
        records.add(out -> out.tlv(EthernetCounters.FORMAT, -1, c::write));
        return this;
    }

    /** A counter record of any enterprise and format with an opaque body (for skip tests). */
    public CountersSample unknownRecord(int enterprise, int format, byte[] body) {
        byte[] b = body.clone();
        records.add(out -> out.tlv(Xdr.dataFormat(enterprise, format), -1, x -> x.bytes(b)));
        return this;
    }

    /** A record written as given: data format word, declared length, body bytes. */
    public CountersSample rawRecord(int dataFormat, int declaredLength, byte[] body) {
        records.add(Xdr.raw(dataFormat, declaredLength, body));
        return this;
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
            x.u32(recordCount >= 0 ? recordCount : records.size());
            records.forEach(r -> r.accept(x));
        });
    }
}
