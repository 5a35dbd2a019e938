package io.caravan.sflow.map;

import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.sflow.header.HeaderParser;
import io.caravan.sflow.wire.CounterData;
import io.caravan.sflow.wire.CounterSample;
import io.caravan.sflow.wire.DatagramHeader;
import io.caravan.sflow.wire.DiscardedPacket;
import io.caravan.sflow.wire.EthernetCounters;
import io.caravan.sflow.wire.ExtendedGateway;
import io.caravan.sflow.wire.ExtendedRouter;
import io.caravan.sflow.wire.ExtendedSwitch;
import io.caravan.sflow.wire.FlowData;
import io.caravan.sflow.wire.FlowSample;
import io.caravan.sflow.wire.GenericInterfaceCounters;
import io.caravan.sflow.wire.SampledEthernet;
import io.caravan.sflow.wire.SampledHeader;
import io.caravan.sflow.wire.SampledIpv4;
import io.caravan.sflow.wire.SampledIpv6;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Turns decoded sFlow samples into {@link FlowRecord}s, goflow2's producer_sf.go made explicit.
 * One record per flow sample, one per discarded-packet sample, and (when asked) one per counter
 * sample. Bytes and packets are as sampled, never multiplied by the sampling rate.
 *
 * <p><b>Byte count:</b> with a raw packet header, {@code bytes = frame_length − stripped}: the
 * layer-2 frame as it was on the wire minus what the agent stripped, which for Ethernet is the
 * frame without its 4-byte FCS (when stripped exceeds frame_length, frame_length). Without one,
 * the sampled IPv4/IPv6 record's length (the IP packet) or else the sampled Ethernet record's
 * length (FCS included). Stateless and thread-safe.
 */
public final class FlowRecordMapper {
    /** AS path, every segment's ASNs in order, as a list of Long (extended gateway). */
    public static final String ATTR_AS_PATH = "as_path";
    /** BGP communities, each a 32-bit value, as a list of Long (extended gateway). */
    public static final String ATTR_COMMUNITIES = "communities";
    /** Why the packet was dropped: output interface format 1 value, or a discarded-packet sample's reason (Long). */
    public static final String ATTR_DISCARD_REASON = "discard_reason";
    /** Output interface format 2: how many output interfaces (0 unknown), as Long. */
    public static final String ATTR_OUTPUT_INTERFACES = "output_interfaces";
    /** Set on records that are not flow samples: {@value #SAMPLE_COUNTERS} or {@value #SAMPLE_DISCARD}. */
    public static final String ATTR_SAMPLE_TYPE = "sample_type";
    public static final String SAMPLE_COUNTERS = "counters";
    public static final String SAMPLE_DISCARD = "discard";
    public static final String ATTR_SOURCE_ID_TYPE = "source_id_type";
    public static final String ATTR_SOURCE_ID_INDEX = "source_id_index";
    /**
     * The sampled frame (byte[], a copy of the raw packet header: possibly truncated, FCS
     * stripped as the agent did), set only when frames are kept. Any sink that mirrors packets
     * (erspan:) reads it.
     */
    public static final String ATTR_FRAME = "frame";
    /**
     * The frame's original length without what the agent stripped (Long, frame_length − stripped:
     * for Ethernet the frame without FCS), so {@code frame.length < frame_length} means truncated.
     */
    public static final String ATTR_FRAME_LENGTH = "frame_length";
    /** What the frame starts with (Long, sFlow header_protocol: 1 Ethernet, 11 IPv4, 12 IPv6, 13 MPLS, ...). */
    public static final String ATTR_FRAME_PROTOCOL = "frame_protocol";

    private final HeaderParser headers;
    private final boolean keepFrames;

    public FlowRecordMapper() {
        this(new HeaderParser(), false);
    }

    /** @param keepFrames whether flow and discard records carry their raw header's bytes ({@link #ATTR_FRAME}) */
    public FlowRecordMapper(boolean keepFrames) {
        this(new HeaderParser(), keepFrames);
    }

