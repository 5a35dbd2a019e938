package io.caravan.benchmarks;

import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.stage.Stage;
import java.net.InetSocketAddress;
import java.util.Map;
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
 * Records encoded per second: JSON lines against length-delimited protobuf (goflow2 FlowMessage);
 * {@code omitZero} is encode's option (JSON leaves out zeros; protobuf never writes them).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EncodeBenchmark {
    @Param({"json", "protobuf"})
    public String format;

    @Param({"false", "true"})
    public boolean omitZero;

    private Stage<FlowBatch, byte[]> encoder;
    private Stages.Decoder decoder;
    private Object datagram;

    @Setup
    public void setup() throws Exception {
        encoder = Stages.create("encode", Map.of("format", format, "omitZero", Boolean.toString(omitZero)));
        decoder = Stages.decoder("decode-netflow");
        long now = System.currentTimeMillis();
        datagram = decoder.input(new Datagram(Datagrams.data("netflow-v5", new SplittableRandom(1), now, 0),
                new InetSocketAddress("192.0.2.1", 40000), now));
    }

    @Benchmark
    @OperationsPerInvocation(Datagrams.RECORDS)
    public byte[] encode() throws Exception {
        // A fresh batch each time: stages own and may change the batch they are given.
        return encoder.apply(decoder.apply(datagram));
    }
}
