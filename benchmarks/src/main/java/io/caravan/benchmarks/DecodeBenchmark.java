package io.caravan.benchmarks;

import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.FlowBatch;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Records decoded per second on one thread, through the same stage a route uses. One operation
 * is one record ({@value Datagrams#RECORDS} per datagram), so {@code -prof gc}'s
 * gc.alloc.rate.norm is bytes allocated per record.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecodeBenchmark {
    private static final int DATAGRAMS = 256;

    @Param({"netflow-v5", "netflow-v9", "ipfix", "sflow"})
    public String protocol;

    private Stages.Decoder decoder;
    private Object[] inputs;
    private int next;

    @Setup
    public void setup() throws Exception {
        decoder = Stages.decoder(protocol.equals("sflow") ? "decode-sflow" : "decode-netflow");
        InetSocketAddress exporter = new InetSocketAddress("192.0.2.1", 40000);
        long now = System.currentTimeMillis();
        byte[] templates = Datagrams.templates(protocol, now);
        if (templates != null) {
            decoder.decode(new Datagram(templates, exporter, now));
        }
        SplittableRandom r = new SplittableRandom(42);
        inputs = new Object[DATAGRAMS];
        for (int i = 0; i < DATAGRAMS; i++) {
            inputs[i] = decoder.input(new Datagram(Datagrams.data(protocol, r, now, i), exporter, now));
        }
        FlowBatch check = decoder.apply(inputs[0]);
        if (check == null || check.size() != Datagrams.RECORDS) {
            throw new IllegalStateException(protocol + ": expected " + Datagrams.RECORDS + " records, got " + check);
        }
    }

    @Benchmark
    @OperationsPerInvocation(Datagrams.RECORDS)
    public FlowBatch decode() throws Exception {
        Object in = inputs[next];
        next = (next + 1) % DATAGRAMS;
        return decoder.apply(in);
    }
}