    public FlowRecordMapper(HeaderParser headers, boolean keepFrames) {
        this.headers = headers;
        this.keepFrames = keepFrames;
    }

    /**
     * A flow sample's record.
     *
     * @param sampler    the agent address (shared by the datagram's records)
     * @param receivedNs when the datagram arrived, epoch nanoseconds
     */
    public FlowRecord flow(FlowSample s, DatagramHeader h, byte[] sampler, long receivedNs) {
        FlowRecord r = flow(h, sampler, receivedNs, s.sequence(), s.samplingRate(), s.inputValue(), s.outputFormat(),
                s.outputValue());
        records(r, s.records());
        return r;
    }

    /** A flow sample's record from its fixed part, before its flow records are applied. */
    FlowRecord flow(DatagramHeader h, byte[] sampler, long receivedNs, long sequence, long samplingRate,
                    long inputValue, int outputFormat, long outputValue) {
        FlowRecord r = base(h, sampler, receivedNs).sequenceNum(sequence).samplingRate(samplingRate).packets(1)
                .inIf(inputValue);
        switch (outputFormat) {
            case FlowSample.IF_DISCARDED -> r.attribute(ATTR_DISCARD_REASON, outputValue);
            case FlowSample.IF_MULTIPLE -> r.attribute(ATTR_OUTPUT_INTERFACES, outputValue);
            default -> r.outIf(outputValue);
        }
        return r;
    }

    /** A discarded-packet sample's record: attributes {@code sample_type=discard} and {@code discard_reason}. */
    public FlowRecord discarded(DiscardedPacket d, DatagramHeader h, byte[] sampler, long receivedNs) {
        FlowRecord r = base(h, sampler, receivedNs).sequenceNum(d.sequence()).packets(1).inIf(d.input())
                .outIf(d.output()).attribute(ATTR_SAMPLE_TYPE, SAMPLE_DISCARD).attribute(ATTR_DISCARD_REASON, d.reason());
        records(r, d.records());
        return r;
    }

    /**
     * A counter sample as a record: no bytes or packets; inIf = the generic record's ifIndex;
     * attributes {@code sample_type=counters}, {@code source_id_type}, {@code source_id_index} and
     * every counter field ({@link CounterFields}).
     */
    public FlowRecord counters(CounterSample c, DatagramHeader h, byte[] sampler, long receivedNs) {
        FlowRecord r = base(h, sampler, receivedNs).sequenceNum(c.sequence()).attribute(ATTR_SAMPLE_TYPE, SAMPLE_COUNTERS)
                .attribute(ATTR_SOURCE_ID_TYPE, c.sourceIdType()).attribute(ATTR_SOURCE_ID_INDEX, c.sourceIdIndex());
        for (CounterData d : c.records()) {
            Map<String, Object> fields;
            if (d instanceof GenericInterfaceCounters g) {
                r.inIf(g.ifIndex());
                fields = CounterFields.generic(g);
            } else {
                fields = CounterFields.ethernet((EthernetCounters) d);
            }
            fields.forEach(r::attribute);
        }
        return r;
    }

    private static FlowRecord base(DatagramHeader h, byte[] sampler, long receivedNs) {
        return new FlowRecord().type(FlowType.SFLOW_5).timeReceivedNs(receivedNs).samplerAddress(sampler)
                .observationDomainId(h.subAgentId());
    }

    private void records(FlowRecord r, List<FlowData> records) {
        boolean header = false;
        SampledEthernet ethernet = null;
        SampledIpv4 ipv4 = null;
        SampledIpv6 ipv6 = null;
        for (FlowData d : records) {
            if (d instanceof SampledHeader h) {
                if (!header) {
                    header = true;
                    header(r, h.headerProtocol(), h.frameLength(), h.stripped(), h.data(), h.offset(), h.headerLength());
                }
            } else if (d instanceof SampledEthernet e) {
                ethernet = e;
            } else if (d instanceof SampledIpv4 ip) {
                ipv4 = ip;
            } else if (d instanceof SampledIpv6 ip) {
                ipv6 = ip;
            } else if (d instanceof ExtendedSwitch x) {
                extendedSwitch(r, x);
            } else if (d instanceof ExtendedRouter x) {
                router(r, x);
            } else if (d instanceof ExtendedGateway g) {
                gateway(r, g);
            }
        }
        sampled(r, header, ethernet, ipv4, ipv6);
    }

