package io.caravan.pipeline.flowfile;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.Origin;
import io.caravan.api.stage.OptionException;
import io.caravan.pipeline.encoding.BatchEncoder;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's buffer and what a failing disk does to it, through channels that count writes and
 * fail on cue, and a monotonic time the test moves.
 */
class FlowFileWriterTest {
    @TempDir
    Path dir;

    private final RecordingStageContext context = RecordingStageContext.of("flowfile", new SettableClock(0));
    private final Map<String, String> labels = Map.of(FlowFileConstants.TAG_ENDPOINT, "flowfile:test");
    /** The writer's monotonic time, in nanoseconds. */
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    /** Writes attempted, counted across channels. */
    private int writes;
    /** The write (1-based, across channels) that writes half and then fails like a full disk; 0 for none. */
    private int failAt;
    /** While true, every write writes half and fails like a full disk. */
    private boolean full;
    /** The most bytes one write call writes (a short write, no error). */
    private int maxPerWrite = Integer.MAX_VALUE;
    /** Each file's size on disk when it was forced, in order. */
    private final List<Long> forcedSizes = new ArrayList<>();

    @Test
    void aWriteThatFailsHalfwayIsCutBackTheFileClosedAndTheNextBodyGoesToANewFile() throws Exception {
        FlowFileWriter writer = writer("bufferSize=0");
        failAt = 2;
        writer.start();

        writer.append("aaaa\n".getBytes(UTF_8));
        assertThatThrownBy(() -> writer.append("bbbb\n".getBytes(UTF_8)))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("flowfile:test: cannot write 5 bytes to .flows-")
                .hasMessageEndingWith("java.io.IOException: No space left on device");

        assertThat(inProgress()).isEmpty();
        assertThat(contents()).containsExactly("aaaa\n");

        writer.append("cccc\n".getBytes(UTF_8));
        writer.stop();

        assertThat(contents()).containsExactly("aaaa\n", "cccc\n");
        assertThat(writer.writeErrors()).isEqualTo(1);
        assertThat(writer.filesClosed()).isEqualTo(2);
        assertThat(writer.bytesWritten()).isEqualTo(10);
        Map<String, String> labels = Map.of(FlowFileConstants.TAG_ENDPOINT, "flowfile:test");
        assertThat(context.counter(FlowFileConstants.METER_WRITE_ERRORS, labels)).hasValue(1L);
        assertThat(context.counter(FlowFileConstants.METER_FILES, labels)).hasValue(2L);
        assertThat(context.counter(FlowFileConstants.METER_BYTES, labels)).hasValue(10L);
    }

    @Test
    void aFileWhoseFirstWriteFailsIsRemoved() throws Exception {
        FlowFileWriter writer = writer("bufferSize=0");
        failAt = 1;
        writer.start();

        assertThatThrownBy(() -> writer.append("aaaa\n".getBytes(UTF_8))).isInstanceOf(IOException.class);

        assertThat(inProgress()).isEmpty();
        assertThat(contents()).isEmpty();
        writer.append("bbbb\n".getBytes(UTF_8));
        writer.stop();
        assertThat(contents()).containsExactly("bbbb\n");
    }

    @Test
    void appendingBeforeStartOrAfterStopIsRefusedAndAnEmptyBodyWritesNothing() throws Exception {
        FlowFileWriter writer = writer("");

        assertThatThrownBy(() -> writer.append(new byte[1]))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("flowfile:test is not started");
        writer.start();
        writer.append(new byte[0]);
        writer.stop();

        assertThat(contents()).isEmpty();
        assertThat(inProgress()).isEmpty();
    }

    @Test
    void manySmallAppendsWithTheDefaultOptionsMakeFewLargeWrites() throws Exception {
        FlowFileWriter writer = writer("");
        writer.start();
        StringBuilder expected = new StringBuilder();

        for (int i = 0; i < 20_000; i++) {
            String body = line(i, 100);
            expected.append(body);
            writer.append(body.getBytes(UTF_8));
        }
        assertThat(writes).as("2 MB through a 1 MiB buffer").isEqualTo(1);
        writer.stop();

        assertThat(writes).as("one more write at stop").isEqualTo(2);
        assertThat(contents()).containsExactly(expected.toString());
        assertThat(inProgress()).isEmpty();
        assertThat(writer.bytesWritten()).isEqualTo(2_000_000);
        assertThat(context.counter(FlowFileConstants.METER_BYTES, labels)).hasValue(2_000_000L);
    }

