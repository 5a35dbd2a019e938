package io.caravan.pipeline.flowfile;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.api.stage.OptionException;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a failing disk does to the writer, through channels that fail on cue. */
class FlowFileWriterTest {
    @TempDir
    Path dir;

    private final RecordingStageContext context = RecordingStageContext.of("flowfile", new SettableClock(0));
    /** Fails the write numbered {@code failAt} (1-based, across all files) after writing half of it. */
    private final AtomicInteger writes = new AtomicInteger();

    @Test
    void aWriteThatFailsHalfwayIsCutBackTheFileClosedAndTheNextBodyGoesToANewFile() throws Exception {
        FlowFileWriter writer = writer(2);
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
        FlowFileWriter writer = writer(1);
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
        FlowFileWriter writer = writer(0);

        assertThatThrownBy(() -> writer.append(new byte[1]))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("flowfile:test is not started");
        writer.start();
        writer.append(new byte[0]);
        writer.stop();

        assertThat(contents()).isEmpty();
        assertThat(inProgress()).isEmpty();
    }

    private FlowFileWriter writer(int failAt) throws OptionException {
        FlowFileConfiguration c = FlowFileConfiguration.of(dir.toString(), Map.of());
        return new FlowFileWriter("flowfile:test", dir, c, context,
                path -> new FailingChannel(FlowFileWriter.FILES.open(path), failAt));
    }

    private List<String> contents() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().map(p -> {
                try {
                    return Files.readString(p);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
    }

    private List<Path> inProgress() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(FlowFileConstants.IN_PROGRESS_SUFFIX)).toList();
        }
    }

    /** A file channel whose {@code failAt}-th write, counted across channels, writes half and then fails like a full disk. */
    private final class FailingChannel extends FileChannel {
        private final FileChannel delegate;
        private final int failAt;

        FailingChannel(FileChannel delegate, int failAt) {
            this.delegate = delegate;
            this.failAt = failAt;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (writes.incrementAndGet() == failAt) {
                ByteBuffer half = src.duplicate();
                half.limit(src.position() + src.remaining() / 2);
                delegate.write(half);
                throw new IOException("No space left on device");
            }
            return delegate.write(src);
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
