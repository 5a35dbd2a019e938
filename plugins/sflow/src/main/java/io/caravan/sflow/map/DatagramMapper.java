package io.caravan.sflow.map;

import io.caravan.api.decode.DecodeException;
import io.caravan.api.flow.FlowRecord;
import io.caravan.sflow.wire.Addresses;
import io.caravan.sflow.wire.CounterSample;
import io.caravan.sflow.wire.DataFormat;
import io.caravan.sflow.wire.DatagramHeader;
import io.caravan.sflow.wire.DiscardedPacket;
import io.caravan.sflow.wire.ExtendedGateway;
import io.caravan.sflow.wire.ExtendedRouter;
import io.caravan.sflow.wire.ExtendedSwitch;
import io.caravan.sflow.wire.FlowData;
import io.caravan.sflow.wire.FlowSample;
import io.caravan.sflow.wire.Sample;
import io.caravan.sflow.wire.SampleLog;
import io.caravan.sflow.wire.SampledEthernet;
import io.caravan.sflow.wire.SampledHeader;
import io.caravan.sflow.wire.SampledIpv4;
import io.caravan.sflow.wire.SampledIpv6;
import io.caravan.sflow.wire.SflowDecoder;
import io.caravan.sflow.wire.Xdr;
import java.util.List;

/**
 * Decodes and maps a datagram's samples in one pass, for {@code decode-sflow}: the records are
 * those {@link FlowRecordMapper} makes of {@link SflowDecoder#decode(DatagramHeader, byte[])}'s
 * samples, and a malformed datagram throws the same {@link DecodeException}. Flow samples, the
 * bulk of sFlow, are read straight from the datagram into their {@link FlowRecord}: no sample,
 * record list or AS path objects in between, the raw header parsed where it lies. Counter and
 * discarded-packet samples go through the wire objects. Each sample is logged in a
 * {@link SampleLog} for the per-agent accounting. Stateless and thread-safe.
 */
public final class DatagramMapper {
    private final SflowDecoder decoder;
    private final FlowRecordMapper mapper;
    private final boolean emitCounters;

    /** @param emitCounters whether counter samples become records too */
    public DatagramMapper(SflowDecoder decoder, FlowRecordMapper mapper, boolean emitCounters) {
        this.decoder = decoder;
        this.mapper = mapper;
        this.emitCounters = emitCounters;
    }

    /**
     * Appends the records of the samples after {@code h} to {@code out} and logs every sample in
     * {@code log} (cleared first). On a {@link DecodeException}, {@code out} may hold some of the
     * datagram's records and {@code log} part of its samples: the caller drops both.
     *
     * @param sampler    the agent address (shared by the datagram's records)
     * @param receivedNs when the datagram arrived, epoch nanoseconds
     */
    public void map(DatagramHeader h, byte[] b, byte[] sampler, long receivedNs, List<FlowRecord> out, SampleLog log)
            throws DecodeException {
        decoder.checkSampleCount(h, b);
        log.clear();
        int[] unknown = log.unknownCounts();
        int at = h.samplesOffset();
        for (long i = 0; i < h.sampleCount(); i++) {
            int sampleEnd = SflowDecoder.sampleEnd(b, at);
            long format = Xdr.u32(b, at);
            int standard = DataFormat.standard(format);
            if (standard == DataFormat.SAMPLE_FLOW || standard == DataFormat.SAMPLE_FLOW_EXPANDED) {
                out.add(flow(b, at + 8, sampleEnd, standard == DataFormat.SAMPLE_FLOW_EXPANDED, h, sampler,
                        receivedNs, log));
            } else {
                Sample s = decoder.sample(format, b, at + 8, sampleEnd, unknown);
                if (s instanceof CounterSample c) {
                    log.add(c);
                    if (emitCounters) {
                        out.add(mapper.counters(c, h, sampler, receivedNs));
                    }
                } else if (s instanceof DiscardedPacket p) {
                    log.add(SampleLog.DISCARD, p.sequence(), p.sourceIdType(), p.sourceIdIndex(), p.drops(), null);
                    out.add(mapper.discarded(p, h, sampler, receivedNs));
                } else {
                    unknown[0]++;
                }
            }
            at = sampleEnd;
        }
    }

