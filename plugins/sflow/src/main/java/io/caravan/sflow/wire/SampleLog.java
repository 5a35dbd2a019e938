package io.caravan.sflow.wire;

import java.util.Arrays;

/**
 * What the per-agent accounting needs of a datagram's samples, in datagram order, without the
 * samples themselves: each sample's kind, data source, sequence number and the agent's drop
 * counter, the counter sample itself for counter samples, and how many samples and records of
 * unknown formats were skipped. One thread fills it datagram after datagram ({@link #clear}
 * first), so the hot path builds no sample objects; not thread-safe.
 */
public final class SampleLog {
    public static final int FLOW = 0;
    public static final int COUNTERS = 1;
    public static final int DISCARD = 2;
    /** The drop counter of a sample that has none (counter samples). */
    public static final long NO_DROPS = -1;

    private int size;
    private int[] kinds = new int[16];
    private long[] sequences = new long[16];
    private long[] sourceTypes = new long[16];
    private long[] sourceIndexes = new long[16];
    private long[] drops = new long[16];
    private CounterSample[] counters = new CounterSample[16];
    private final int[] byKind = new int[3];
    /** Samples, then records, of unknown formats (the layout {@link SflowDecoder#sample} counts into). */
    private final int[] unknown = new int[2];

    /** The samples of a decoded datagram, for callers that hold one. */
    public static SampleLog of(SflowDatagram d) {
        SampleLog log = new SampleLog();
        for (Sample s : d.samples()) {
            if (s instanceof FlowSample f) {
                log.add(FLOW, f.sequence(), f.sourceIdType(), f.sourceIdIndex(), f.drops(), null);
            } else if (s instanceof CounterSample c) {
                log.add(c);
            } else if (s instanceof DiscardedPacket p) {
                log.add(DISCARD, p.sequence(), p.sourceIdType(), p.sourceIdIndex(), p.drops(), null);
            }
        }
        log.unknown[0] = d.unknownSamples();
        log.unknown[1] = d.unknownRecords();
        return log;
    }

    public void clear() {
        if (byKind[COUNTERS] > 0) {
            Arrays.fill(counters, 0, size, null);
        }
        size = 0;
        Arrays.fill(byKind, 0);
        Arrays.fill(unknown, 0);
    }

    public void add(int kind, long sequence, long sourceType, long sourceIndex, long dropCounter, CounterSample c) {
        if (size == kinds.length) {
            int n = size * 2;
            kinds = Arrays.copyOf(kinds, n);
            sequences = Arrays.copyOf(sequences, n);
            sourceTypes = Arrays.copyOf(sourceTypes, n);
            sourceIndexes = Arrays.copyOf(sourceIndexes, n);
            drops = Arrays.copyOf(drops, n);
            counters = Arrays.copyOf(counters, n);
        }
        kinds[size] = kind;
        sequences[size] = sequence;
        sourceTypes[size] = sourceType;
        sourceIndexes[size] = sourceIndex;
        drops[size] = dropCounter;
        counters[size] = c;
        byKind[kind]++;
        size++;
    }

    public void add(CounterSample c) {
        add(COUNTERS, c.sequence(), c.sourceIdType(), c.sourceIdIndex(), NO_DROPS, c);
    }

    public int size() {
        return size;
    }

    public int kind(int i) {
        return kinds[i];
    }

    public long sequence(int i) {
        return sequences[i];
    }

    public long sourceType(int i) {
        return sourceTypes[i];
    }

    public long sourceIndex(int i) {
        return sourceIndexes[i];
    }

    /** The agent's cumulative drop counter carried by sample {@code i}, or {@link #NO_DROPS}. */
    public long drops(int i) {
        return drops[i];
    }

    /** The counter sample {@code i}, or null when it is not one. */
    public CounterSample counters(int i) {
        return counters[i];
    }

    /** Samples of {@code kind} logged. */
    public int count(int kind) {
        return byKind[kind];
    }

    public int unknownSamples() {
        return unknown[0];
    }

    public int unknownRecords() {
        return unknown[1];
    }

    /** The unknown-format counts (samples, records) for a reader to add to. */
    public int[] unknownCounts() {
        return unknown;
    }
}