    @Test
    void aBufferedBodyIsWrittenOnceItIsFlushMillisOld() throws Exception {
        FlowFileWriter writer = writer("flushMillis=100");
        writer.start();

        writer.append("aaaa\n".getBytes(UTF_8));
        advanceMillis(99);
        writer.checkDue();

        assertThat(inProgress()).singleElement().satisfies(f -> assertThat(Files.size(f)).isZero());
        assertThat(writer.bytesWritten()).as("counted when written").isZero();

        advanceMillis(1);
        writer.checkDue();

        assertThat(inProgress()).singleElement().satisfies(f -> assertThat(Files.readString(f)).isEqualTo("aaaa\n"));
        assertThat(writer.bytesWritten()).isEqualTo(5);
        assertThat(writes).isEqualTo(1);

        writer.append("bbbb\n".getBytes(UTF_8));
        advanceMillis(100);
        writer.append("cccc\n".getBytes(UTF_8));

        assertThat(inProgress()).as("an append finds the buffer due and writes it before taking its body")
                .singleElement().satisfies(f -> assertThat(Files.readString(f)).isEqualTo("aaaa\nbbbb\n"));
        writer.stop();
        assertThat(contents()).containsExactly("aaaa\nbbbb\ncccc\n");
    }

    @Test
    void rotationBySizeCountsBufferedBytesAndRotationByTimeWritesTheBufferFirst() throws Exception {
        FlowFileWriter writer = writer("rotateBytes=100&rotateSeconds=10");
        writer.start();

        for (int i = 0; i < 5; i++) {
            writer.append(line(i, 40).getBytes(UTF_8));
        }

        assertThat(contents()).containsExactly(line(0, 40) + line(1, 40), line(2, 40) + line(3, 40));
        assertThat(inProgress()).singleElement().satisfies(f -> assertThat(Files.size(f)).isZero());

        advanceMillis(10_000);
        writer.checkDue();

        assertThat(contents()).containsExactly(line(0, 40) + line(1, 40), line(2, 40) + line(3, 40), line(4, 40));
        assertThat(inProgress()).isEmpty();
        writer.stop();
        assertThat(writer.filesClosed()).isEqualTo(3);
        assertThat(writer.bytesWritten()).isEqualTo(200);
    }

    @Test
    void aBodyLargerThanTheBufferIsWrittenStraightAfterWhatIsBuffered() throws Exception {
        FlowFileWriter writer = writer("bufferSize=16");
        writer.start();

        writer.append("aaaa\n".getBytes(UTF_8));
        writer.append(line(1, 40).getBytes(UTF_8));

        assertThat(writes).as("the buffer, then the large body").isEqualTo(2);
        assertThat(inProgress()).singleElement()
                .satisfies(f -> assertThat(Files.readString(f)).isEqualTo("aaaa\n" + line(1, 40)));
        writer.append("cccc\n".getBytes(UTF_8));
        writer.stop();

        assertThat(writes).isEqualTo(3);
        assertThat(contents()).containsExactly("aaaa\n" + line(1, 40) + "cccc\n");
    }

    @Test
    void aShortWriteIsContinuedUntilTheWholeBufferIsWritten() throws Exception {
        maxPerWrite = 3;
        FlowFileWriter writer = writer("");
        writer.start();

        writer.append("aaaa\n".getBytes(UTF_8));
        writer.append("bbbb\n".getBytes(UTF_8));
        writer.stop();

        assertThat(writes).isEqualTo(4);
        assertThat(contents()).containsExactly("aaaa\nbbbb\n");
    }

