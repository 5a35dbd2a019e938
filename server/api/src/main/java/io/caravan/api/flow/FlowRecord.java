package io.caravan.api.flow;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * One normalized flow: goflow2's FlowMessage made standard.
 *
 * <p>Built for throughput: primitive fields, addresses as raw bytes (4 or 16, {@code null} when
 * absent), MACs as the low 48 bits of a {@code long}. Counters carry unsigned 64-bit semantics in a
 * {@code long}. Times are epoch nanoseconds. Bytes and packets stay as exported; the sampling rate
 * is recorded beside them. Classification tags and enrichment go into a lazily created attribute
 * map, and a source that carries more than the common fields keeps its original object in
 * {@link #source()}.
 *
 * <p>Not thread-safe. A stage owns the records of the batch it was handed and may change them in
 * place.
 */
public final class FlowRecord {
    private FlowType type = FlowType.FLOWUNKNOWN;
    private long timeReceivedNs;
    private long sequenceNum;
    private long samplingRate;
    private byte[] samplerAddress;
    private long observationDomainId;
    private long observationPointId;
    private long timeFlowStartNs;
    private long timeFlowEndNs;
    private long bytes;
    private long packets;
    private byte[] srcAddr;
    private byte[] dstAddr;
    private int etype;
    private int proto;
    private int srcPort;
    private int dstPort;
    private long inIf;
    private long outIf;
    private long srcMac;
    private long dstMac;
    private int srcVlan;
    private int dstVlan;
    private int vlanId;
    private int ipTos;
    private int forwardingStatus;
    private int ipTtl;
    private int ipFlags;
    private int tcpFlags;
    private int icmpType;
    private int icmpCode;
    private long ipv6FlowLabel;
    private long fragmentId;
    private int fragmentOffset;
    private long srcAs;
    private long dstAs;
    private byte[] nextHop;
    private long nextHopAs;
    private int srcNet;
    private int dstNet;
    private byte[] bgpNextHop;
    private int flowDirection;
    private Map<String, Object> attributes;
    private Object source;

    public FlowType type() { return type; }
    public FlowRecord type(FlowType v) { type = v; return this; }
    public long timeReceivedNs() { return timeReceivedNs; }
    public FlowRecord timeReceivedNs(long v) { timeReceivedNs = v; return this; }
    public long sequenceNum() { return sequenceNum; }
    public FlowRecord sequenceNum(long v) { sequenceNum = v; return this; }
    public long samplingRate() { return samplingRate; }
    public FlowRecord samplingRate(long v) { samplingRate = v; return this; }
    public byte[] samplerAddress() { return samplerAddress; }
    public FlowRecord samplerAddress(byte[] v) { samplerAddress = v; return this; }
    public long observationDomainId() { return observationDomainId; }
    public FlowRecord observationDomainId(long v) { observationDomainId = v; return this; }
    public long observationPointId() { return observationPointId; }
    public FlowRecord observationPointId(long v) { observationPointId = v; return this; }
    public long timeFlowStartNs() { return timeFlowStartNs; }
    public FlowRecord timeFlowStartNs(long v) { timeFlowStartNs = v; return this; }
    public long timeFlowEndNs() { return timeFlowEndNs; }
    public FlowRecord timeFlowEndNs(long v) { timeFlowEndNs = v; return this; }
    public long bytes() { return bytes; }
    public FlowRecord bytes(long v) { bytes = v; return this; }
    public long packets() { return packets; }
    public FlowRecord packets(long v) { packets = v; return this; }
    public byte[] srcAddr() { return srcAddr; }
    public FlowRecord srcAddr(byte[] v) { srcAddr = v; return this; }
    public byte[] dstAddr() { return dstAddr; }
    public FlowRecord dstAddr(byte[] v) { dstAddr = v; return this; }
    public int etype() { return etype; }
    public FlowRecord etype(int v) { etype = v; return this; }
    public int proto() { return proto; }
    public FlowRecord proto(int v) { proto = v; return this; }
    public int srcPort() { return srcPort; }
    public FlowRecord srcPort(int v) { srcPort = v; return this; }
    public int dstPort() { return dstPort; }
    public FlowRecord dstPort(int v) { dstPort = v; return this; }
    public long inIf() { return inIf; }
    public FlowRecord inIf(long v) { inIf = v; return this; }
    public long outIf() { return outIf; }
    public FlowRecord outIf(long v) { outIf = v; return this; }
    public long srcMac() { return srcMac; }
    public FlowRecord srcMac(long v) { srcMac = v; return this; }
    public long dstMac() { return dstMac; }
    public FlowRecord dstMac(long v) { dstMac = v; return this; }
    public int srcVlan() { return srcVlan; }
    public FlowRecord srcVlan(int v) { srcVlan = v; return this; }
    public int dstVlan() { return dstVlan; }
    public FlowRecord dstVlan(int v) { dstVlan = v; return this; }
    public int vlanId() { return vlanId; }
    public FlowRecord vlanId(int v) { vlanId = v; return this; }
    public int ipTos() { return ipTos; }
    public FlowRecord ipTos(int v) { ipTos = v; return this; }
    public int forwardingStatus() { return forwardingStatus; }
    public FlowRecord forwardingStatus(int v) { forwardingStatus = v; return this; }
    public int ipTtl() { return ipTtl; }
    public FlowRecord ipTtl(int v) { ipTtl = v; return this; }
    public int ipFlags() { return ipFlags; }
    public FlowRecord ipFlags(int v) { ipFlags = v; return this; }
    public int tcpFlags() { return tcpFlags; }
    public FlowRecord tcpFlags(int v) { tcpFlags = v; return this; }
    public int icmpType() { return icmpType; }
    public FlowRecord icmpType(int v) { icmpType = v; return this; }
    public int icmpCode() { return icmpCode; }
    public FlowRecord icmpCode(int v) { icmpCode = v; return this; }
    public long ipv6FlowLabel() { return ipv6FlowLabel; }
    public FlowRecord ipv6FlowLabel(long v) { ipv6FlowLabel = v; return this; }
    public long fragmentId() { return fragmentId; }
    public FlowRecord fragmentId(long v) { fragmentId = v; return this; }
    public int fragmentOffset() { return fragmentOffset; }
    public FlowRecord fragmentOffset(int v) { fragmentOffset = v; return this; }
    public long srcAs() { return srcAs; }
    public FlowRecord srcAs(long v) { srcAs = v; return this; }
    public long dstAs() { return dstAs; }
    public FlowRecord dstAs(long v) { dstAs = v; return this; }
    public byte[] nextHop() { return nextHop; }
    public FlowRecord nextHop(byte[] v) { nextHop = v; return this; }
    public long nextHopAs() { return nextHopAs; }
    public FlowRecord nextHopAs(long v) { nextHopAs = v; return this; }
    public int srcNet() { return srcNet; }
    public FlowRecord srcNet(int v) { srcNet = v; return this; }
    public int dstNet() { return dstNet; }
    public FlowRecord dstNet(int v) { dstNet = v; return this; }
    public byte[] bgpNextHop() { return bgpNextHop; }
    public FlowRecord bgpNextHop(byte[] v) { bgpNextHop = v; return this; }
    /** IPFIX flowDirection (IE 61): 0 ingress, 1 egress, as exported. */
    public int flowDirection() { return flowDirection; }
    public FlowRecord flowDirection(int v) { flowDirection = v; return this; }

    /** The source's own object (a Skydive flow, a VAN-flow record), or null. */
    public Object source() { return source; }
    public FlowRecord source(Object v) { source = v; return this; }

    /** Tags and enrichment set by stages; empty and unallocated until the first {@link #attribute(String, Object)}. */
    public Map<String, Object> attributes() {
        return attributes == null ? Collections.emptyMap() : Collections.unmodifiableMap(attributes);
    }

    public Object attribute(String key) {
        return attributes == null ? null : attributes.get(key);
    }

    /** Sets an attribute; a null value removes it. */
    public FlowRecord attribute(String key, Object value) {
        if (value == null) {
            if (attributes != null) {
                attributes.remove(key);
            }
            return this;
        }
        if (attributes == null) {
            attributes = new HashMap<>(4);
        }
        attributes.put(key, value);
        return this;
    }
    /**
     * A record another stage may own and change without this one seeing it (a second consumer of
     * the same data, such as a {@code bus:} subscriber). Every field is copied and the attribute map
     * is a new map; the byte arrays, the attribute values and {@link #source()} are shared, because
     * stages replace those rather than change them in place.
     */
    public FlowRecord copy() {
        FlowRecord c = new FlowRecord();
        c.type = type;
        c.timeReceivedNs = timeReceivedNs;
        c.sequenceNum = sequenceNum;
        c.samplingRate = samplingRate;
        c.samplerAddress = samplerAddress;
        c.observationDomainId = observationDomainId;
        c.observationPointId = observationPointId;
        c.timeFlowStartNs = timeFlowStartNs;
        c.timeFlowEndNs = timeFlowEndNs;
        c.bytes = bytes;
        c.packets = packets;
        c.srcAddr = srcAddr;
        c.dstAddr = dstAddr;
        c.etype = etype;
        c.proto = proto;
        c.srcPort = srcPort;
        c.dstPort = dstPort;
        c.inIf = inIf;
        c.outIf = outIf;
        c.srcMac = srcMac;
        c.dstMac = dstMac;
        c.srcVlan = srcVlan;
        c.dstVlan = dstVlan;
        c.vlanId = vlanId;
        c.ipTos = ipTos;
        c.forwardingStatus = forwardingStatus;
        c.ipTtl = ipTtl;
        c.ipFlags = ipFlags;
        c.tcpFlags = tcpFlags;
        c.icmpType = icmpType;
        c.icmpCode = icmpCode;
        c.ipv6FlowLabel = ipv6FlowLabel;
        c.fragmentId = fragmentId;
        c.fragmentOffset = fragmentOffset;
        c.srcAs = srcAs;
        c.dstAs = dstAs;
        c.nextHop = nextHop;
        c.nextHopAs = nextHopAs;
        c.srcNet = srcNet;
        c.dstNet = dstNet;
        c.bgpNextHop = bgpNextHop;
        c.flowDirection = flowDirection;
        c.attributes = attributes == null ? null : new HashMap<>(attributes);
        c.source = source;
        return c;
    }
}
