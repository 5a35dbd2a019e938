package io.caravan.pipeline.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.api.flow.Origin;
import io.caravan.pipeline.json.JsonLines;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class SpoolTest {
    @TempDir
    Path dir;

    private Spool open(long maxBytes, long segmentBytes) throws IOException {
        return new Spool(dir, maxBytes, segmentBytes, new JsonLines(), LoggerFactory.getLogger(SpoolTest.class));
    }

    /** A batch whose records carry {@code first}, {@code first + 1}, ... as sequence numbers. */
    private static FlowBatch batch(long first, int records) {
        List<FlowRecord> r = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            r.add(new FlowRecord().type(FlowType.IPFIX).sequenceNum(first + i).bytes(1500).packets(3)
                    .srcAddr(new byte[] {10, 0, 0, 1}).dstAddr(new byte[16]).srcPort(443).proto(6)
                    .timeFlowStartNs(1_733_000_000_123_456_789L).attribute("class", "web"));
        }
        return new FlowBatch(new Origin(new InetSocketAddress(InetAddress.getLoopbackAddress(), 2055), 7, 1234L), r);
    }

    private static boolean append(Spool s, FlowBatch b) throws IOException {
        return s.append(s.encode(b));
    }

    private static FlowBatch take(Spool s) throws IOException {
        Spool.Frame f = s.take();
        return f == null ? null : s.decode(f);
    }

    private static List<Long> sequences(Spool s) throws IOException {
        List<Long> out = new ArrayList<>();
        for (FlowBatch b = take(s); b != null; b = take(s)) {
            b.records().forEach(r -> out.add(r.sequenceNum()));
        }
        return out;
    }

    private long files() throws IOException {
        try (Stream<Path> f = Files.list(dir)) {
            return f.filter(p -> p.toString().endsWith(Spool.SUFFIX)).count();
        }
    }

    @Test
    void aBatchReadsBackWithEveryFieldItsAttributesAndItsOrigin() throws IOException {
        Spool s = open(1 << 20, 1 << 20);
        FlowBatch in = batch(5, 2);
        in.records().get(1).srcMac(0x0a0b0c0d0e0fL).attribute("score", 42L).inIf(3);

        assertThat(append(s, in)).isTrue();
        assertThat(s.records()).isEqualTo(2);
        FlowBatch out = take(s);

        assertThat(out.origin()).isEqualTo(in.origin());
        assertThat(out.records()).hasSize(2);
        for (int i = 0; i < 2; i++) {
            FlowRecord a = in.records().get(i);
            FlowRecord b = out.records().get(i);
            assertThat(b).usingRecursiveComparison().isEqualTo(a);
        }
        assertThat(s.isEmpty()).isTrue();
        assertThat(take(s)).isNull();
        assertThat(files()).as("the used-up segment is deleted by the take after its last batch").isZero();
    }

    @Test
    void batchesComeBackInOrderAcrossSegmentsAndUsedUpSegmentsGo() throws IOException {
        Spool s = open(1 << 20, 2_000); // a few batches per segment
        for (int i = 0; i < 20; i++) {
            assertThat(append(s, batch(i * 3L, 3))).isTrue();
        }
        assertThat(files()).isGreaterThan(3);

        List<Long> got = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            take(s).records().forEach(r -> got.add(r.sequenceNum()));
        }
        long left = files();
        got.addAll(sequences(s));

        assertThat(got).containsExactlyElementsOf(Stream.iterate(0L, x -> x + 1).limit(60).toList());
        assertThat(left).isLessThan(4);
        assertThat(files()).isZero();
        assertThat(s.bytes()).isZero();
    }

    @Test
    void theBoundRefusesAndTakingMakesRoomAgain() throws IOException {
        Spool s = open(3_000, 1 << 20);
        int taken = 0;
        while (append(s, batch(taken, 3))) {
            taken += 3;
        }
        assertThat(taken).isPositive();
        assertThat(s.bytes()).isLessThanOrEqualTo(3_000);

        take(s);
        assertThat(append(s, batch(taken, 3))).isTrue();
    }

    @Test
    void aReopenedSpoolHoldsWhatWasNotTakenOnlyAndWhatWasPutBackComesFirst() throws IOException {
        Spool s = open(1 << 20, 2_000);
        for (int i = 0; i < 6; i++) {
            append(s, batch(100 + i * 3L, 3));
        }
        take(s);
        take(s);
        s.putBack(List.of(batch(0, 3), batch(3, 3)));
        s.close();

        Spool again = open(1 << 20, 2_000);
        assertThat(again.records()).isEqualTo(4 * 3 + 2 * 3);
        append(again, batch(200, 1));

        assertThat(sequences(again)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 106L, 107L, 108L, 109L, 110L, 111L,
                112L, 113L, 114L, 115L, 116L, 117L, 200L);
    }

    @Test
    void aSecondSpoolOnTheSameDirectoryIsRefusedUntilTheFirstCloses() throws IOException {
        Spool s = open(1 << 20, 1 << 20);

        assertThatThrownBy(() -> open(1 << 20, 1 << 20)).isInstanceOf(IOException.class).hasMessageContaining("in use");
        s.close();
        open(1 << 20, 1 << 20).close();
    }

    @Test
    void aFrameCutShortByACrashIsCutOffAndTheRestReads() throws IOException {
        Spool s = open(1 << 20, 1 << 20);
        append(s, batch(0, 2));
        append(s, batch(2, 2));
        s.close();
        Path segment = onlySegment();
        try (FileChannel c = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            c.truncate(c.size() - 5);
        }

        Spool again = open(1 << 20, 1 << 20);

        assertThat(again.records()).isEqualTo(2);
        assertThat(sequences(again)).containsExactly(0L, 1L);
    }

    private Path onlySegment() throws IOException {
        try (Stream<Path> f = Files.list(dir)) {
            return f.filter(p -> p.toString().endsWith(Spool.SUFFIX)).findFirst().orElseThrow();
        }
    }

    @Test
    void aSegmentBrokenUnderTheSpoolIsSetAsideWithItsRecordsCounted() throws IOException {
        Spool s = open(1 << 20, 1 << 20);
        append(s, batch(0, 4));
        Path segment = onlySegment();
        byte[] bytes = Files.readAllBytes(segment);
        bytes[0] = 0x7f; // the first frame's length: past the end of the file
        Files.write(segment, bytes);

        assertThatThrownBy(s::take).isInstanceOf(IOException.class).hasMessageContaining("not a spooled batch");
        assertThat(s.setAsideFirst()).isEqualTo(4);

        assertThat(s.isEmpty()).isTrue();
        assertThat(s.bytes()).isZero();
        assertThat(Files.exists(segment.resolveSibling(segment.getFileName() + ".bad"))).isTrue();
        assertThat(append(s, batch(9, 1))).as("appends go on, to a new segment").isTrue();
        assertThat(sequences(s)).containsExactly(9L);
    }

    @Test
    void aFrameThatDoesNotDecodeIsAnErrorForTheCallerAndTheNextFrameStillReads() throws IOException {
        Spool s = open(1 << 20, 1 << 20);
        append(s, batch(0, 2));
        append(s, batch(2, 2));
        s.close();
        Path segment = onlySegment();
        byte[] bytes = Files.readAllBytes(segment);
        bytes[8] = 9; // the first frame's address length: no such address
        Files.write(segment, bytes);

        Spool again = open(1 << 20, 1 << 20);
        Spool.Frame bad = again.take();

        assertThat(bad.records()).isEqualTo(2);
        assertThatThrownBy(() -> again.decode(bad)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a spooled batch");
        assertThat(sequences(again)).containsExactly(2L, 3L);
    }
}
