package io.caravan.traffic.generate;

import io.caravan.traffic.datagram.SyntheticFlow;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One exporter's datagram stream: its flows, sequence numbers and template refresh cycle. Not
 * thread-safe; the generator drives each from one thread.
 */
abstract class ExporterStream {
    /** v9 and IPFIX streams re-send their templates this often (in datagrams), as exporters do. */
    static final int TEMPLATE_EVERY = 20;
    /**
     * Datagrams built once per exporter and then re-sent with sequence and time fields patched:
     * building every datagram would make the generator, not the collector, the bottleneck.
     */
    static final int CYCLE = 400;

    protected final int index;
    protected final InetAddress address;
    protected final int records;
    private final SplittableRandom random;
    private final byte[][] cycle = new byte[CYCLE][];
    private long sent;

    ExporterStream(int index, InetAddress address, int records, long seed) {
        this.index = index;
        this.address = address;
        this.records = records;
        this.random = new SplittableRandom(seed * 1_000_003L + index);
    }

    static ExporterStream create(Protocol p, int index, InetAddress address, int records, long seed) {
        return switch (p) {
            case NETFLOW_V5 -> new NetflowV5Stream(index, address, records, seed);
            case NETFLOW_V9 -> new NetflowV9Stream(index, address, records, seed);
            case IPFIX -> new IpfixStream(index, address, records, seed);
            case SFLOW -> new SflowStream(index, address, records, seed);
        };
    }

    /** The next datagram, stamped with {@code nowMs}; valid until the next call. */
    final byte[] next(long nowMs) {
        int slot = (int) (sent++ % CYCLE);
        byte[] d = cycle[slot];
        if (d == null) {
            d = build(nowMs, flows(nowMs));
            cycle[slot] = d;
        } else {
            patch(d, nowMs);
        }
        return d;
    }

    /** Rewrites a datagram of an earlier cycle for now: sequence numbers and export time, as if built anew. */
    protected abstract void patch(byte[] datagram, long nowMs);

    static void putInt(byte[] d, int offset, long value) {
        d[offset] = (byte) (value >>> 24);
        d[offset + 1] = (byte) (value >>> 16);
        d[offset + 2] = (byte) (value >>> 8);
        d[offset + 3] = (byte) value;
    }

    static int getUnsignedShort(byte[] d, int offset) {
        return ((d[offset] & 0xFF) << 8) | (d[offset + 1] & 0xFF);
    }

    static long getInt(byte[] d, int offset) {
        return ((d[offset] & 0xFFL) << 24) | ((d[offset + 1] & 0xFFL) << 16) | ((d[offset + 2] & 0xFFL) << 8) | (d[offset + 3] & 0xFFL);
    }

    protected abstract byte[] build(long nowMs, List<SyntheticFlow> flows);

    /** Flows from 10.<exporter>.x.y to 198.18.x.y (RFC 2544 benchmark space), TCP and UDP, 1-30 s long. */
    private List<SyntheticFlow> flows(long nowMs) {
        List<SyntheticFlow> out = new ArrayList<>(records);
        for (int i = 0; i < records; i++) {
            byte[] src = {10, (byte) index, (byte) random.nextInt(256), (byte) (1 + random.nextInt(254))};
            byte[] dst = {(byte) 198, 18, (byte) random.nextInt(256), (byte) (1 + random.nextInt(254))};
            boolean tcp = random.nextInt(4) != 0;
            long packets = 1 + random.nextInt(1000);
            long bytes = packets * (40 + random.nextInt(1460));
            long duration = 1000 + random.nextInt(29_000);
            out.add(new SyntheticFlow(src, dst, 1024 + random.nextInt(64000), tcp ? 443 : 53, tcp ? 6 : 17, packets, bytes,
                    nowMs - duration - 1000, nowMs - 1000, tcp ? 0x1b : 0, 0, 1 + random.nextInt(48), 1 + random.nextInt(48),
                    64512 + random.nextInt(1000), 64512 + random.nextInt(1000), new byte[] {10, (byte) index, 0, 1}, 24, 24));
        }
        return out;
    }
}