    @Test
    void aFailedBufferWriteCutsTheFileBackToWholeBodiesAndTheBytesKeptGoToTheNextFile() throws Exception {
        FlowFileWriter writer = writer("bufferSize=10");
        writer.start();
        failAt = 2;

        writer.append("aaaa\n".getBytes(UTF_8));
        writer.append("bbbb\n".getBytes(UTF_8));
        writer.append("cccc\n".getBytes(UTF_8));
        writer.append("dddd\n".getBytes(UTF_8));
        assertThatThrownBy(() -> writer.append("eeee\n".getBytes(UTF_8)))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("flowfile:test: cannot write 10 bytes to .flows-")
                .hasMessageEndingWith("java.io.IOException: No space left on device");

        assertThat(contents()).as("cut back to the write before, closed and renamed").containsExactly("aaaa\nbbbb\n");
        assertThat(inProgress()).isEmpty();
        assertThat(writer.writeErrors()).isEqualTo(1);

        assertThatThrownBy(() -> writer.append("ffff\n".getBytes(UTF_8)))
                .as("within flushMillis of the failure the bytes kept are not tried again, and the body does not fit"
                        + " beside them").hasMessageContaining("10 bytes kept after a failed write");
        assertThat(writer.writeErrors()).isEqualTo(1);
        advanceMillis(1000);
        writer.append("ffff\n".getBytes(UTF_8));

        assertThat(inProgress()).as("the bytes kept are written again, to a new file, by the next append after flushMillis")
                .singleElement().satisfies(f -> assertThat(Files.readString(f)).isEqualTo("cccc\ndddd\n"));
        writer.stop();

        assertThat(contents()).containsExactly("aaaa\nbbbb\n", "cccc\ndddd\nffff\n");
        assertThat(writer.writeErrors()).isEqualTo(1);
        assertThat(writer.bytesWritten()).isEqualTo(25);
        assertThat(context.counter(FlowFileConstants.METER_WRITE_ERRORS, labels)).hasValue(1L);
        assertThat(context.counter(FlowFileConstants.METER_BYTES, labels)).hasValue(25L);
    }

    @Test
    void whileTheDiskStaysFullBodiesAreTakenAsLongAsTheyFitAndAllTakenReachTheDiskOnceItClears() throws Exception {
        FlowFileWriter writer = writer("bufferSize=12&flushMillis=100");
        writer.start();

        writer.append("aaaa\n".getBytes(UTF_8));
        full = true;
        advanceMillis(100);
        writer.checkDue();

        assertThat(writer.writeErrors()).as("the check's write failed").isEqualTo(1);
        assertThat(inProgress()).as("the file the write began is removed: nothing whole was in it").isEmpty();

        writer.append("bbbb\n".getBytes(UTF_8));
        assertThatThrownBy(() -> writer.append("cccc\n".getBytes(UTF_8)))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("flowfile:test: cannot take 5 bytes: 10 bytes kept after a failed write are"
                        + " not written yet: flowfile:test: cannot write 5 bytes to .flows-")
                .hasMessageEndingWith("No space left on device");
        assertThat(writer.writeErrors()).as("not tried again within flushMillis of the failure").isEqualTo(1);
        advanceMillis(100);
        writer.checkDue();
        assertThat(writer.writeErrors()).as("tried again by the check after flushMillis, and failed").isEqualTo(2);
        assertThat(inProgress()).isEmpty();
        assertThat(contents()).isEmpty();

        full = false;
        writer.checkDue();
        assertThat(inProgress()).as("not tried again within flushMillis of the last try").isEmpty();
        advanceMillis(100);
        writer.checkDue();

        assertThat(inProgress()).as("the check writes them once the disk clears").singleElement()
                .satisfies(f -> assertThat(Files.readString(f)).isEqualTo("aaaa\nbbbb\n"));
        writer.append("dddd\n".getBytes(UTF_8));
        writer.stop();

        assertThat(contents()).containsExactly("aaaa\nbbbb\ndddd\n");
        assertThat(writer.writeErrors()).isEqualTo(2);
    }

    @Test
    void stopWritesTheBytesAFailedWriteKeptOnceTheDiskClears() throws Exception {
        FlowFileWriter writer = writer("bufferSize=10");
        writer.start();
        writer.append("aaaa\n".getBytes(UTF_8));
        writer.append("bbbb\n".getBytes(UTF_8));
        full = true;
        assertThatThrownBy(() -> writer.append("cccc\n".getBytes(UTF_8))).isInstanceOf(IOException.class);

        writer.stop();

        assertThat(contents()).as("still full at stop: kept in memory").isEmpty();
        assertThat(inProgress()).isEmpty();

        full = false;
        writer.start();
        writer.stop();

        assertThat(contents()).containsExactly("aaaa\nbbbb\n");
    }

