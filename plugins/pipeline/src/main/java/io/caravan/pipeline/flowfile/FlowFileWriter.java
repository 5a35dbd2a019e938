package io.caravan.pipeline.flowfile;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.metrics.Counter;
import io.caravan.api.plugin.PluginContext;
import io.caravan.pipeline.encoding.BatchEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * The rotating file of one endpoint. A file is opened on the first body after the last one was
 * closed, as {@code .<name>.inprogress} in the directory, and renamed to {@code <name>} when it
 * is closed: when it is {@code rotateSeconds} old, when the next body would take it past
 * {@code rotateBytes}, and on stop. Readers that skip dot-files therefore only ever see complete
 * files.
 *
 * <p>Write-behind: an accepted body (compressed when that is on) is copied into a buffer of
 * {@code bufferSize} bytes (or, given as a batch and an encoder, encoded straight into it), and
 * the buffer is written with one call when the next body would not fit, before the file is
 * closed, and once its oldest body is {@code flushMillis} old (checked by {@link #checkDue()},
 * which the endpoint schedules, and by the next append). A body larger than the buffer is written
 * straight, after what is buffered; {@code bufferSize} 0 writes every body so. {@code rotateBytes}
 * counts buffered bytes as part of the file they go to.
 *
 * <p>Thread-safe: one lock serializes appends (a batch's encoding too), checks and stop, and each
 * body is written whole with no other body inside it. A file only ever grows by whole writes of
 * whole bodies: when a write fails (disk full, ...) the file is cut back to where that write began, closed and renamed,
 * and the error counted. A failed write of a single body throws from its append. A failed write of
 * the buffer keeps its bytes in the buffer: the append that caused it throws (its body is not
 * taken), and the first append or check {@code flushMillis} later tries to write them again, to a
 * new file (at most one try per {@code flushMillis}). Until that works, an append takes its body
 * only if it still fits beside them, so nothing accepted is lost and the endpoint goes on by itself
 * once the condition clears.
 */
final class FlowFileWriter {
    /** Opens a new file for writing; fails if it exists. Tests substitute failing channels. */
    interface Opener {
        FileChannel open(Path path) throws IOException;
    }

    static final Opener FILES = path -> FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final int MAX_NAME_TRIES = 10_000;
    private static final int STALE_NAMES_LOGGED = 5;
    /** The array a batch to compress, or one larger than the buffer, is encoded into first; it doubles as needed. */
    private static final int SCRATCH_BYTES = 64 * 1024;
    /** A scratch array grown past this is let go after its batch. */
    private static final int SCRATCH_KEPT_BYTES = 16 << 20;

    private final String label;
    private final Path directory;
    private final String prefix;
    private final String suffix;
    private final long rotateNanos;
    private final long rotateBytes;
    private final FlowFileConfiguration.Compression compression;
    private final boolean fsync;
    private final int bufferSize;
    private final long flushNanos;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Opener opener;
    private final Logger log;

    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong filesClosed = new AtomicLong();
    private final AtomicLong writeErrors = new AtomicLong();
    private final Counter bytesMeter;
    private final Counter filesMeter;
    private final Counter writeErrorsMeter;
    /** The rest is guarded by {@link #lock}. */
    private boolean started;
    private long sequence;
    private OpenFile current;
    private BodyCompressor member;
    /**
     * Whole bodies not written yet, in write mode; allocated by the first start when {@code bufferSize > 0}. On
     * the heap, so that encoders write into its array; past its position it may hold any bytes.
     */
    private ByteBuffer buffer;
    /** Where a batch is encoded when it cannot be encoded into {@link #buffer}; see {@link #append(FlowBatch, BatchEncoder)}. */
    private byte[] scratch = new byte[SCRATCH_BYTES];
    /**
     * Bytes per record of the last batch encoded here, 0 before the first. An encoder finds that a
     * batch does not fit only after writing most of the room there is, so a batch that will not
     * fit is sent where it will before it is encoded (see {@link #expectedBytes}).
     */
    private int bytesPerRecord;
    /** When the oldest body in {@link #buffer} was accepted, by {@link #nanoTime}. */
    private long bufferedSinceNanos;
    /**
     * Not null while the buffer holds bytes that a failed write left and no file is open for them:
     * that failure, the cause of a refusal. Invariant: buffered bytes have {@link #current} or this.
     */
    private IOException retained;
    /** When bytes kept after a failed write were last tried (nanoTime); see {@link #retry}. */
    private long lastRetryNanos;

    /**
     * @param label    how logs, errors and the meters' {@code endpoint} tag name the endpoint
     * @param context  the plugin context: the clock for file names, the logger, the meters
     * @param opener   how files are opened (tests substitute failing channels)
     * @param nanoTime the monotonic time that file age and buffer age are measured by (tests substitute their own)
     */
    FlowFileWriter(String label, Path directory, FlowFileConfiguration c, PluginContext context, Opener opener,
                   LongSupplier nanoTime) {
        this.label = label;
        this.directory = directory;
        this.prefix = c.prefix();
        this.suffix = c.suffix() + c.compression().suffix();
        this.rotateNanos = TimeUnit.SECONDS.toNanos(c.rotateSeconds());
        this.rotateBytes = c.rotateBytes();
        this.compression = c.compression();
        this.fsync = c.fsync();
        this.bufferSize = c.bufferSize();
        this.flushNanos = TimeUnit.MILLISECONDS.toNanos(c.flushMillis());
        this.clock = context.clock();
        this.nanoTime = nanoTime;
        this.opener = opener;
        this.log = context.logger(FlowFileConstants.SCHEME);
        this.bytesMeter = context.counter(FlowFileConstants.METER_BYTES, FlowFileConstants.TAG_ENDPOINT, label);
        this.filesMeter = context.counter(FlowFileConstants.METER_FILES, FlowFileConstants.TAG_ENDPOINT, label);
        this.writeErrorsMeter = context.counter(FlowFileConstants.METER_WRITE_ERRORS, FlowFileConstants.TAG_ENDPOINT,
                label);
    }

    /** The current file and what has been written to it. */
    private static final class OpenFile {
        final Path inProgress;
        final Path target;
        final FileChannel channel;
        final long openedNanos;
        /** Bytes written to the file, all whole bodies. */
        long size;

        OpenFile(Path inProgress, Path target, FileChannel channel, long openedNanos) {
            this.inProgress = inProgress;
            this.target = target;
            this.channel = channel;
            this.openedNanos = openedNanos;
        }
    }

    void start() {
        lock.lock();
        try {
            if (member == null) {
                member = switch (compression) {
                    case NONE -> null;
                    case GZIP -> new GzipMember();
                    case ZSTD -> new ZstdFrame();
                };
            }
            if (buffer == null && bufferSize > 0) {
                buffer = ByteBuffer.allocate(bufferSize);
            }
            started = true;
        } finally {
            lock.unlock();
        }
        reportStaleFiles();
        log.info("{}: writing {}-yyyyMMdd-HHmmss-NNNN{} files", label, prefix, suffix);
    }

    /**
     * Writes what is buffered, closes and renames the current file; appends fail until the next
     * {@link #start()}. Bytes that cannot be written are logged and kept for the next start.
     */
    void stop() {
        lock.lock();
        try {
            started = false;
            if (retained != null) {
                // A last try now, however recent the one before.
                long now = nanoTime.getAsLong();
                lastRetryNanos = now - flushNanos;
                retry(now);
            }
            if (current != null) {
                try {
                    closeCurrent();
                } catch (IOException e) {
                    log.debug("{}: writing the buffer at stop failed", label, e);
                }
            }
            if (retained != null) {
                log.warn("{}: stopped with {} accepted bytes not written, kept in memory until the endpoint starts"
                        + " again: {}", label, buffered(), retained.getMessage());
            }
            if (member != null) {
                member.end();
                member = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Accepts the body, whole, for the current file: buffers it, or writes it when it is larger
     * than the buffer, first closing the file when due and opening a new one when there is none.
     * Returning normally means the body is accepted: it reaches a file unless the endpoint stops
     * while the disk keeps failing. An empty body writes nothing.
     *
     * @throws IOException           the body was not accepted (opening or writing a file failed, or the buffer
     *                               still holds bytes a failed write left and the body does not fit beside them);
     *                               the message names the endpoint, the file and the cause
     * @throws IllegalStateException the endpoint is not started
     */
    void append(byte[] body) throws IOException {
        if (body.length == 0) {
            return;
        }
        lock.lock();
        try {
            checkStarted();
            accept(body, body.length, nanoTime.getAsLong());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Accepts the batch's records as {@code encoder} writes them, as one body, exactly as {@link
     * #append(byte[])} takes the bytes {@code encoder} would give: without compression they are
     * encoded straight into the buffer after the bodies there (when they do not fit, once more
     * after writing those), and only a whole body moves the buffer's position; a body larger than
     * the buffer, or one to compress, is encoded into an array the writer reuses. Where the batch
     * goes is chosen by the last batch's bytes per record, so that a batch is encoded once: a
     * collector's batch of 64 datagrams is 1.5 MB of JSON, more than the default buffer. An empty
     * batch writes nothing.
     *
     * @throws IOException           the body was not accepted, as {@link #append(byte[])}, or a record cannot be
     *                               written in the encoder's format (the message names the batch and the format)
     * @throws IllegalStateException the endpoint is not started
     */
    void append(FlowBatch batch, BatchEncoder encoder) throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            checkStarted();
            long now = nanoTime.getAsLong();
            long expected = expectedBytes(batch);
            if (member != null || buffer == null || expected > bufferSize || !encodeInPlace(batch, encoder, now, expected)) {
                try {
                    if (scratch.length < expected && expected <= SCRATCH_KEPT_BYTES) {
                        scratch = new byte[(int) expected];
                    }
                    accept(scratch, encodeToScratch(batch, encoder), now);
                } finally {
                    if (scratch.length > SCRATCH_KEPT_BYTES) {
                        // An unusually large batch: its array is not kept for the endpoint's life.
                        scratch = new byte[SCRATCH_BYTES];
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void checkStarted() {
        if (!started) {
            throw new IllegalStateException(label + " is not started");
        }
    }

    /** Takes a body of {@code bodyLength} bytes, compressed when that is on, into the buffer or the file. */
    private void accept(byte[] body, int bodyLength, long now) throws IOException {
        byte[] data = body;
        int length = bodyLength;
        if (member != null) {
            member.encode(body, bodyLength);
            data = member.buffer();
            length = member.size();
        }
        if (retained != null) {
            retry(now);
        }
        if (retained != null) {
            // Still failing: take the body only while it fits beside the bytes kept, in memory and in the next file.
            if (length > bufferSize - buffered()) {
                throw notBesideRetained(length + " bytes");
            }
            checkBesideRetained(length);
            buffer.put(data, 0, length);
            return;
        }
        makeRoom(length, now);
        if (length > bufferSize) {
            writeStraight(current, data, length);
        } else {
            if (buffered() == 0) {
                bufferedSinceNanos = now;
            }
            buffer.put(data, 0, length);
        }
    }

    /**
     * Encodes the batch into the buffer after the bodies there and takes it, with the rotation and
     * writes {@link #accept} does; false when it does not fit the buffer even empty, which then
     * holds what it did before. The buffer's position moves only over a whole body.
     */
    private boolean encodeInPlace(FlowBatch batch, BatchEncoder encoder, long now, long expected) throws IOException {
        byte[] b = buffer.array();
        if (retained != null) {
            retry(now);
        }
        int start = buffered();
        if (retained == null && start > 0 && expected > bufferSize - start) {
            // It will not fit beside what is there: write that first rather than encode twice.
            flush();
            start = 0;
        }
        int end = encode(batch, encoder, b, start);
        if (retained != null) {
            if (end == BatchEncoder.DOES_NOT_FIT) {
                throw notBesideRetained(batch.toString());
            }
            checkBesideRetained(end - start);
            buffer.position(end);
            return true;
        }
        if (end == BatchEncoder.DOES_NOT_FIT && start > 0) {
            // Whole bodies only go to the current file: the same file, whether written now or later.
            flush();
            start = 0;
            end = encode(batch, encoder, b, start);
        }
        if (end == BatchEncoder.DOES_NOT_FIT) {
            return false;
        }
        int length = end - start;
        makeRoom(length, now);
        int at = buffered();
        if (at != start) {
            // Closing the file or writing the buffer emptied it: the body moves to its start.
            System.arraycopy(b, start, b, at, length);
        }
        if (at == 0) {
            bufferedSinceNanos = now;
        }
        buffer.position(at + length);
        return true;
    }

    /** The bytes the batch is expected to take, by the last batch's bytes per record and an eighth more; 0 at first. */
    private long expectedBytes(FlowBatch batch) {
        long bytes = (long) batch.size() * bytesPerRecord;
        return bytes + bytes / 8;
    }

    /** Encodes the batch into {@link #scratch}, grown until it fits, and returns its length. */
    private int encodeToScratch(FlowBatch batch, BatchEncoder encoder) throws IOException {
        int end;
        while ((end = encode(batch, encoder, scratch, 0)) == BatchEncoder.DOES_NOT_FIT) {
            if (scratch.length >= Integer.MAX_VALUE / 2) {
                throw new IOException(label + ": cannot write " + batch + " as " + encoder.format()
                        + ": it takes more than " + scratch.length + " bytes");
            }
            scratch = new byte[2 * scratch.length];
        }
        return end;
    }

    /** The encoder's failure to write a record, as the exchange's failure. */
    private int encode(FlowBatch batch, BatchEncoder encoder, byte[] b, int off) throws IOException {
        try {
            int end = encoder.encode(batch.records(), b, off);
            if (end != BatchEncoder.DOES_NOT_FIT) {
                bytesPerRecord = (end - off + batch.size() - 1) / batch.size();
            }
            return end;
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(label + ": cannot write " + batch + " as " + encoder.format() + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * Closes the current file when it is due or when {@code length} more bytes would take it past
     * {@code rotateBytes}, writes the buffer when they do not fit beside what is there or its oldest
     * body is {@code flushMillis} old, and opens a file when none is open.
     */
    private void makeRoom(int length, long now) throws IOException {
        if (current != null && (now - current.openedNanos >= rotateNanos
                || current.size + buffered() + length > rotateBytes)) {
            closeCurrent();
        }
        if (buffered() > 0 && (length > bufferSize - buffered() || now - bufferedSinceNanos >= flushNanos)) {
            flush();
        }
        if (current == null) {
            current = open(now);
        }
    }

    /** While bytes a failed write left are kept: a body they and it would take past rotateBytes is refused. */
    private void checkBesideRetained(int length) throws IOException {
        if (buffered() + length > rotateBytes) {
            throw notBesideRetained(length + " bytes");
        }
    }

    private IOException notBesideRetained(String what) {
        return new IOException(label + ": cannot take " + what + ": " + buffered()
                + " bytes kept after a failed write are not written yet: " + retained.getMessage(), retained);
    }

    /**
     * Closes the current file if it is {@code rotateSeconds} old, writes the buffer if its oldest
     * body is {@code flushMillis} old, and tries again to write bytes a failed write left; run by
     * the endpoint's scheduled check. Failures are counted and logged, never thrown.
     */
    void checkDue() {
        lock.lock();
        try {
            if (!started) {
                return;
            }
            long now = nanoTime.getAsLong();
            if (retained != null) {
                retry(now);
                if (retained != null) {
                    log.debug("{}: {} bytes kept after a failed write are still not written: {}", label, buffered(),
                            retained.getMessage());
                    return;
                }
            }
            if (current != null && now - current.openedNanos >= rotateNanos) {
                closeCurrent();
            } else if (buffered() > 0 && now - bufferedSinceNanos >= flushNanos) {
                flush();
            }
        } catch (IOException e) {
            log.warn("{}: {}; the bytes are kept and written again by the next body or check", label, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("{}: rotation check failed: {}", label, e.toString());
        } finally {
            lock.unlock();
        }
    }

    private int buffered() {
        return buffer == null ? 0 : buffer.position();
    }

    /** Writes what is buffered, then closes and renames the current file; a failed write throws, as {@link #flush()}. */
    private void closeCurrent() throws IOException {
        if (buffered() > 0) {
            flush();
        }
        close(current);
        current = null;
    }

    /**
     * Writes the whole buffer to the current file. If that fails, the file is cut back to where the
     * write began and closed, the bytes stay in the buffer and {@link #retained} says why.
     */
    private void flush() throws IOException {
        OpenFile f = current;
        ByteBuffer out = buffer.duplicate().flip();
        int length = out.remaining();
        try {
            writeAll(f.channel, out);
        } catch (IOException e) {
            retained = failed(f, length, e);
            lastRetryNanos = nanoTime.getAsLong();
            throw retained;
        }
        buffer.clear();
        written(f, length);
    }

    /**
     * Writes the bytes a failed write left to a new file; on failure they stay, counted, with
     * {@link #retained} updated. Tried at most once per {@code flushMillis}: during a disk outage
     * each try opens, fails and deletes a file, and appends come far more often than that.
     */
    private void retry(long now) {
        if (now - lastRetryNanos < flushNanos) {
            return;
        }
        lastRetryNanos = now;
        try {
            current = open(now);
            flush();
            retained = null;
        } catch (IOException e) {
            retained = e;
        }
    }

    /** Writes one body larger than the buffer; the buffer is empty. */
    private void writeStraight(OpenFile f, byte[] data, int length) throws IOException {
        try {
            writeAll(f.channel, ByteBuffer.wrap(data, 0, length));
        } catch (IOException e) {
            throw failed(f, length, e);
        }
        written(f, length);
    }

    /** A channel may take less than asked: write until all of it is in. */
    private static void writeAll(FileChannel channel, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    private void written(OpenFile f, int length) {
        f.size += length;
        bytesWritten.addAndGet(length);
        bytesMeter.increment(length);
    }

    /** Counts a failed write of {@code length} bytes to {@code f}, salvages the file and returns the exception to throw. */
    private IOException failed(OpenFile f, int length, IOException e) {
        writeErrors.incrementAndGet();
        writeErrorsMeter.increment();
        current = null;
        salvage(f, f.size);
        return new IOException(label + ": cannot write " + length + " bytes to " + f.inProgress.getFileName() + ": "
                + e, e);
    }

    private OpenFile open(long nowNanos) throws IOException {
        String stamp = STAMP.format(clock.instant());
        try {
            Files.createDirectories(directory);
            for (int i = 0; i < MAX_NAME_TRIES; i++) {
                String name = prefix + "-" + stamp + "-" + String.format("%04d", ++sequence) + suffix;
                Path target = directory.resolve(name);
                Path inProgress = directory.resolve("." + name + FlowFileConstants.IN_PROGRESS_SUFFIX);
                if (Files.exists(target)) {
                    continue;
                }
                try {
                    return new OpenFile(inProgress, target, opener.open(inProgress), nowNanos);
                } catch (FileAlreadyExistsException e) {
                    log.debug("{}: {} exists, trying the next sequence number", label, inProgress);
                }
            }
            throw new IOException("every name tried exists");
        } catch (IOException e) {
            writeErrors.incrementAndGet();
            writeErrorsMeter.increment();
            throw new IOException(label + ": cannot open a new file in " + directory + ": " + e, e);
        }
    }

    /**
     * After a failed write: cuts the file back to the bodies written whole before it, then closes
     * and renames it (or deletes it when nothing was). If the file cannot be cut back it stays
     * in progress, so no reader sees a partial body.
     */
    private void salvage(OpenFile f, long size) {
        try {
            truncate(f, size);
        } catch (IOException e) {
            closeQuietly(f.channel);
            log.warn("{}: {} is left in progress: after a failed write it could not be cut back to {} bytes: {}",
                    label, f.inProgress, size, e.toString());
            return;
        }
        if (size == 0) {
            closeQuietly(f.channel);
            try {
                Files.deleteIfExists(f.inProgress);
            } catch (IOException e) {
                log.warn("{}: could not delete the empty {}: {}", label, f.inProgress, e.toString());
            }
            return;
        }
        close(f);
    }

    /** Truncates through the file's own channel or, when that was closed (an interrupt does so), a new one. */
    private static void truncate(OpenFile f, long size) throws IOException {
        try {
            f.channel.truncate(size);
            f.channel.position(size);
        } catch (ClosedChannelException e) {
            try (FileChannel again = FileChannel.open(f.inProgress, StandardOpenOption.WRITE)) {
                again.truncate(size);
            }
        }
    }

    /** Forces (with fsync), closes and renames the file to its final name; logs a failure and leaves the file. */
    private void close(OpenFile f) {
        try {
            if (fsync && f.channel.isOpen()) {
                f.channel.force(true);
            }
            f.channel.close();
            Files.move(f.inProgress, f.target, StandardCopyOption.ATOMIC_MOVE);
            if (fsync) {
                forceDirectory();
            }
            filesClosed.incrementAndGet();
            filesMeter.increment();
            log.info("Closed {}: {} bytes", f.target.getFileName(), f.size);
        } catch (IOException e) {
            closeQuietly(f.channel);
            log.warn("{}: could not close {} and rename it to {}: {}; it is left in progress", label, f.inProgress,
                    f.target.getFileName(), e.toString());
        }
    }

    /** Makes the rename durable; not every file system lets a directory be opened, so a failure is only logged. */
    private void forceDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            log.debug("{}: cannot force directory {} to disk: {}", label, directory, e.toString());
        }
    }

    /** In-progress files of this prefix found at start are from a run that did not stop cleanly: they are reported, not touched. */
    private void reportStaleFiles() {
        if (!Files.isDirectory(directory)) {
            return;
        }
        List<String> stale = new ArrayList<>();
        String start = "." + prefix + "-";
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, p -> p.getFileName().toString()
                .startsWith(start) && p.getFileName().toString().endsWith(FlowFileConstants.IN_PROGRESS_SUFFIX))) {
            for (Path p : files) {
                stale.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            log.debug("{}: cannot list {}: {}", label, directory, e.toString());
            return;
        }
        if (!stale.isEmpty()) {
            log.warn("{}: {} in-progress file(s) from an earlier run that did not stop cleanly are left as they are: {}",
                    label, stale.size(), String.join(", ", stale.subList(0, Math.min(STALE_NAMES_LOGGED, stale.size())))
                            + (stale.size() > STALE_NAMES_LOGGED ? ", ..." : ""));
        }
    }

    private void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            log.trace("closing after a failure", e);
        }
    }

    Path directory() {
        return directory;
    }

    /** Bytes written to files, as on disk; bodies still in the buffer are not counted yet. */
    long bytesWritten() {
        return bytesWritten.get();
    }

    long filesClosed() {
        return filesClosed.get();
    }

    /** Failed attempts to open a file or write to it. */
    long writeErrors() {
        return writeErrors.get();
    }
}
