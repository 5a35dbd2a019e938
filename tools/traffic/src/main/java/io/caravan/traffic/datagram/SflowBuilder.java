package io.caravan.traffic.datagram;

import io.caravan.traffic.datagram.sflow.CountersSample;
import io.caravan.traffic.datagram.sflow.DiscardedPacket;
import io.caravan.traffic.datagram.sflow.FlowSample;
import io.caravan.traffic.datagram.sflow.Xdr;
import io.caravan.traffic.packet.PacketBuilder;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds sFlow v5 datagrams ({@code sample_datagram_v5}) by field name (XDR, big endian, opaque data
 * zero-padded to 4 bytes), after sFlow version 5 (sflow.org/sflow_version_5.txt) and sflowtool's
 * {@code sflow.h}. This class is the datagram header and its sample list; each sample and record is
 * a class of its own in {@link io.caravan.traffic.datagram.sflow}.
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

    /** Interface value for "internal to the agent" (host sFlow), as {@link FlowSample#IF_INTERNAL}. */
    public static final long IF_INTERNAL = FlowSample.IF_INTERNAL;

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
        return agent(Xdr.ipAddress(address));
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
    public SflowBuilder counterSample(Consumer<CountersSample> sample) {
        CountersSample s = new CountersSample(false);
        sample.accept(s);
        samples.add(s::write);
        return this;
    }

    /** An expanded counter sample (format 4). */
    public SflowBuilder expandedCounterSample(Consumer<CountersSample> sample) {
        CountersSample s = new CountersSample(true);
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
        samples.add(Xdr.raw(dataFormat, declaredLength, body));
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
        int type = agentAddressType >= 0 ? agentAddressType : agent.length == 4 ? Xdr.ADDRESS_IPV4 : Xdr.ADDRESS_IPV6;
        out.u32(type);
        if (type != Xdr.ADDRESS_UNKNOWN) {
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
        return Xdr.dataFormat(enterprise, format);
    }

}