    @Test
    void gzipMembersGoIntoTheBufferAndAFileOfThemReadsBackAfterAFailure() throws Exception {
        FlowFileWriter writer = writer("compression=gzip&bufferSize=200");
        writer.start();
        failAt = 1;
        StringBuilder taken = new StringBuilder();
        int refused = 0;

        for (int i = 0; i < 40; i++) {
            String body = line(i, 60);
            try {
                writer.append(body.getBytes(UTF_8));
                taken.append(body);
            } catch (IOException e) {
                refused++;
            }
            // A quarter of flushMillis per body: the bytes kept after the failure are tried again a few bodies later.
            advanceMillis(250);
        }
        writer.stop();

        assertThat(refused).as("the body whose write failed, and any that did not fit beside the bytes kept")
                .isBetween(1, 8);
        assertThat(writes).as("several members per write").isLessThan(20);
        StringBuilder read = new StringBuilder();
        for (Path f : finalFiles()) {
            assertThat(f.getFileName().toString()).endsWith(".jsonl.gz");
            try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
                read.append(new String(in.readAllBytes(), UTF_8));
            }
        }
        assertThat(read.toString()).isEqualTo(taken.toString());
    }

    @Test
    void fsyncForcesTheFileAfterTheBufferIsWritten() throws Exception {
        FlowFileWriter writer = writer("fsync=true");
        writer.start();

        writer.append("aaaa\n".getBytes(UTF_8));
        writer.append("bbbb\n".getBytes(UTF_8));
        writer.stop();

        assertThat(forcedSizes).containsExactly(10L);
        assertThat(contents()).containsExactly("aaaa\nbbbb\n");
    }

    @Test
    void aBatchIsEncodedIntoTheBufferAfterWritingItWhenItDoesNotFitAndStraightWhenLargerThanTheBuffer()
            throws Exception {
        FlowFileWriter writer = writer("bufferSize=12");
        writer.start();

        writer.append(lines('a', 2), LINES);
        assertThat(writes).as("in the buffer").isZero();
        writer.append(lines('b', 2), LINES);
        assertThat(writes).as("it did not fit beside the first: the buffer was written, then it fit")
                .isEqualTo(1);
        writer.append(lines('c', 4), LINES);
        assertThat(writes).as("the buffer, then the batch larger than it, straight").isEqualTo(3);
        writer.append(new FlowBatch(Origin.UNKNOWN, List.of()), LINES);
        writer.stop();

        assertThat(contents()).containsExactly("aaa\naaa\nbbb\nbbb\nccc\nccc\nccc\nccc\n");
        assertThat(writes).as("the empty batch wrote nothing").isEqualTo(3);
    }

    @Test
    void aBatchThatTheLastOnesSizeSaysWillNotFitIsEncodedOnceWhereItFits() throws Exception {
        FlowFileWriter writer = writer("bufferSize=12");
        writer.start();
        AtomicInteger calls = new AtomicInteger();
        BatchEncoder counting = new BatchEncoder() {
            @Override
            public int encode(List<FlowRecord> records, byte[] b, int off) throws IOException {
                calls.incrementAndGet();
                return LINES.encode(records, b, off);
            }

            @Override
            public String format() {
                return LINES.format();
            }
        };

        writer.append(lines('a', 2), counting);
        assertThat(calls).as("the first batch, into the buffer").hasValue(1);
        writer.append(lines('b', 2), counting);
        assertThat(calls).as("4 bytes a record: 8 do not fit beside 8, so the buffer is written first").hasValue(2);
        assertThat(writes).isEqualTo(1);
        writer.append(lines('c', 4), counting);
        assertThat(calls).as("16 bytes do not fit the buffer at all: encoded once, aside").hasValue(3);
        assertThat(writes).as("the buffer, then the batch, straight").isEqualTo(3);
        writer.stop();

        assertThat(contents()).containsExactly("aaa\naaa\nbbb\nbbb\nccc\nccc\nccc\nccc\n");
    }

    @Test
    void aBatchEncodedIntoTheBufferRotatesAsItsBytesWould() throws Exception {
        FlowFileWriter writer = writer("rotateBytes=10");
        writer.start();

        writer.append(lines('a', 2), LINES);
        writer.append(lines('b', 1), LINES);
        writer.append(lines('c', 1), LINES);
        writer.stop();

        assertThat(contents()).containsExactly("aaa\naaa\n", "bbb\nccc\n");
    }

    @Test
    void whileTheDiskStaysFullEncodedBatchesAreTakenAsLongAsTheyFitBesideTheBytesKept() throws Exception {
        FlowFileWriter writer = writer("bufferSize=12&flushMillis=100");
        writer.start();
        writer.append(lines('a', 1), LINES);
        full = true;
        advanceMillis(100);
        writer.checkDue();
        assertThat(writer.writeErrors()).isEqualTo(1);

        writer.append(lines('b', 1), LINES);
        assertThatThrownBy(() -> writer.append(lines('c', 2), LINES))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("flowfile:test: cannot take FlowBatch[2 records from unknown]: 8 bytes kept after"
                        + " a failed write are not written yet: ");
        full = false;
        advanceMillis(100);
        writer.append(lines('d', 1), LINES);
        writer.stop();

        assertThat(contents()).containsExactly("aaa\nbbb\nddd\n");
    }

    /** {@code n} records that {@link #LINES} writes as lines of three {@code c}. */
    private static FlowBatch lines(char c, int n) {
        List<FlowRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(new FlowRecord().srcPort(c));
        }
        return new FlowBatch(Origin.UNKNOWN, records);
    }

    /** Each record as three of the character its srcPort is and '\n', byte by byte: a batch that runs out of room is half-written. */
    private static final BatchEncoder LINES = new BatchEncoder() {
        @Override
        public int encode(List<FlowRecord> records, byte[] b, int off) {
            int p = off;
            for (FlowRecord r : records) {
                for (int i = 0; i < 4; i++) {
                    if (p == b.length) {
                        return DOES_NOT_FIT;
                    }
                    b[p++] = (byte) (i < 3 ? r.srcPort() : '\n');
                }
            }
            return p;
        }

        @Override
        public String format() {
            return "lines";
        }
    };

    private FlowFileWriter writer(String options) throws OptionException {
        Map<String, Object> parameters = new HashMap<>();
        for (String option : options.isEmpty() ? new String[0] : options.split("&")) {
            String[] kv = option.split("=", 2);
            parameters.put(kv[0], kv[1]);
        }
        FlowFileConfiguration c = FlowFileConfiguration.of(dir.toString(), parameters);
        return new FlowFileWriter("flowfile:test", dir, c, context,
                path -> new FailingChannel(FlowFileWriter.FILES.open(path)), nanos::get);
    }

    private void advanceMillis(long ms) {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    /** A line of exactly {@code length} bytes naming {@code n}. */
    private static String line(int n, int length) {
        String head = "body " + n + " ";
        return head + "#".repeat(length - head.length() - 1) + "\n";
    }

    private List<Path> finalFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    private List<String> contents() throws IOException {
        List<String> contents = new ArrayList<>();
        for (Path p : finalFiles()) {
            contents.add(Files.readString(p));
        }
        return contents;
    }

    private List<Path> inProgress() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(FlowFileConstants.IN_PROGRESS_SUFFIX)).toList();
        }
    }

    /**
     * A file channel that counts writes across channels and fails the one numbered {@code failAt},
     * or every one while {@code full}, after writing half of it, like a full disk; it writes at most
     * {@code maxPerWrite} bytes a call and records the file's size when it is forced.
     */
    private final class FailingChannel extends FileChannel {
        private final FileChannel delegate;

        FailingChannel(FileChannel delegate) {
            this.delegate = delegate;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (++writes == failAt || full) {
                ByteBuffer half = src.duplicate();
                half.limit(src.position() + src.remaining() / 2);
                delegate.write(half);
                throw new IOException("No space left on device");
            }
            ByteBuffer some = src.duplicate();
            some.limit(src.position() + Math.min(src.remaining(), maxPerWrite));
            int n = delegate.write(some);
            src.position(src.position() + n);
            return n;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return delegate.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return delegate.read(dsts, offset, length);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return delegate.write(srcs, offset, length);
        }

        @Override
        public long position() throws IOException {
            return delegate.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            delegate.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            delegate.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            forcedSizes.add(delegate.size());
            delegate.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return delegate.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return delegate.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return delegate.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return delegate.write(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return delegate.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return delegate.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return delegate.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            delegate.close();
        }
    }
}
