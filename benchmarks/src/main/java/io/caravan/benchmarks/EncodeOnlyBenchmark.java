package io.caravan.benchmarks;

import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.api.flow.Origin;
import io.caravan.api.stage.Stage;
import io.caravan.pipeline.encoding.BatchEncoder;
import io.caravan.pipeline.json.JsonLinesEncoder;
import io.caravan.pipeline.protobuf.DelimitedProtobufEncoder;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
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
 * Records encoded per second by an encoder alone (the {@code encode} stage, format=json or
 * protobuf), without the decode that {@link EncodeBenchmark} includes: records decoded from
 * NetFlow v5 or from IPFIX with the traffic generator's standard template (the default collector
 * route's input), or with every field the formats carry set (IPv6 addresses, large values).
 * {@code omitZero} is encode's option (JSON leaves out zeros; protobuf never writes them).
 *
 * <p>Into a flow file: {@link #encodeThenCopy} is what {@code stage:encode} then {@code flowfile:}
 * did per batch (an exact-size array, copied into the endpoint's 1 MiB direct write-behind buffer);
 * {@link #encodeIntoBuffer} is what {@code flowfile:?format=...} does (the encoder writes into the
 * endpoint's 1 MiB buffer at its position). A full buffer starts over, standing for its write.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EncodeOnlyBenchmark {
    /** flowfile's default bufferSize. */
    private static final int FILE_BUFFER_BYTES = 1 << 20;

    @Param({"protobuf", "json"})
    public String format;

    @Param({"netflow-v5", "ipfix", "full"})
    public String records;

    @Param({"false", "true"})
    public boolean omitZero;

    private Stage<FlowBatch, byte[]> encoder;
    private BatchEncoder into;
    private FlowBatch batch;
    private final ByteBuffer directBuffer = ByteBuffer.allocateDirect(FILE_BUFFER_BYTES);
    private final byte[] fileBuffer = new byte[FILE_BUFFER_BYTES];
    private int position;

    @Setup
    public void setup() throws Exception {
        encoder = Stages.create("encode", Map.of("format", format, "omitZero", Boolean.toString(omitZero)));
        into = format.equals("json") ? new JsonLinesEncoder(true, omitZero) : new DelimitedProtobufEncoder();
        long now = System.currentTimeMillis();
        if (records.equals("full")) {
            batch = new FlowBatch(Origin.UNKNOWN, full(new SplittableRandom(1), now));
        } else {
            Stages.Decoder decoder = Stages.decoder("decode-netflow");
            InetSocketAddress exporter = new InetSocketAddress("192.0.2.1", 40000);
            byte[] templates = Datagrams.templates(records, now);
            if (templates != null) {
                decoder.decode(new Datagram(templates, exporter, now));
            }
            batch = decoder.decode(new Datagram(Datagrams.data(records, new SplittableRandom(1), now, 0), exporter, now));
        }
        if (batch.records().size() != Datagrams.RECORDS) {
            throw new IllegalStateException("expected " + Datagrams.RECORDS + " records, got " + batch.records().size());
        }
    }

    @Benchmark
    @OperationsPerInvocation(Datagrams.RECORDS)
    public byte[] encode() throws Exception {
        // The same batch every time: the encoders only read it.
        return encoder.apply(batch);
    }

    @Benchmark
    @OperationsPerInvocation(Datagrams.RECORDS)
    public int encodeThenCopy() throws Exception {
        byte[] body = encoder.apply(batch);
        if (body.length > directBuffer.remaining()) {
            directBuffer.clear();
        }
        directBuffer.put(body);
        return directBuffer.position();
    }

    @Benchmark
    @OperationsPerInvocation(Datagrams.RECORDS)
    public int encodeIntoBuffer() throws Exception {
        int end = into.encode(batch.records(), fileBuffer, position);
        if (end == BatchEncoder.DOES_NOT_FIT) {
            end = into.encode(batch.records(), fileBuffer, 0);
        }
        position = end;
        return end;
    }

    private static List<FlowRecord> full(SplittableRandom r, long nowMs) {
        List<FlowRecord> out = new ArrayList<>(Datagrams.RECORDS);
        for (int i = 0; i < Datagrams.RECORDS; i++) {
            long ns = nowMs * 1_000_000L;
            out.add(new FlowRecord().type(FlowType.IPFIX).timeReceivedNs(ns).sequenceNum(r.nextLong(1L << 32))
                    .samplingRate(1000).samplerAddress(new byte[] {(byte) 192, 0, 2, 1})
                    .observationDomainId(1 + r.nextInt(1000)).observationPointId(r.nextInt(100))
                    .timeFlowStartNs(ns - 20_000_000_000L).timeFlowEndNs(ns - 1_000_000_000L)
                    .bytes(1 + r.nextLong(1L << 40)).packets(1 + r.nextInt(100_000))
                    .srcAddr(v6(r)).dstAddr(v6(r)).etype(0x86DD).proto(6)
                    .srcPort(1024 + r.nextInt(60000)).dstPort(443).inIf(r.nextInt(1 << 20)).outIf(r.nextInt(1 << 20))
                    .srcMac(r.nextLong(1L << 48)).dstMac(r.nextLong(1L << 48)).srcVlan(r.nextInt(4096))
                    .dstVlan(r.nextInt(4096)).vlanId(r.nextInt(4096)).ipTos(r.nextInt(256)).forwardingStatus(64)
                    .ipTtl(r.nextInt(256)).ipFlags(2).tcpFlags(0x1b).icmpType(3).icmpCode(4)
                    .ipv6FlowLabel(r.nextInt(1 << 20)).fragmentId(r.nextInt(1 << 16)).fragmentOffset(r.nextInt(8192))
                    .srcAs(r.nextLong(1L << 32)).dstAs(r.nextLong(1L << 32)).nextHop(v6(r)).nextHopAs(64512)
                    .srcNet(48).dstNet(64).bgpNextHop(v6(r)).flowDirection(1));
        }
        return out;
    }

    private static byte[] v6(SplittableRandom r) {
        byte[] a = new byte[16];
        a[0] = 0x20;
        a[1] = 0x01;
        a[2] = 0x0d;
        a[3] = (byte) 0xb8;
        for (int i = 8; i < 16; i++) {
            a[i] = (byte) r.nextInt(256);
        }
        return a;
    }
}