    /** A sample's first raw packet header: bytes, the header's layers, and the frame when kept. */
    void header(FlowRecord r, long protocol, long frameLength, long stripped, byte[] data, int offset, int length) {
        r.bytes(frameLength >= stripped ? frameLength - stripped : frameLength);
        headers.parse(protocol, data, offset, length, r);
        if (keepFrames) {
            r.attribute(ATTR_FRAME, Arrays.copyOfRange(data, offset, offset + length))
                    .attribute(ATTR_FRAME_LENGTH, r.bytes())
                    .attribute(ATTR_FRAME_PROTOCOL, protocol);
        }
    }

    static void extendedSwitch(FlowRecord r, ExtendedSwitch x) {
        r.srcVlan((int) x.srcVlan()).dstVlan((int) x.dstVlan());
    }

    static void router(FlowRecord r, ExtendedRouter x) {
        r.nextHop(x.nextHop()).srcNet((int) x.srcMaskLen()).dstNet((int) x.dstMaskLen());
    }

    /**
     * After all of a sample's records: the last sampled Ethernet record when there was no raw
     * header, then the last sampled IPv4 or IPv6 record when no header gave addresses.
     */
    static void sampled(FlowRecord r, boolean header, SampledEthernet ethernet, SampledIpv4 ipv4, SampledIpv6 ipv6) {
        if (!header && ethernet != null) {
            r.bytes(ethernet.length()).srcMac(ethernet.srcMac()).dstMac(ethernet.dstMac()).etype((int) ethernet.etherType());
        }
        if (r.srcAddr() == null) {
            if (ipv4 != null) {
                r.etype(0x0800).srcAddr(ipv4.srcAddress()).dstAddr(ipv4.dstAddress()).proto((int) ipv4.protocol())
                        .srcPort((int) ipv4.srcPort()).dstPort((int) ipv4.dstPort()).tcpFlags((int) ipv4.tcpFlags())
                        .ipTos((int) ipv4.tos());
                if (!header) {
                    r.bytes(ipv4.length());
                }
            } else if (ipv6 != null) {
                r.etype(0x86DD).srcAddr(ipv6.srcAddress()).dstAddr(ipv6.dstAddress()).proto((int) ipv6.protocol())
                        .srcPort((int) ipv6.srcPort()).dstPort((int) ipv6.dstPort()).tcpFlags((int) ipv6.tcpFlags())
                        .ipTos((int) ipv6.priority());
                if (!header) {
                    r.bytes(ipv6.length());
                }
            }
        }
    }

    /**
     * goflow2's reading: bgpNextHop = next hop; srcAs = src_as, or the router's AS when 0; dstAs =
     * the path's last ASN, or the router's AS when the path is empty; nextHopAs = the path's first ASN.
     */
    private static void gateway(FlowRecord r, ExtendedGateway g) {
        long[] path = g.flatAsPath();
        r.bgpNextHop(g.nextHop()).srcAs(g.srcAs() > 0 ? g.srcAs() : g.as())
                .dstAs(path.length > 0 ? path[path.length - 1] : g.as());
        if (path.length > 0) {
            r.nextHopAs(path[0]).attribute(ATTR_AS_PATH, longs(path));
        }
        if (g.communities().length > 0) {
            r.attribute(ATTR_COMMUNITIES, longs(g.communities()));
        }
    }

    private static List<Long> longs(long[] values) {
        List<Long> out = new ArrayList<>(values.length);
        for (long v : values) {
            out.add(v);
        }
        return List.copyOf(out);
    }
}
