package io.caravan.traffic.datagram;

import io.caravan.traffic.packet.PacketBuilder;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds sFlow v5 datagrams by field name (XDR, big endian, opaque data zero-padded to 4 bytes),
 * after sFlow version 5 (sflow.org/sflow_version_5.txt) and sflowtool's {@code sflow.h}.
 *
 * <pre>{@code
 * byte[] d = SflowBuilder.datagram().agent("192.0.2.1").subAgentId(0).sequence(7).uptimeMs(60_000)
 *     .flowSample(s -> s.sequence(1).sourceId(0, 3).samplingRate(1000).samplePool(1000).input(3).output(4)
 *         .rawHeader(frame, 128)
 *         .extendedSwitch(x -> x.srcVlan(10).dstVlan(20)))
 *     .counterSample(c -> c.sequence(1).sourceId(0, 3).genericInterface(i -> i.ifIndex(3).ifInOctets(1000)))
 *     .build();
 * }</pre>
 *
 * Every length and count is computed; the {@code declaredLength}, {@code recordCount},
 * {@code sampleCount}, {@code version} and {@code agentAddressType} overrides exist to build
 * malformed datagrams for decoder tests.
 */
public final class SflowBuilder {
    public static final int VERSION_5 = 5;

    public static final int ADDRESS_UNKNOWN = 0;
    public static final int ADDRESS_IPV4 = 1;
    public static final int ADDRESS_IPV6 = 2;

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

    public static final int HEADER_ETHERNET = 1;
    public static final int HEADER_IPV4 = 11;
    public static final int HEADER_IPV6 = 12;
    public static final int HEADER_MPLS = 13;

    /** Interface format (top 2 bits of a compact interface word): an ifIndex. */
    public static final int IF_FORMAT_INDEX = 0;
    /** Interface format: the packet was discarded; the value is the reason. */
    public static final int IF_FORMAT_DISCARDED = 1;
    /** Interface format: several output interfaces; the value is their count (0 unknown). */
    public static final int IF_FORMAT_MULTIPLE = 2;
    /** Interface value for "internal to the agent" (host sFlow). */
    public static final long IF_INTERNAL = 0x3FFFFFFFL;

    /** Bytes added to a frame's length for the FCS that sFlow agents count and strip. */
    public static final int FCS = 4;

    private int version = VERSION_5;
    private int agentAddressType = -1;
    private byte[] agent = {(byte) 192, 0, 2, 1};
    private long subAgentId;
    private long sequence = 1;
    private long uptimeMs = 1000;
    private int sampleCount = -1;
    private final List<Consumer<Xdr>> samples = new ArrayList<>();
    private long nextFlowSampleSequence = 1;

    public SflowBuilder() {
    }

    public static SflowBuilder datagram() {
        return new SflowBuilder();
    }

    // ---- datagram header -----------------------------------------------------------------------

    /** Datagram version (5; anything else only for malformed-datagram tests). */
    public SflowBuilder version(int version) {
        this.version = version;
        return this;
    }

