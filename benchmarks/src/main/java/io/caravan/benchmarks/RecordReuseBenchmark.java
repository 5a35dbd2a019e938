package io.caravan.benchmarks;

import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What decoding into reused records would save, as a bound: the fields an IPFIX record of the
 * load test carries, written into new {@link FlowRecord}s with new address arrays (what the
 * decoders do) against the same values written into the records and arrays of the previous batch.
 * The values come from a ring of datagram-like arrays so neither side can fold them away. One
 * operation is one record, so {@code -prof gc}'s gc.alloc.rate.norm is bytes per record.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecordReuseBenchmark {
    private static final int BATCH = Datagrams.RECORDS;
    private static final int RING = 64;

    private final long[][] values = new long[RING][];
    private final List<FlowRecord> kept = new ArrayList<>(BATCH);
    private int next;

    @Setup
    public void setup() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(42);
        for (int i = 0; i < RING; i++) {
            values[i] = new long[BATCH * 16];
            for (int j = 0; j < values[i].length; j++) {
                values[i][j] = r.nextLong() & 0x7fff_ffffL;
            }
        }
        for (int i = 0; i < BATCH; i++) {
            kept.add(new FlowRecord().srcAddr(new byte[4]).dstAddr(new byte[4]).nextHop(new byte[4]));
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public List<FlowRecord> fresh() {
        long[] v = values[next];
        next = (next + 1) % RING;
        List<FlowRecord> out = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            FlowRecord rec = new FlowRecord();
            fill(rec, v, i * 16, new byte[4], new byte[4], new byte[4]);
            out.add(rec);
        }
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public List<FlowRecord> reused() {
        long[] v = values[next];
        next = (next + 1) % RING;
        for (int i = 0; i < BATCH; i++) {
            FlowRecord rec = kept.get(i);
            fill(rec, v, i * 16, rec.srcAddr(), rec.dstAddr(), rec.nextHop());
        }
        return kept;
    }

    private static void fill(FlowRecord r, long[] v, int o, byte[] src, byte[] dst, byte[] hop) {
        put(src, v[o]);
        put(dst, v[o + 1]);
        put(hop, v[o + 2]);
        r.type(FlowType.IPFIX).timeReceivedNs(v[o + 3]).sequenceNum(v[o + 4]).observationDomainId(v[o + 5])
                .timeFlowStartNs(v[o + 6]).timeFlowEndNs(v[o + 7]).bytes(v[o + 8]).packets(v[o + 9])
                .srcAddr(src).dstAddr(dst).nextHop(hop).etype(0x800).proto((int) v[o + 10] & 0xff)
                .srcPort((int) v[o + 11] & 0xffff).dstPort((int) v[o + 12] & 0xffff).inIf(v[o + 13])
                .outIf(v[o + 14]).tcpFlags((int) v[o + 15] & 0xff).ipTos(0).srcAs(0).dstAs(0);
    }

    private static void put(byte[] a, long v) {
        a[0] = (byte) (v >>> 24);
        a[1] = (byte) (v >>> 16);
        a[2] = (byte) (v >>> 8);
        a[3] = (byte) v;
    }
}
