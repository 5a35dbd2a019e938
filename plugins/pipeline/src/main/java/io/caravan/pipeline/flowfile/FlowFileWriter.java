package io.caravan.pipeline.flowfile;

import io.caravan.api.metrics.Counter;
import io.caravan.api.plugin.PluginContext;
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
import org.slf4j.Logger;

/**
 * The rotating file of one endpoint. A file is opened on the first write after the last one was
 * closed, as {@code .<name>.inprogress} in the directory, and renamed to {@code <name>} when it
 * is closed: when it is {@code rotateSeconds} old, when the next body would take it past
 * {@code rotateBytes}, and on stop. Readers that skip dot-files therefore only ever see complete
 * files.
 *
 * <p>Thread-safe: one lock serializes appends, rotation and stop, and each body is written whole
 * with no other body inside it. When a write fails (disk full, ...) the file is cut back to the
 * bodies written before it, closed and renamed, the append throws, and the next append opens a new
 * file, so the endpoint goes on once the condition clears.
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

    private final String label;
    private final Path directory;
    private final String prefix;
    private final String suffix;
    private final long rotateNanos;
    private final long rotateBytes;
    private final FlowFileConfiguration.Compression compression;
    private final boolean fsync;
    private final Clock clock;
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
     * @param label   how logs, errors and the meters' {@code endpoint} tag name the endpoint
     * @param context the plugin context: the clock for file names, the logger, the meters
     * @param opener  how files are opened (tests substitute failing channels)
     */
    FlowFileWriter(String label, Path directory, FlowFileConfiguration c, PluginContext context, Opener opener) {
        this.label = label;
        this.directory = directory;
        this.prefix = c.prefix();
        this.suffix = c.suffix() + c.compression().suffix();
        this.rotateNanos = TimeUnit.SECONDS.toNanos(c.rotateSeconds());
        this.rotateBytes = c.rotateBytes();
        this.compression = c.compression();
        this.fsync = c.fsync();
        this.clock = context.clock();
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
            started = true;
        } finally {
            lock.unlock();
        }
        reportStaleFiles();
        log.info("{}: writing {}-yyyyMMdd-HHmmss-NNNN{} files", label, prefix, suffix);
    }

    /** Closes and renames the current file; appends fail until the next {@link #start()}. */
    void stop() {
        lock.lock();
        try {
            started = false;
            if (current != null) {
                close(current);
                current = null;
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
     * Appends the body, whole, to the current file, first closing it when due and opening a new
     * one when there is none. An empty body writes nothing.
     *
     * @throws IOException           the body could not be written; the message names the endpoint, the file and the cause
     * @throws IllegalStateException the endpoint is not started
     */
    void append(byte[] body) throws IOException {
        if (body.length == 0) {
            return;
        }
        lock.lock();
        try {
            if (!started) {
                throw new IllegalStateException(label + " is not started");
            }
            byte[] data = body;
            int length = body.length;
            if (member != null) {
                member.encode(body);
                data = member.buffer();
                length = member.size();
            }
            long now = System.nanoTime();
            if (current != null && (now - current.openedNanos >= rotateNanos || current.size + length > rotateBytes)) {
                close(current);
                current = null;
            }
            if (current == null) {
                current = open(now);
            }
            write(current, data, length);
            bytesWritten.addAndGet(length);
            bytesMeter.increment(length);
        } finally {
            lock.unlock();
        }
    }

    /** Closes the current file if it is {@code rotateSeconds} old; run by the endpoint's scheduled check. */
    void rotateIfDue() {
        lock.lock();
        try {
            if (current != null && System.nanoTime() - current.openedNanos >= rotateNanos) {
                close(current);
                current = null;
            }
        } catch (RuntimeException e) {
            log.warn("{}: rotation check failed: {}", label, e.toString());
        } finally {
            lock.unlock();
        }
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

    private void write(OpenFile f, byte[] data, int length) throws IOException {
        long before = f.size;
        try {
            ByteBuffer b = ByteBuffer.wrap(data, 0, length);
            while (b.hasRemaining()) {
                f.channel.write(b);
            }
            f.size += length;
        } catch (IOException e) {
            writeErrors.incrementAndGet();
            writeErrorsMeter.increment();
            current = null;
            salvage(f, before);
            throw new IOException(label + ": cannot write " + length + " bytes to " + f.inProgress.getFileName()
                    + ": " + e, e);
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

    long bytesWritten() {
        return bytesWritten.get();
    }

    long filesClosed() {
        return filesClosed.get();
    }

    long writeErrors() {
        return writeErrors.get();
    }
}