    /** Agent address, 4 or 16 bytes; the address type follows from the length. */
    public SflowBuilder agent(byte[] address) {
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("an agent address has 4 or 16 bytes");
        }
        this.agent = address.clone();
        return this;
    }

    public SflowBuilder agent(InetAddress address) {
        return agent(address.getAddress());
    }

    /** A numeric IPv4 or IPv6 literal. */
    public SflowBuilder agent(String address) {
        return agent(address(address));
    }

    /** Writes this agent address type instead of the one the address implies (0 writes no address bytes). */
    public SflowBuilder agentAddressType(int type) {
        this.agentAddressType = type;
        return this;
    }

    public SflowBuilder subAgentId(long id) {
        this.subAgentId = id;
        return this;
    }

    /** Datagram sequence number (per agent and sub-agent). */
    public SflowBuilder sequence(long sequence) {
        this.sequence = sequence;
        return this;
    }

    /** Agent uptime in milliseconds. */
    public SflowBuilder uptimeMs(long uptimeMs) {
        this.uptimeMs = uptimeMs;
        return this;
    }

    /** Writes this sample count instead of the number of samples added. */
    public SflowBuilder sampleCount(int count) {
        this.sampleCount = count;
        return this;
    }

    /** The sequence number {@link #addFlowSample} gives its next sample (then counts up). */
    public SflowBuilder flowSampleSequence(long next) {
        this.nextFlowSampleSequence = next;
        return this;
    }

    // ---- samples -------------------------------------------------------------------------------

    /** A compact flow sample (format 1). */
    public SflowBuilder flowSample(Consumer<FlowSample> sample) {
        FlowSample s = new FlowSample(false);
        sample.accept(s);
        samples.add(s::write);
        return this;
    }

    /** An expanded flow sample (format 3). */
    public SflowBuilder expandedFlowSample(Consumer<FlowSample> sample) {
        FlowSample s = new FlowSample(true);
        sample.accept(s);
        samples.add(s::write);
        return this;
    }

    /** A compact counter sample (format 2). */
    public SflowBuilder counterSample(Consumer<CounterSample> sample) {
        CounterSample s = new CounterSample(false);
        sample.accept(s);
        samples.add(s::write);
        return this;
    }

    /** An expanded counter sample (format 4). */
    public SflowBuilder expandedCounterSample(Consumer<CounterSample> sample) {
        CounterSample s = new CounterSample(true);
        sample.accept(s);
        samples.add(s::write);
        return this;
    }

    /** A discarded-packet event sample (format 5, sFlow drop monitoring). */
    public SflowBuilder discardedPacket(Consumer<DiscardedPacket> sample) {
        DiscardedPacket s = new DiscardedPacket();
        sample.accept(s);
        samples.add(s::write);
        return this;
    }

    /** A sample of any enterprise and format with an opaque body (for skip tests). */
    public SflowBuilder unknownSample(int enterprise, int format, byte[] body) {
        byte[] b = body.clone();
        samples.add(out -> out.tlv(dataFormat(enterprise, format), -1, x -> x.bytes(b)));
        return this;
    }

    /** A sample written as given: data format word, declared length (whatever the body's), body bytes. */
    public SflowBuilder rawSample(int dataFormat, int declaredLength, byte[] body) {
        byte[] b = body.clone();
        samples.add(out -> {
            out.u32(dataFormat);
            out.u32(declaredLength);
            out.bytes(b);
        });
        return this;
    }

    /**
     * A compact flow sample of one packet of {@code flow}: an Ethernet/IPv4-or-IPv6/TCP, UDP or
     * ICMP frame whose length (without FCS) is about {@code bytes / packets} (never less than its
     * headers), carried as a raw header record cut to {@code headerBytes}, with frame_length =
     * frame + 4 (FCS) and stripped = 4. Also an extended router record when the flow has a next
     * hop or masks, and an extended gateway record (AS path = [dstAs]) when it has AS numbers.
     * Source id is ifIndex {@code inIf}; the sample sequence counts up from
     * {@link #flowSampleSequence} and the sample pool is sequence × rate.
     */
    public SflowBuilder addFlowSample(SyntheticFlow f, int samplingRate, int headerBytes) {
        byte[] frame = packetOf(f);
        long seq = nextFlowSampleSequence++;
        return flowSample(s -> {
            s.sequence(seq).sourceId(0, f.inIf()).samplingRate(samplingRate).samplePool(seq * samplingRate)
                    .input(f.inIf()).output(f.outIf()).rawHeader(frame, headerBytes);
            if (f.nextHop() != null || f.srcMask() != 0 || f.dstMask() != 0) {
                byte[] nh = f.nextHop() != null ? f.nextHop() : new byte[f.srcAddr().length];
                s.extendedRouter(r -> r.nextHop(nh).srcMaskLen(f.srcMask()).dstMaskLen(f.dstMask()));
            }
            if (f.srcAs() != 0 || f.dstAs() != 0) {
                byte[] nh = f.nextHop() != null ? f.nextHop() : new byte[f.srcAddr().length];
                s.extendedGateway(g -> {
                    g.nextHop(nh).srcAs(f.srcAs());
                    if (f.dstAs() != 0) {
                        g.asSequence(f.dstAs());
                    }
                });
            }
        });
    }

    /** The Ethernet frame {@link #addFlowSample} samples for {@code f} (no FCS). */
    public static byte[] packetOf(SyntheticFlow f) {
        PacketBuilder p = PacketBuilder.ethernet().ip(f.srcAddr(), f.dstAddr()).tos(f.tos());
        switch (f.proto()) {
            case PacketBuilder.PROTO_TCP -> p.tcp(f.srcPort(), f.dstPort()).tcpFlags(f.tcpFlags());
            case PacketBuilder.PROTO_UDP -> p.udp(f.srcPort(), f.dstPort());
            case PacketBuilder.PROTO_ICMP -> p.icmp(f.dstPort() >>> 8, f.dstPort() & 0xFF);
            case PacketBuilder.PROTO_ICMPV6 -> p.icmpv6(f.dstPort() >>> 8, f.dstPort() & 0xFF);
            default -> p.protocol(f.proto());
        }
        int base = p.build().length;
        long average = f.packets() > 0 ? f.bytes() / f.packets() : f.bytes();
        int payload = (int) Math.max(0, Math.min(average - base, 9000));
        return p.payloadSize(payload).build();
    }

    // ---- build ---------------------------------------------------------------------------------

    public byte[] build() {
        Xdr out = new Xdr();
        out.u32(version);
        int type = agentAddressType >= 0 ? agentAddressType : agent.length == 4 ? ADDRESS_IPV4 : ADDRESS_IPV6;
        out.u32(type);
        if (type != ADDRESS_UNKNOWN) {
            out.bytes(agent);
        }
        out.u32(subAgentId);
        out.u32(sequence);
        out.u32(uptimeMs);
        out.u32(sampleCount >= 0 ? sampleCount : samples.size());
        samples.forEach(s -> s.accept(out));
        return out.toByteArray();
    }

    /** enterprise (20 bits) &lt;&lt; 12 | format (12 bits). */
    public static int dataFormat(int enterprise, int format) {
        return (enterprise << 12) | (format & 0xFFF);
    }

    // ---- sample builders -----------------------------------------------------------------------

    /** Flow records shared by flow samples and discarded-packet samples. */
    public abstract static class Records<T extends Records<T>> {
        final List<Consumer<Xdr>> records = new ArrayList<>();
        int recordCount = -1;
        int declaredLength = -1;

        abstract T self();

        /** Writes this record count instead of the number of records added. */
        public T recordCount(int count) {
            this.recordCount = count;
            return self();
        }

        /** Writes this sample length instead of the real one. */
        public T declaredLength(int length) {
            this.declaredLength = length;
            return self();
        }

        /**
         * A raw Ethernet header record from a whole frame (without FCS): header_protocol 1,
         * frame_length = frame + 4, stripped = 4, header = the first {@code headerLength} bytes.
         */
        public T rawHeader(byte[] frame, int headerLength) {
            return rawHeader(h -> h.frame(frame, headerLength));
        }

        /** A raw packet header record (format 1) by field. */
        public T rawHeader(Consumer<RawHeader> header) {
            RawHeader h = new RawHeader();
            header.accept(h);
            return record(FLOW_HEADER, h.declaredLength, h::write);
        }

        /** A sampled Ethernet record (format 2). */
        public T sampledEthernet(Consumer<SampledEthernet> record) {
            SampledEthernet e = new SampledEthernet();
            record.accept(e);
            return record(FLOW_ETHERNET, -1, e::write);
        }

        /** A sampled IPv4 record (format 3). */
        public T sampledIpv4(Consumer<SampledIp> record) {
            SampledIp r = new SampledIp(4);
            record.accept(r);
            return record(FLOW_IPV4, r.declaredLength, r::write);
        }

        /** A sampled IPv6 record (format 4). */
        public T sampledIpv6(Consumer<SampledIp> record) {
            SampledIp r = new SampledIp(16);
            record.accept(r);
            return record(FLOW_IPV6, r.declaredLength, r::write);
        }

        /** An extended switch record (format 1001). */
        public T extendedSwitch(Consumer<ExtendedSwitch> record) {
            ExtendedSwitch r = new ExtendedSwitch();
            record.accept(r);
            return record(FLOW_EX_SWITCH, -1, r::write);
        }

        /** An extended router record (format 1002). */
        public T extendedRouter(Consumer<ExtendedRouter> record) {
            ExtendedRouter r = new ExtendedRouter();
            record.accept(r);
            return record(FLOW_EX_ROUTER, -1, r::write);
        }

        /** An extended gateway record (format 1003). */
        public T extendedGateway(Consumer<ExtendedGateway> record) {
            ExtendedGateway r = new ExtendedGateway();
            record.accept(r);
            return record(FLOW_EX_GATEWAY, -1, r::write);
        }

        /** A flow record of any enterprise and format with an opaque body (for skip tests). */
        public T unknownRecord(int enterprise, int format, byte[] body) {
            byte[] b = body.clone();
            return record(dataFormat(enterprise, format), -1, x -> x.bytes(b));
        }

        /** A record written as given: data format word, declared length, body bytes. */
        public T rawRecord(int dataFormat, int declaredLength, byte[] body) {
            byte[] b = body.clone();
            records.add(out -> {
                out.u32(dataFormat);
                out.u32(declaredLength);
                out.bytes(b);
            });
            return self();
        }

        T record(int dataFormat, int declaredLength, Consumer<Xdr> body) {
            records.add(out -> out.tlv(dataFormat, declaredLength, body));
            return self();
        }

        void writeRecords(Xdr x) {
            x.u32(recordCount >= 0 ? recordCount : records.size());
            records.forEach(r -> r.accept(x));
        }
    }

    /** A flow sample, compact (format 1) or expanded (format 3). */
    public static final class FlowSample extends Records<FlowSample> {
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

        FlowSample(boolean expanded) {
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

        void write(Xdr out) {
            out.tlv(expanded ? SAMPLE_FLOW_EXPANDED : SAMPLE_FLOW, declaredLength, x -> {
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

    /** A discarded-packet sample (format 5): expanded source id, plain ifIndex input/output, reason. */
    public static final class DiscardedPacket extends Records<DiscardedPacket> {
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

        void write(Xdr out) {
            out.tlv(SAMPLE_DISCARDED_PACKET, declaredLength, x -> {
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

    /** A counter sample, compact (format 2) or expanded (format 4). */
    public static final class CounterSample {
        private final boolean expanded;
        private final List<Consumer<Xdr>> records = new ArrayList<>();
        private long sequence;
        private long sourceIdType;
        private long sourceIdIndex;
        private int recordCount = -1;
        private int declaredLength = -1;

        CounterSample(boolean expanded) {
            this.expanded = expanded;
        }

        public CounterSample sequence(long sequence) {
            this.sequence = sequence;
            return this;
        }

        public CounterSample sourceId(long type, long index) {
            this.sourceIdType = type;
            this.sourceIdIndex = index;
            return this;
        }

        public CounterSample recordCount(int count) {
            this.recordCount = count;
            return this;
        }

        public CounterSample declaredLength(int length) {
            this.declaredLength = length;
            return this;
        }

        /** Generic interface counters (format 1, 88 bytes). */
        public CounterSample genericInterface(Consumer<GenericInterface> counters) {
            GenericInterface c = new GenericInterface();
            counters.accept(c);
            records.add(out -> out.tlv(COUNTERS_GENERIC, -1, c::write));
            return this;
        }

        /** Ethernet interface counters (format 2, 52 bytes). */
        public CounterSample ethernet(Consumer<EthernetCounters> counters) {
            EthernetCounters c = new EthernetCounters();
            counters.accept(c);
            records.add(out -> out.tlv(COUNTERS_ETHERNET, -1, c::write));
            return this;
        }

        public CounterSample unknownRecord(int enterprise, int format, byte[] body) {
            byte[] b = body.clone();
            records.add(out -> out.tlv(dataFormat(enterprise, format), -1, x -> x.bytes(b)));
            return this;
        }

        /** A record written as given: data format word, declared length, body bytes. */
        public CounterSample rawRecord(int dataFormat, int declaredLength, byte[] body) {
            byte[] b = body.clone();
            records.add(out -> {
                out.u32(dataFormat);
                out.u32(declaredLength);
                out.bytes(b);
            });
            return this;
        }

        void write(Xdr out) {
            out.tlv(expanded ? SAMPLE_COUNTERS_EXPANDED : SAMPLE_COUNTERS, declaredLength, x -> {
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

    // ---- record builders -----------------------------------------------------------------------

    /** Raw packet header (flow record format 1). */
    public static final class RawHeader {
        private long headerProtocol = HEADER_ETHERNET;
        private long frameLength;
        private long stripped;
        private byte[] header = new byte[0];
        private int headerLengthOverride = -1;
        private int declaredLength = -1;

        /** header_protocol: 1 Ethernet, 11 IPv4, 12 IPv6, 13 MPLS, ... */
        public RawHeader headerProtocol(long protocol) {
            this.headerProtocol = protocol;
            return this;
        }

        /** Original frame length, FCS included. */
        public RawHeader frameLength(long length) {
            this.frameLength = length;
            return this;
        }

        /** Bytes removed before the header was taken (4 for a stripped FCS). */
        public RawHeader stripped(long stripped) {
            this.stripped = stripped;
            return this;
        }

        /** The header bytes, as given. */
        public RawHeader header(byte[] bytes) {
            this.header = bytes.clone();
            return this;
        }

        /** A whole frame without FCS: frame_length = frame + 4, stripped = 4, header = its first {@code headerLength} bytes. */
        public RawHeader frame(byte[] frame, int headerLength) {
            this.frameLength = frame.length + FCS;
            this.stripped = FCS;
            this.header = Arrays.copyOf(frame, Math.min(Math.max(headerLength, 0), frame.length));
            return this;
        }

        /** Writes this header_length instead of the header's real length. */
        public RawHeader headerLengthOverride(int length) {
            this.headerLengthOverride = length;
            return this;
        }

        /** Writes this record length instead of the real one. */
        public RawHeader declaredLength(int length) {
            this.declaredLength = length;
            return this;
        }

        void write(Xdr x) {
            x.u32(headerProtocol);
            x.u32(frameLength);
            x.u32(stripped);
            x.u32(headerLengthOverride >= 0 ? headerLengthOverride : header.length);
            x.bytes(header);
            x.pad();
        }
    }

    /** Sampled Ethernet frame (flow record format 2). */
    public static final class SampledEthernet {
        private long length;
        private long srcMac;
        private long dstMac;
        private long type;

        /** MAC frame length, FCS included. */
        public SampledEthernet length(long length) {
            this.length = length;
            return this;
        }

        public SampledEthernet srcMac(long mac) {
            this.srcMac = mac;
            return this;
        }

        public SampledEthernet dstMac(long mac) {
            this.dstMac = mac;
            return this;
        }

        public SampledEthernet type(long etherType) {
            this.type = etherType;
            return this;
        }

        void write(Xdr x) {
            x.u32(length);
            x.mac(srcMac);
            x.mac(dstMac);
            x.u32(type);
        }
    }

    /** Sampled IPv4 (format 3) or IPv6 (format 4) record. */
    public static final class SampledIp {
        private final int addressLength;
        private long length;
        private long protocol;
        private byte[] src;
        private byte[] dst;
        private long srcPort;
        private long dstPort;
        private long tcpFlags;
        private long tos;
        private int declaredLength = -1;

        SampledIp(int addressLength) {
            this.addressLength = addressLength;
            this.src = new byte[addressLength];
            this.dst = new byte[addressLength];
        }

        /** IP packet length (the IP header and what follows, no link layer). */
        public SampledIp length(long length) {
            this.length = length;
            return this;
        }

        public SampledIp protocol(long protocol) {
            this.protocol = protocol;
            return this;
        }

        public SampledIp src(String address) {
            return src(address(address));
        }

        public SampledIp src(byte[] address) {
            this.src = checked(address);
            return this;
        }

        public SampledIp dst(String address) {
            return dst(address(address));
        }

        public SampledIp dst(byte[] address) {
            this.dst = checked(address);
            return this;
        }

        public SampledIp srcPort(long port) {
            this.srcPort = port;
            return this;
        }

        public SampledIp dstPort(long port) {
            this.dstPort = port;
            return this;
        }

        public SampledIp tcpFlags(long flags) {
            this.tcpFlags = flags;
            return this;
        }

        /** IPv4 TOS; for IPv6 the priority (traffic class) field. */
        public SampledIp tos(long tos) {
            this.tos = tos;
            return this;
        }

        public SampledIp priority(long priority) {
            return tos(priority);
        }

        public SampledIp declaredLength(int length) {
            this.declaredLength = length;
            return this;
        }

        private byte[] checked(byte[] address) {
            if (address.length != addressLength) {
                throw new IllegalArgumentException("expected a " + addressLength + "-byte address");
            }
            return address.clone();
        }

        void write(Xdr x) {
            x.u32(length);
            x.u32(protocol);
            x.bytes(src);
            x.bytes(dst);
            x.u32(srcPort);
            x.u32(dstPort);
            x.u32(tcpFlags);
            x.u32(tos);
        }
    }

    /** Extended switch data (format 1001). */
    public static final class ExtendedSwitch {
        private long srcVlan;
        private long srcPriority;
        private long dstVlan;
        private long dstPriority;

        public ExtendedSwitch srcVlan(long vlan) {
            this.srcVlan = vlan;
            return this;
        }

        public ExtendedSwitch srcPriority(long priority) {
            this.srcPriority = priority;
            return this;
        }

        public ExtendedSwitch dstVlan(long vlan) {
            this.dstVlan = vlan;
            return this;
        }

        public ExtendedSwitch dstPriority(long priority) {
            this.dstPriority = priority;
            return this;
        }

        void write(Xdr x) {
            x.u32(srcVlan);
            x.u32(srcPriority);
            x.u32(dstVlan);
            x.u32(dstPriority);
        }
    }

    /** Extended router data (format 1002). */
    public static final class ExtendedRouter {
        private byte[] nextHop = new byte[4];
        private long srcMaskLen;
        private long dstMaskLen;

        public ExtendedRouter nextHop(String address) {
            return nextHop(address(address));
        }

        public ExtendedRouter nextHop(byte[] address) {
            this.nextHop = address.clone();
            return this;
        }

        public ExtendedRouter srcMaskLen(long bits) {
            this.srcMaskLen = bits;
            return this;
        }

        public ExtendedRouter dstMaskLen(long bits) {
            this.dstMaskLen = bits;
            return this;
        }

        void write(Xdr x) {
            x.address(nextHop);
            x.u32(srcMaskLen);
            x.u32(dstMaskLen);
        }
    }

    /** Extended gateway data (format 1003): BGP next hop, AS numbers, AS path segments, communities. */
    public static final class ExtendedGateway {
        /** AS path segment type: an unordered set. */
        public static final int AS_SET = 1;
        /** AS path segment type: an ordered sequence. */
        public static final int AS_SEQUENCE = 2;

        private byte[] nextHop = new byte[4];
        private long as;
        private long srcAs;
        private long srcPeerAs;
        private final List<long[]> segments = new ArrayList<>(); // [type, asn...]
        private long[] communities = new long[0];
        private long localPref;

        public ExtendedGateway nextHop(String address) {
            return nextHop(address(address));
        }

        public ExtendedGateway nextHop(byte[] address) {
            this.nextHop = address.clone();
            return this;
        }

        /** The router's own AS. */
        public ExtendedGateway as(long as) {
            this.as = as;
            return this;
        }

        public ExtendedGateway srcAs(long as) {
            this.srcAs = as;
            return this;
        }

        public ExtendedGateway srcPeerAs(long as) {
            this.srcPeerAs = as;
            return this;
        }

        /** Appends an AS_SEQUENCE segment (type 2) to the destination AS path. */
        public ExtendedGateway asSequence(long... asns) {
            return segment(AS_SEQUENCE, asns);
        }

        /** Appends an AS_SET segment (type 1) to the destination AS path. */
        public ExtendedGateway asSet(long... asns) {
            return segment(AS_SET, asns);
        }

        public ExtendedGateway segment(int type, long... asns) {
            long[] s = new long[asns.length + 1];
            s[0] = type;
            System.arraycopy(asns, 0, s, 1, asns.length);
            segments.add(s);
            return this;
        }

        /** BGP communities, each a 32-bit value (asn &lt;&lt; 16 | value). */
        public ExtendedGateway communities(long... communities) {
            this.communities = communities.clone();
            return this;
        }

        public ExtendedGateway localPref(long localPref) {
            this.localPref = localPref;
            return this;
        }

        void write(Xdr x) {
            x.address(nextHop);
            x.u32(as);
            x.u32(srcAs);
            x.u32(srcPeerAs);
            x.u32(segments.size());
            for (long[] s : segments) {
                x.u32(s[0]);
                x.u32(s.length - 1);
                for (int i = 1; i < s.length; i++) {
                    x.u32(s[i]);
                }
            }
            x.u32(communities.length);
            for (long c : communities) {
                x.u32(c);
            }
            x.u32(localPref);
        }
    }

    /** Generic interface counters (counter record format 1), named as in RFC 2863 / sFlow. */
    public static final class GenericInterface {
        private long ifIndex;
        private long ifType;
        private long ifSpeed;
        private long ifDirection;
        private long ifStatus;
        private long ifInOctets;
        private long ifInUcastPkts;
        private long ifInMulticastPkts;
        private long ifInBroadcastPkts;
        private long ifInDiscards;
        private long ifInErrors;
        private long ifInUnknownProtos;
        private long ifOutOctets;
        private long ifOutUcastPkts;
        private long ifOutMulticastPkts;
        private long ifOutBroadcastPkts;
        private long ifOutDiscards;
        private long ifOutErrors;
        private long ifPromiscuousMode;

        public GenericInterface ifIndex(long v) { ifIndex = v; return this; }
        public GenericInterface ifType(long v) { ifType = v; return this; }
        /** Bits per second (u64). */
        public GenericInterface ifSpeed(long v) { ifSpeed = v; return this; }
        /** 0 unknown, 1 full duplex, 2 half duplex, 3 in, 4 out. */
        public GenericInterface ifDirection(long v) { ifDirection = v; return this; }
        /** Bit 0 admin up, bit 1 operational up. */
        public GenericInterface ifStatus(long v) { ifStatus = v; return this; }
        public GenericInterface ifInOctets(long v) { ifInOctets = v; return this; }
        public GenericInterface ifInUcastPkts(long v) { ifInUcastPkts = v; return this; }
        public GenericInterface ifInMulticastPkts(long v) { ifInMulticastPkts = v; return this; }
        public GenericInterface ifInBroadcastPkts(long v) { ifInBroadcastPkts = v; return this; }
        public GenericInterface ifInDiscards(long v) { ifInDiscards = v; return this; }
        public GenericInterface ifInErrors(long v) { ifInErrors = v; return this; }
        public GenericInterface ifInUnknownProtos(long v) { ifInUnknownProtos = v; return this; }
        public GenericInterface ifOutOctets(long v) { ifOutOctets = v; return this; }
        public GenericInterface ifOutUcastPkts(long v) { ifOutUcastPkts = v; return this; }
        public GenericInterface ifOutMulticastPkts(long v) { ifOutMulticastPkts = v; return this; }
        public GenericInterface ifOutBroadcastPkts(long v) { ifOutBroadcastPkts = v; return this; }
        public GenericInterface ifOutDiscards(long v) { ifOutDiscards = v; return this; }
        public GenericInterface ifOutErrors(long v) { ifOutErrors = v; return this; }
        public GenericInterface ifPromiscuousMode(long v) { ifPromiscuousMode = v; return this; }

        void write(Xdr x) {
            x.u32(ifIndex);
            x.u32(ifType);
            x.u64(ifSpeed);
            x.u32(ifDirection);
            x.u32(ifStatus);
            x.u64(ifInOctets);
            x.u32(ifInUcastPkts);
            x.u32(ifInMulticastPkts);
            x.u32(ifInBroadcastPkts);
            x.u32(ifInDiscards);
            x.u32(ifInErrors);
            x.u32(ifInUnknownProtos);
            x.u64(ifOutOctets);
            x.u32(ifOutUcastPkts);
            x.u32(ifOutMulticastPkts);
            x.u32(ifOutBroadcastPkts);
            x.u32(ifOutDiscards);
            x.u32(ifOutErrors);
            x.u32(ifPromiscuousMode);
        }
    }

    /** Ethernet interface counters (counter record format 2), named as in RFC 2358 dot3Stats. */
    public static final class EthernetCounters {
        private long alignmentErrors;
        private long fcsErrors;
        private long singleCollisionFrames;
        private long multipleCollisionFrames;
        private long sqeTestErrors;
        private long deferredTransmissions;
        private long lateCollisions;
        private long excessiveCollisions;
        private long internalMacTransmitErrors;
        private long carrierSenseErrors;
        private long frameTooLongs;
        private long internalMacReceiveErrors;
        private long symbolErrors;

        public EthernetCounters dot3StatsAlignmentErrors(long v) { alignmentErrors = v; return this; }
        public EthernetCounters dot3StatsFCSErrors(long v) { fcsErrors = v; return this; }
        public EthernetCounters dot3StatsSingleCollisionFrames(long v) { singleCollisionFrames = v; return this; }
        public EthernetCounters dot3StatsMultipleCollisionFrames(long v) { multipleCollisionFrames = v; return this; }
        public EthernetCounters dot3StatsSQETestErrors(long v) { sqeTestErrors = v; return this; }
        public EthernetCounters dot3StatsDeferredTransmissions(long v) { deferredTransmissions = v; return this; }
        public EthernetCounters dot3StatsLateCollisions(long v) { lateCollisions = v; return this; }
        public EthernetCounters dot3StatsExcessiveCollisions(long v) { excessiveCollisions = v; return this; }
        public EthernetCounters dot3StatsInternalMacTransmitErrors(long v) { internalMacTransmitErrors = v; return this; }
        public EthernetCounters dot3StatsCarrierSenseErrors(long v) { carrierSenseErrors = v; return this; }
        public EthernetCounters dot3StatsFrameTooLongs(long v) { frameTooLongs = v; return this; }
        public EthernetCounters dot3StatsInternalMacReceiveErrors(long v) { internalMacReceiveErrors = v; return this; }
        public EthernetCounters dot3StatsSymbolErrors(long v) { symbolErrors = v; return this; }

        void write(Xdr x) {
            x.u32(alignmentErrors);
            x.u32(fcsErrors);
            x.u32(singleCollisionFrames);
            x.u32(multipleCollisionFrames);
            x.u32(sqeTestErrors);
            x.u32(deferredTransmissions);
            x.u32(lateCollisions);
            x.u32(excessiveCollisions);
            x.u32(internalMacTransmitErrors);
            x.u32(carrierSenseErrors);
            x.u32(frameTooLongs);
            x.u32(internalMacReceiveErrors);
            x.u32(symbolErrors);
        }
    }

    // ---- XDR -----------------------------------------------------------------------------------

    /** An XDR writer: big-endian words, opaque data padded to 4 bytes. */
    static final class Xdr {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

        void u32(long v) {
            out.write((int) (v >>> 24) & 0xFF);
            out.write((int) (v >>> 16) & 0xFF);
            out.write((int) (v >>> 8) & 0xFF);
            out.write((int) v & 0xFF);
        }

        void u64(long v) {
            u32(v >>> 32);
            u32(v);
        }

        void bytes(byte[] b) {
            out.writeBytes(b);
        }

        /** Zero bytes up to the next multiple of 4. */
        void pad() {
            while (out.size() % 4 != 0) {
                out.write(0);
            }
        }

        /** A 6-byte MAC padded to 8. */
        void mac(long mac) {
            for (int shift = 40; shift >= 0; shift -= 8) {
                out.write((int) (mac >>> shift) & 0xFF);
            }
            out.write(0);
            out.write(0);
        }

        /** address type (1 IPv4, 2 IPv6) then the address. */
        void address(byte[] a) {
            u32(a.length == 4 ? ADDRESS_IPV4 : ADDRESS_IPV6);
            bytes(a);
        }

        /** data format, length (declared, or the body's when negative), body. */
        void tlv(int dataFormat, int declaredLength, Consumer<Xdr> body) {
            Xdr inner = new Xdr();
            body.accept(inner);
            byte[] b = inner.toByteArray();
            u32(dataFormat);
            u32(declaredLength >= 0 ? declaredLength : b.length);
            bytes(b);
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }

    private static byte[] address(String text) {
        if (!text.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("'" + text + "' is not a numeric address");
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not a numeric address", e);
        }
    }
}
