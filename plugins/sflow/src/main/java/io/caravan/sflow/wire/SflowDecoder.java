package io.caravan.sflow.wire;

import io.caravan.api.decode.DecodeException;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes sFlow v5 datagrams (sflow.org/sflow_version_5.txt; sflow.h; goflow2
 * decoders/sflow). Pure and stateless, hence thread-safe: no I/O, no logging, no metrics.
 *
 * <p>Each sample and each record is read from the slice its declared length bounds, so a broken
 * one cannot bleed into the next, and nothing is ever read past it. Samples and records of
 * unknown enterprise or format are skipped by their length and counted in the result. A length
 * past the datagram's end is {@link DecodeException.Reason#TRUNCATED}; past its enclosing sample
 * or too short for its structure, {@link DecodeException.Reason#BAD_LENGTH}. Bytes after the
 * last declared sample, and after the last record of a sample, are ignored.
 */
public final class SflowDecoder {
    /** goflow2's cap on samples per datagram and records per sample. */
    public static final int DEFAULT_MAX_COUNT = 1000;

    private final int maxSamples;
    private final int maxRecords;

    public SflowDecoder() {
        this(DEFAULT_MAX_COUNT, DEFAULT_MAX_COUNT);
    }

    /**
     * @param maxSamples the most samples a datagram may declare
     * @param maxRecords the most records a sample may declare
     */
    public SflowDecoder(int maxSamples, int maxRecords) {
        if (maxSamples < 0 || maxRecords < 0) {
            throw new IllegalArgumentException("caps must be >= 0");
        }
        this.maxSamples = maxSamples;
        this.maxRecords = maxRecords;
    }

    /** Decodes a whole datagram. */
    public SflowDatagram decode(byte[] datagram) throws DecodeException {
        return decode(DatagramHeader.parse(datagram), datagram);
    }

    /** Decodes the samples after an already parsed header (so a caller can account by agent first). */
    public SflowDatagram decode(DatagramHeader header, byte[] b) throws DecodeException {
        checkSampleCount(header, b);
        int[] unknown = new int[2]; // samples, records
        List<Sample> samples = new ArrayList<>((int) header.sampleCount());
        int at = header.samplesOffset();
        for (long i = 0; i < header.sampleCount(); i++) {
            int sampleEnd = sampleEnd(b, at);
            Sample s = sample(Xdr.u32(b, at), b, at + 8, sampleEnd, unknown);
            if (s == null) {
                unknown[0]++;
            } else {
                samples.add(s);
            }
            at = sampleEnd;
        }
        return new SflowDatagram(header, samples, unknown[0], unknown[1]);
    }

    /** Throws {@code COUNT_TOO_LARGE} when the header declares more samples than allowed. */
    public void checkSampleCount(DatagramHeader header, byte[] b) throws DecodeException {
        if (header.sampleCount() > maxSamples) {
            throw new DecodeException(DecodeException.Reason.COUNT_TOO_LARGE, header.samplesOffset() - 4,
                    header.sampleCount() + " samples declared, at most " + maxSamples, b);
        }
    }

    /** The end of the sample whose format and length words start at {@code at}, checked against the datagram. */
    public static int sampleEnd(byte[] b, int at) throws DecodeException {
        int end = b.length;
        Xdr.require(b, at, 8, end, DecodeException.Reason.TRUNCATED, "sample header");
        long length = Xdr.u32(b, at + 4);
        int body = at + 8;
        Xdr.require(b, body, length, end, DecodeException.Reason.TRUNCATED, "sample");
        return body + (int) length;
    }

    /**
     * The sample of {@code format} in {@code b[at, end)}, or null for an unknown format; records
     * of unknown formats inside it are added to {@code unknown[1]}.
     */
    public Sample sample(long format, byte[] b, int at, int end, int[] unknown) throws DecodeException {
        return switch (DataFormat.standard(format)) {
            case DataFormat.SAMPLE_FLOW -> flowSample(b, at, end, false, unknown);
            case DataFormat.SAMPLE_FLOW_EXPANDED -> flowSample(b, at, end, true, unknown);
            case DataFormat.SAMPLE_COUNTERS -> counterSample(b, at, end, false, unknown);
            case DataFormat.SAMPLE_COUNTERS_EXPANDED -> counterSample(b, at, end, true, unknown);
            case DataFormat.SAMPLE_DISCARDED_PACKET -> discardedPacket(b, at, end, unknown);
            default -> null;
        };
    }

    private FlowSample flowSample(byte[] b, int at, int end, boolean expanded, int[] unknown) throws DecodeException {
        int size = expanded ? FlowSample.EXPANDED_SIZE : FlowSample.COMPACT_SIZE;
        Xdr.require(b, at, size, end, DecodeException.Reason.BAD_LENGTH, expanded ? "expanded flow sample" : "flow sample");
        long sequence = Xdr.u32(b, at);
        FlowSample s;
        if (expanded) {
            long n = Xdr.u32(b, at + 40);
            s = new FlowSample(true, sequence, Xdr.u32(b, at + 4), Xdr.u32(b, at + 8), Xdr.u32(b, at + 12),
                    Xdr.u32(b, at + 16), Xdr.u32(b, at + 20), (int) Xdr.u32(b, at + 24), Xdr.u32(b, at + 28),
                    (int) Xdr.u32(b, at + 32), Xdr.u32(b, at + 36), flowRecords(b, at + size, end, n, at + 40, unknown));
        } else {
            long sourceId = Xdr.u32(b, at + 4);
            long input = Xdr.u32(b, at + 20);
            long output = Xdr.u32(b, at + 24);
            long n = Xdr.u32(b, at + 28);
            s = new FlowSample(false, sequence, sourceId >>> 24, sourceId & 0xFFFFFF, Xdr.u32(b, at + 8),
                    Xdr.u32(b, at + 12), Xdr.u32(b, at + 16), FlowSample.compactFormat(input),
                    FlowSample.compactValue(input), FlowSample.compactFormat(output), FlowSample.compactValue(output),
                    flowRecords(b, at + size, end, n, at + 28, unknown));
        }
        return s;
    }

    private DiscardedPacket discardedPacket(byte[] b, int at, int end, int[] unknown) throws DecodeException {
        Xdr.require(b, at, DiscardedPacket.SIZE, end, DecodeException.Reason.BAD_LENGTH, "discarded packet sample");
        return new DiscardedPacket(Xdr.u32(b, at), Xdr.u32(b, at + 4), Xdr.u32(b, at + 8), Xdr.u32(b, at + 12),
                Xdr.u32(b, at + 16), Xdr.u32(b, at + 20), Xdr.u32(b, at + 24),
                flowRecords(b, at + DiscardedPacket.SIZE, end, Xdr.u32(b, at + 28), at + 28, unknown));
    }

    private CounterSample counterSample(byte[] b, int at, int end, boolean expanded, int[] unknown)
            throws DecodeException {
        int size = expanded ? CounterSample.EXPANDED_SIZE : CounterSample.COMPACT_SIZE;
        Xdr.require(b, at, size, end, DecodeException.Reason.BAD_LENGTH,
                expanded ? "expanded counter sample" : "counter sample");
        long type;
        long index;
        if (expanded) {
            type = Xdr.u32(b, at + 4);
            index = Xdr.u32(b, at + 8);
        } else {
            long sourceId = Xdr.u32(b, at + 4);
            type = sourceId >>> 24;
            index = sourceId & 0xFFFFFF;
        }
        int countAt = at + size - 4;
        long n = Xdr.u32(b, countAt);
        checkRecordCount(b, n, countAt);
        List<CounterData> records = new ArrayList<>((int) n);
        int p = at + size;
        for (long i = 0; i < n; i++) {
            Xdr.require(b, p, 8, end, DecodeException.Reason.BAD_LENGTH, "counter record header");
            long format = Xdr.u32(b, p);
            long length = Xdr.u32(b, p + 4);
            int from = p + 8;
            Xdr.require(b, from, length, end, DecodeException.Reason.BAD_LENGTH, "counter record");
            int to = from + (int) length;
            CounterData c = switch (DataFormat.standard(format)) {
                case DataFormat.COUNTERS_GENERIC -> GenericInterfaceCounters.parse(b, from, to);
                case DataFormat.COUNTERS_ETHERNET -> EthernetCounters.parse(b, from, to);
                default -> null;
            };
            if (c == null) {
                unknown[1]++;
            } else {
                records.add(c);
            }
            p = to;
        }
        return new CounterSample(expanded, Xdr.u32(b, at), type, index, records);
    }

    private List<FlowData> flowRecords(byte[] b, int at, int end, long n, int countAt, int[] unknown)
            throws DecodeException {
        checkRecordCount(b, n, countAt);
        List<FlowData> records = new ArrayList<>((int) n);
        int p = at;
        for (long i = 0; i < n; i++) {
            int to = flowRecordEnd(b, p, end);
            FlowData r = flowRecord(Xdr.u32(b, p), b, p + 8, to);
            if (r == null) {
                unknown[1]++;
            } else {
                records.add(r);
            }
            p = to;
        }
        return records;
    }

    /**
     * The end of the flow record whose format and length words start at {@code at}, checked
     * against its sample's {@code end}.
     */
    public static int flowRecordEnd(byte[] b, int at, int end) throws DecodeException {
        Xdr.require(b, at, 8, end, DecodeException.Reason.BAD_LENGTH, "flow record header");
        long length = Xdr.u32(b, at + 4);
        int from = at + 8;
        Xdr.require(b, from, length, end, DecodeException.Reason.BAD_LENGTH, "flow record");
        return from + (int) length;
    }

    /** The flow record of {@code format} in {@code b[at, end)}, or null for an unknown format. */
    public static FlowData flowRecord(long format, byte[] b, int at, int end) throws DecodeException {
        return switch (DataFormat.standard(format)) {
            case DataFormat.FLOW_HEADER -> SampledHeader.parse(b, at, end);
            case DataFormat.FLOW_ETHERNET -> SampledEthernet.parse(b, at, end);
            case DataFormat.FLOW_IPV4 -> SampledIpv4.parse(b, at, end);
            case DataFormat.FLOW_IPV6 -> SampledIpv6.parse(b, at, end);
            case DataFormat.FLOW_EX_SWITCH -> ExtendedSwitch.parse(b, at, end);
            case DataFormat.FLOW_EX_ROUTER -> ExtendedRouter.parse(b, at, end);
            case DataFormat.FLOW_EX_GATEWAY -> ExtendedGateway.parse(b, at, end);
            default -> null;
        };
    }

    /** Throws {@code COUNT_TOO_LARGE} when a sample declares more records than allowed (counted at {@code countAt}). */
    public void checkRecordCount(byte[] b, long n, int countAt) throws DecodeException {
        if (n > maxRecords) {
            throw new DecodeException(DecodeException.Reason.COUNT_TOO_LARGE, countAt,
                    n + " records declared, at most " + maxRecords, b);
        }
    }
}