    /** A flow sample in {@code b[at, end)}, checked as {@code SflowDecoder} checks it. */
    private FlowRecord flow(byte[] b, int at, int end, boolean expanded, DatagramHeader h, byte[] sampler,
                            long receivedNs, SampleLog log) throws DecodeException {
        int size = expanded ? FlowSample.EXPANDED_SIZE : FlowSample.COMPACT_SIZE;
        Xdr.require(b, at, size, end, DecodeException.Reason.BAD_LENGTH,
                expanded ? "expanded flow sample" : "flow sample");
        long sourceType;
        long sourceIndex;
        long inputValue;
        int outputFormat;
        long outputValue;
        if (expanded) {
            sourceType = Xdr.u32(b, at + 4);
            sourceIndex = Xdr.u32(b, at + 8);
            inputValue = Xdr.u32(b, at + 28);
            outputFormat = (int) Xdr.u32(b, at + 32);
            outputValue = Xdr.u32(b, at + 36);
        } else {
            long sourceId = Xdr.u32(b, at + 4);
            sourceType = sourceId >>> 24;
            sourceIndex = sourceId & 0xFFFFFF;
            inputValue = FlowSample.compactValue(Xdr.u32(b, at + 20));
            long output = Xdr.u32(b, at + 24);
            outputFormat = FlowSample.compactFormat(output);
            outputValue = FlowSample.compactValue(output);
        }
        long sequence = Xdr.u32(b, at);
        long samplingRate = Xdr.u32(b, expanded ? at + 12 : at + 8);
        long drops = Xdr.u32(b, expanded ? at + 20 : at + 16);
        int countAt = at + size - 4;
        long n = Xdr.u32(b, countAt);
        decoder.checkRecordCount(b, n, countAt);
        FlowRecord r = mapper.flow(h, sampler, receivedNs, sequence, samplingRate, inputValue, outputFormat,
                outputValue);
        records(r, b, at + size, end, n, log.unknownCounts());
        log.add(SampleLog.FLOW, sequence, sourceType, sourceIndex, drops, null);
        return r;
    }

    /** The sample's {@code n} flow records from {@code at}, applied as {@link FlowRecordMapper} applies them. */
    private void records(FlowRecord r, byte[] b, int at, int end, long n, int[] unknown) throws DecodeException {
        boolean header = false;
        SampledEthernet ethernet = null;
        SampledIpv4 ipv4 = null;
        SampledIpv6 ipv6 = null;
        int p = at;
        for (long i = 0; i < n; i++) {
            int to = SflowDecoder.flowRecordEnd(b, p, end);
            int from = p + 8;
            long format = Xdr.u32(b, p);
            switch (DataFormat.standard(format)) {
                case DataFormat.FLOW_HEADER -> {
                    SampledHeader s = SampledHeader.parse(b, from, to);
                    if (!header) {
                        header = true;
                        mapper.header(r, s.headerProtocol(), s.frameLength(), s.stripped(), b, s.offset(),
                                s.headerLength());
                    }
                }
                case DataFormat.FLOW_EX_SWITCH -> FlowRecordMapper.extendedSwitch(r, ExtendedSwitch.parse(b, from, to));
                case DataFormat.FLOW_EX_ROUTER -> FlowRecordMapper.router(r, ExtendedRouter.parse(b, from, to));
                case DataFormat.FLOW_EX_GATEWAY -> gateway(r, b, from, to);
                default -> {
                    FlowData d = SflowDecoder.flowRecord(format, b, from, to);
                    if (d instanceof SampledEthernet e) {
                        ethernet = e;
                    } else if (d instanceof SampledIpv4 ip) {
                        ipv4 = ip;
                    } else if (d instanceof SampledIpv6 ip) {
                        ipv6 = ip;
                    } else {
                        unknown[1]++;
                    }
                }
            }
            p = to;
        }
        FlowRecordMapper.sampled(r, header, ethernet, ipv4, ipv6);
    }

    /**
     * Extended gateway data (format 1003) checked by {@link ExtendedGateway#check}, then mapped as
     * {@link FlowRecordMapper} maps it, reading the AS path twice instead of building it.
     */
    private static void gateway(FlowRecord r, byte[] b, int at, int end) throws DecodeException {
        int communitiesCount = ExtendedGateway.check(b, at, end);
        byte[] nextHop = Addresses.readChecked(b, at);
        int p = at + Addresses.size(b, at);
        long as = Xdr.u32(b, p);
        long srcAs = Xdr.u32(b, p + 4);
        long segments = Xdr.u32(b, p + 12);
        int pathAt = p + 16;
        int asns = 0;
        for (int i = 0, q = pathAt; i < segments; i++) {
            int count = (int) Xdr.u32(b, q + 4);
            asns += count;
            q += 8 + 4 * count;
        }
        long communities = Xdr.u32(b, communitiesCount);
        int communitiesAt = communitiesCount + 4;
        r.bgpNextHop(nextHop).srcAs(srcAs > 0 ? srcAs : as);
        if (asns == 0) {
            r.dstAs(as);
        } else {
            List<Long> path = segments == 1 && asns == 1 ? List.of(Xdr.u32(b, pathAt + 8))
                    : asPath(b, pathAt, segments, asns);
            r.dstAs(path.get(asns - 1)).nextHopAs(path.get(0)).attribute(FlowRecordMapper.ATTR_AS_PATH, path);
        }
        if (communities > 0) {
            Long[] values = new Long[(int) communities];
            for (int j = 0; j < values.length; j++) {
                values[j] = Xdr.u32(b, communitiesAt + 4 * j);
            }
            r.attribute(FlowRecordMapper.ATTR_COMMUNITIES, List.of(values));
        }
    }

    /** The ASNs of the {@code segments} checked AS path segments at {@code at}, concatenated. */
    private static List<Long> asPath(byte[] b, int at, long segments, int asns) {
        Long[] path = new Long[asns];
        int k = 0;
        int p = at;
        for (long i = 0; i < segments; i++) {
            int count = (int) Xdr.u32(b, p + 4);
            p += 8;
            for (int j = 0; j < count; j++) {
                path[k++] = Xdr.u32(b, p + 4 * j);
            }
            p += 4 * count;
        }
        return List.of(path);
    }
}
