package io.caravan.traffic.datagram;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds one NetFlow v5 export datagram (24-byte header, 48-byte records; flow-protocols §1), field by field.
 *
 * <pre>{@code
 * byte[] datagram = new NetflowV5Builder()
 *         .unixSecs(1_700_000_000L).sysUptime(3_600_000L).flowSequence(120)
 *         .samplingMode(1).samplingInterval(100)
 *         .addFlow(flow)                       // start/end become sysUptime-relative first/last
 *         .addRecord(NetflowV5Builder.record().srcPort(53).first(10))  // raw record, every field as given
 *         .build();
 * }</pre>
 *
 * <p>Header values are read when {@link #build()} runs, so setters and {@code add*} calls may come in any
 * order. Defaults: sysUptime 1 h, unixSecs 1,700,000,000, everything else 0. {@code count} is the number of
 * records unless {@link #count(int)} overrides it (for malformed datagrams); nothing limits records to 30.
 * Not thread-safe; a builder may be built several times.
 */
public final class NetflowV5Builder {
    public static final int VERSION = 5;
    public static final int HEADER_SIZE = 24;
    public static final int RECORD_SIZE = 48;
    /** Most records a conforming exporter puts in one datagram. */
    public static final int MAX_RECORDS = 30;

    private long sysUptime = 3_600_000L;
    private long unixSecs = 1_700_000_000L;
    private long unixNsecs;
    private long flowSequence;
    private int engineType;
    private int engineId;
    private int samplingMode;
    private int samplingInterval;
    private Integer rawSamplingField;
    private Integer count;
    private int version = VERSION;
    private final List<Object> entries = new ArrayList<>();

    /** Milliseconds since the exporter booted (u32). */
    public NetflowV5Builder sysUptime(long ms) {
        this.sysUptime = ms;
        return this;
    }

    /** Export time, whole seconds since the epoch (u32). */
    public NetflowV5Builder unixSecs(long secs) {
        this.unixSecs = secs;
        return this;
    }

    /** Residual nanoseconds of the export time (u32). */
    public NetflowV5Builder unixNsecs(long nsecs) {
        this.unixNsecs = nsecs;
        return this;
    }

    /** Sets unixSecs and unixNsecs from epoch milliseconds. */
    public NetflowV5Builder exportMs(long epochMs) {
        this.unixSecs = Math.floorDiv(epochMs, 1000);
        this.unixNsecs = Math.floorMod(epochMs, 1000) * 1_000_000L;
        return this;
    }

    /** Flows sent before this datagram (u32); a generator adds the record count after each datagram. */
    public NetflowV5Builder flowSequence(long sequence) {
        this.flowSequence = sequence;
        return this;
    }

    public NetflowV5Builder engineType(int engineType) {
        this.engineType = engineType;
        return this;
    }

    public NetflowV5Builder engineId(int engineId) {
        this.engineId = engineId;
        return this;
    }

    /** Top 2 bits of the sampling field: 0 none, 1 deterministic, 2 random (0-3). */
    public NetflowV5Builder samplingMode(int mode) {
        if (mode < 0 || mode > 3) {
            throw new IllegalArgumentException("sampling mode is 2 bits: 0-3, got " + mode);
        }
        this.samplingMode = mode;
        return this;
    }

    /** Low 14 bits of the sampling field: 1 out of N (0-16383; 0 = not announced). */
    public NetflowV5Builder samplingInterval(int interval) {
        if (interval < 0 || interval > 0x3FFF) {
            throw new IllegalArgumentException("sampling interval is 14 bits: 0-16383, got " + interval);
        }
        this.samplingInterval = interval;
        return this;
    }

    /** The whole 16-bit sampling field as given, overriding mode and interval. */
    public NetflowV5Builder rawSamplingField(int field) {
        this.rawSamplingField = field & 0xFFFF;
        return this;
    }

    /** Overrides the header's record count (malformed datagrams). */
    public NetflowV5Builder count(int count) {
        this.count = count;
        return this;
    }

    /** Overrides the version field (malformed datagrams). */
    public NetflowV5Builder version(int version) {
        this.version = version;
        return this;
    }

    /**
     * Adds one record from a flow: IPv4 addresses only; packets and bytes truncated to 32 bits, ifIndex and
     * AS to 16 bits; first/last = sysUptime − (export ms − start/end ms), mod 2^32.
     */
    public NetflowV5Builder addFlow(SyntheticFlow flow) {
        if (flow.srcAddr().length != 4 || flow.dstAddr().length != 4
                || (flow.nextHop() != null && flow.nextHop().length != 4)) {
            throw new IllegalArgumentException("NetFlow v5 carries IPv4 addresses only");
        }
        entries.add(flow);
        return this;
    }

    /** Adds flows one record each (see {@link #addFlow}). */
    public NetflowV5Builder addFlows(List<SyntheticFlow> flows) {
        flows.forEach(this::addFlow);
        return this;
    }

    /** Adds a raw record, every field as given. */
    public NetflowV5Builder addRecord(Record record) {
        entries.add(record.copy());
        return this;
    }

    /** A raw record to fill and {@link #addRecord add}; every field starts at 0. */
    public static Record record() {
        return new Record();
    }

    /** Records added so far. */
    public int recordCount() {
        return entries.size();
    }

    /** Export time in epoch milliseconds: unixSecs·1000 + unixNsecs/10^6. */
    public long exportMs() {
        return unixSecs * 1000 + unixNsecs / 1_000_000L;
    }

    public byte[] build() {
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE + RECORD_SIZE * entries.size());
        b.putShort((short) version);
        b.putShort((short) (count != null ? count : entries.size()));
        b.putInt((int) sysUptime);
        b.putInt((int) unixSecs);
        b.putInt((int) unixNsecs);
        b.putInt((int) flowSequence);
        b.put((byte) engineType);
        b.put((byte) engineId);
        b.putShort((short) (rawSamplingField != null ? rawSamplingField : (samplingMode << 14) | samplingInterval));
        for (Object e : entries) {
            Record r = e instanceof Record rec ? rec : fromFlow((SyntheticFlow) e);
            r.write(b);
        }
        return b.array();
    }

    private Record fromFlow(SyntheticFlow f) {
        long export = exportMs();
        return new Record().srcAddr(f.srcAddr()).dstAddr(f.dstAddr())
                .nextHop(f.nextHop() == null ? new byte[4] : f.nextHop())
                .input(f.inIf()).output(f.outIf()).packets(f.packets()).octets(f.bytes())
                .first((sysUptime - (export - f.startMs())) & 0xFFFFFFFFL)
                .last((sysUptime - (export - f.endMs())) & 0xFFFFFFFFL)
                .srcPort(f.srcPort()).dstPort(f.dstPort()).tcpFlags(f.tcpFlags()).protocol(f.proto()).tos(f.tos())
                .srcAs(f.srcAs()).dstAs(f.dstAs()).srcMask(f.srcMask()).dstMask(f.dstMask());
    }

    /** One 48-byte v5 record, field by field as on the wire (values truncated to their width). */
    public static final class Record {
        private byte[] srcAddr = new byte[4];
        private byte[] dstAddr = new byte[4];
        private byte[] nextHop = new byte[4];
        private long input;
        private long output;
        private long packets;
        private long octets;
        private long first;
        private long last;
        private int srcPort;
        private int dstPort;
        private int pad1;
        private int tcpFlags;
        private int protocol;
        private int tos;
        private long srcAs;
        private long dstAs;
        private int srcMask;
        private int dstMask;
        private int pad2;

        public Record srcAddr(byte[] v) { srcAddr = ipv4(v); return this; }
        public Record dstAddr(byte[] v) { dstAddr = ipv4(v); return this; }
        public Record nextHop(byte[] v) { nextHop = ipv4(v); return this; }
        /** Input ifIndex (16 bits). */
        public Record input(long v) { input = v; return this; }
        /** Output ifIndex (16 bits). */
        public Record output(long v) { output = v; return this; }
        /** dPkts (32 bits). */
        public Record packets(long v) { packets = v; return this; }
        /** dOctets, L3 bytes (32 bits). */
        public Record octets(long v) { octets = v; return this; }
        /** sysUptime ms at the flow's first packet. */
        public Record first(long v) { first = v; return this; }
        /** sysUptime ms at the flow's last packet. */
        public Record last(long v) { last = v; return this; }
        public Record srcPort(int v) { srcPort = v; return this; }
        public Record dstPort(int v) { dstPort = v; return this; }
        public Record pad1(int v) { pad1 = v; return this; }
        public Record tcpFlags(int v) { tcpFlags = v; return this; }
        public Record protocol(int v) { protocol = v; return this; }
        public Record tos(int v) { tos = v; return this; }
        /** Source AS (16 bits). */
        public Record srcAs(long v) { srcAs = v; return this; }
        /** Destination AS (16 bits). */
        public Record dstAs(long v) { dstAs = v; return this; }
        public Record srcMask(int v) { srcMask = v; return this; }
        public Record dstMask(int v) { dstMask = v; return this; }
        public Record pad2(int v) { pad2 = v; return this; }

        private static byte[] ipv4(byte[] v) {
            if (v.length != 4) {
                throw new IllegalArgumentException("NetFlow v5 carries IPv4 addresses only");
            }
            return v.clone();
        }

        Record copy() {
            Record c = new Record();
            c.srcAddr = srcAddr.clone();
            c.dstAddr = dstAddr.clone();
            c.nextHop = nextHop.clone();
            c.input = input;
            c.output = output;
            c.packets = packets;
            c.octets = octets;
            c.first = first;
            c.last = last;
            c.srcPort = srcPort;
            c.dstPort = dstPort;
            c.pad1 = pad1;
            c.tcpFlags = tcpFlags;
            c.protocol = protocol;
            c.tos = tos;
            c.srcAs = srcAs;
            c.dstAs = dstAs;
            c.srcMask = srcMask;
            c.dstMask = dstMask;
            c.pad2 = pad2;
            return c;
        }

        void write(ByteBuffer b) {
            b.put(srcAddr).put(dstAddr).put(nextHop);
            b.putShort((short) input).putShort((short) output);
            b.putInt((int) packets).putInt((int) octets).putInt((int) first).putInt((int) last);
            b.putShort((short) srcPort).putShort((short) dstPort);
            b.put((byte) pad1).put((byte) tcpFlags).put((byte) protocol).put((byte) tos);
            b.putShort((short) srcAs).putShort((short) dstAs);
            b.put((byte) srcMask).put((byte) dstMask).putShort((short) pad2);
        }
    }
}
