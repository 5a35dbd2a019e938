package io.caravan.pipeline.bus;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.Origin;
import io.caravan.pipeline.json.JsonLines;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;

/**
 * A subscriber's batches on disk: those that found its queue full, and those a stop left queued,
 * so that a sink outage, and a stop during one, lose nothing accepted. Read back oldest first.
 *
 * <p>Segment files {@code <dir>/<sequence>.spool}, the lowest sequence read first, each a run of
 * frames: payload length and record count (two ints), then the payload: the origin and the records
 * as JSON lines ({@link JsonLines}: every field and attribute). A segment is deleted by the take
 * after the one that returned its last batch, so that batch was delivered first. How far the first
 * segment has been read is kept only in memory: a clean stop rewrites it to what is left, and after
 * a crash it is read again from its start (at least once). Bounded by {@code maxBytes}, except for
 * what a stop puts back and the part of the first segment already read.
 *
 * <p>Files are read and written with {@link RandomAccessFile}, not a {@code FileChannel}: an
 * interrupt (a stop cutting a delivery short) must not close the spool under its holder. Not
 * thread-safe: its subscription's lock guards it. {@link #encode} and {@link #decode} touch no
 * state, so callers run them outside that lock.
 */
final class Spool {
    static final String SUFFIX = ".spool";
    /** Appends roll over to a new segment past this, so read segments go while the spool still grows. */
    static final long SEGMENT_BYTES = 64L << 20;
    private static final int HEADER = 8;
    /** The first segment's sequence: room below it for what stops put back in front. */
    private static final long FIRST = 1L << 40;
    private static final Pattern SEGMENT_NAME = Pattern.compile("[0-9]{1,19}" + Pattern.quote(SUFFIX));

    /** A batch as the spool keeps it: header and payload, and its record count. */
    record Frame(byte[] bytes, int records) {
    }

    /** One file: its size and the records in it not yet taken. */
    private static final class Segment {
        final long sequence;
        final Path path;
        long size;
        int records;

        Segment(long sequence, Path path) {
            this.sequence = sequence;
            this.path = path;
        }
    }

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final JsonLines codec;
    private final Logger log;
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    /** Open on the last segment while appending to it. */
    private RandomAccessFile writer;
    /** Open on the first segment while reading it, from readPos; null means readPos is 0. */
    private RandomAccessFile reader;
    private long readPos;
    private long bytes;
    private long records;
    /** Locked while open: a second server on the same data directory would interleave its segments. */
    private final FileChannel lockFile;

    /**
     * Opens the spool in {@code dir}, creating it, with what an earlier run left there. A frame cut
     * short by a crash is cut off (logged); files of other names are left alone.
     */
    Spool(Path dir, long maxBytes, JsonLines codec, Logger log) throws IOException {
        this(dir, maxBytes, SEGMENT_BYTES, codec, log);
    }

    /** As {@link #Spool(Path, long, JsonLines, Logger)}, with segments that roll over past {@code segmentBytes}. */
    Spool(Path dir, long maxBytes, long segmentBytes, JsonLines codec, Logger log) throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        this.codec = codec;
        this.log = log;
        Files.createDirectories(dir);
        if (!Files.isWritable(dir)) {
            throw new IOException(dir + " is not writable");
        }
        this.lockFile = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (!locked(lockFile)) {
                throw new IOException(dir + " is in use by another spool (another server on this data directory?)");
            }
            load();
        } catch (IOException | RuntimeException e) {
            lockFile.close();
            throw e;
        }
    }

    /** Takes the lock file's lock, held until the channel closes; false when another holds it. */
    private static boolean locked(FileChannel lockFile) throws IOException {
        try {
            return lockFile.tryLock() != null;
        } catch (OverlappingFileLockException e) {
            return false; // held by this process: another spool on the same directory
        }
    }

    /** Finds the segments an earlier run left. */
    private void load() throws IOException {
        List<Segment> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                String name = p.getFileName().toString();
                if (name.endsWith(SUFFIX + ".tmp")) {
                    Files.delete(p); // a rewrite a crash cut short: the segment it was for is whole
                } else if (SEGMENT_NAME.matcher(name).matches()) {
                    found.add(new Segment(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())), p));
                }
            }
        }
        found.sort(Comparator.comparingLong(s -> s.sequence));
        for (Segment s : found) {
            scan(s);
            if (s.records == 0) {
                Files.delete(s.path);
            } else {
                segments.addLast(s);
                bytes += s.size;
                records += s.records;
            }
        }
    }

    /** Counts a segment's frames, cutting off a torn last one. */
    private void scan(Segment s) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(s.path.toFile(), "rw")) {
            long size = f.length();
            long pos = 0;
            while (pos < size) {
                int len = -1;
                int n = -1;
                if (size - pos >= HEADER) {
                    f.seek(pos);
                    len = f.readInt();
                    n = f.readInt();
                }
                if (len < 0 || n < 0 || size - pos - HEADER < len) {
                    log.warn("bus spool {}: {} bytes at the end of {} are not a whole batch (cut short by a crash?);"
                            + " cut off", dir, size - pos, s.path.getFileName());
                    f.setLength(pos);
                    break;
                }
                pos += HEADER + len;
                s.records += n;
            }
            s.size = pos;
        }
    }

    boolean isEmpty() {
        return records == 0;
    }

    /**
     * Whether {@link #take} has work: records, or a segment read to its end that the next take
     * deletes (its last batch now delivered).
     */
    boolean hasFiles() {
        return !segments.isEmpty();
    }

    /** Records not yet taken. */
    long records() {
        return records;
    }

    /** Bytes not yet taken. */
    long bytes() {
        return bytes;
    }

    Path directory() {
        return dir;
    }

    /** A batch as a frame. Touches no state of the spool: thread-safe. */
    Frame encode(FlowBatch batch) throws IOException {
        byte[] lines = codec.write(batch.records());
        Origin o = batch.origin();
        byte[] address = o.exporter() == null ? new byte[0] : o.exporter().getAddress().getAddress();
        int len = 1 + address.length + 2 + 8 + 8 + lines.length;
        ByteBuffer b = ByteBuffer.allocate(HEADER + len);
        b.putInt(len).putInt(batch.size());
        b.put((byte) address.length).put(address);
        b.putShort((short) (o.exporter() == null ? 0 : o.exporter().getPort()));
        b.putLong(o.observationDomain()).putLong(o.receivedMs());
        b.put(lines);
        return new Frame(b.array(), batch.size());
    }

    /**
     * A frame's batch. Touches no state of the spool: thread-safe.
     *
     * @throws IOException the frame is not a batch this spool wrote
     */
    FlowBatch decode(Frame frame) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(frame.bytes(), HEADER, frame.bytes().length - HEADER);
        int addressLength = b.get();
        if (addressLength != 0 && addressLength != 4 && addressLength != 16) {
            throw new IOException("not a spooled batch (an address of " + addressLength + " bytes)");
        }
        byte[] address = new byte[addressLength];
        b.get(address);
        int port = Short.toUnsignedInt(b.getShort());
        long domain = b.getLong();
        long receivedMs = b.getLong();
        InetSocketAddress exporter = addressLength == 0 ? null
                : new InetSocketAddress(InetAddress.getByAddress(address), port);
        List<FlowRecord> list = codec.read(frame.bytes(), b.position(), b.remaining());
        return new FlowBatch(new Origin(exporter, domain, receivedMs), list);
    }

    /** Appends a frame; false, with nothing written, when that would pass the bound. */
    boolean append(Frame frame) throws IOException {
        if (bytes + frame.bytes().length > maxBytes) {
            return false;
        }
        Segment last = segments.peekLast();
        if (writer == null || last == null || last.size >= segmentBytes) {
            closeWriter();
            long sequence = last == null ? FIRST : last.sequence + 1;
            last = new Segment(sequence, path(sequence));
            writer = new RandomAccessFile(last.path.toFile(), "rw");
            segments.addLast(last);
        }
        write(writer, frame, last);
        return true;
    }

    /** Puts batches in front of everything spooled, in their order, bound or not: they were accepted. */
    void putBack(List<FlowBatch> batches) throws IOException {
        if (batches.isEmpty()) {
            return;
        }
        trimHead();
        Segment first = segments.peekFirst();
        long sequence = first == null ? FIRST : first.sequence - 1;
        Segment front = new Segment(sequence, path(sequence));
        try (RandomAccessFile f = new RandomAccessFile(front.path.toFile(), "rw")) {
            for (FlowBatch b : batches) {
                write(f, encode(b), front);
            }
        } catch (IOException | RuntimeException e) {
            // Not kept: the caller counts these records as dropped, so none of them may come back.
            bytes -= front.size;
            records -= front.records;
            Files.deleteIfExists(front.path);
            throw e;
        }
        segments.addFirst(front);
    }

    /** The oldest frame not yet taken, null when there is none. */
    Frame take() throws IOException {
        while (true) {
            Segment s = segments.peekFirst();
            if (s == null) {
                return null;
            }
            if (reader == null) {
                reader = new RandomAccessFile(s.path.toFile(), "r");
            }
            if (readPos >= s.size) {
                // Used up, and the batch taken last was delivered (this take comes after it).
                closeReader();
                if (s == segments.peekLast()) {
                    closeWriter();
                }
                segments.removeFirst();
                try {
                    Files.deleteIfExists(s.path);
                } catch (IOException e) {
                    log.warn("bus spool {}: cannot delete {}, whose batches were all delivered ({}); a restart"
                            + " delivers them again", dir, s.path.getFileName(), e.toString());
                }
                continue;
            }
            reader.seek(readPos);
            int len = reader.readInt();
            int n = reader.readInt();
            if (len < 0 || n < 0 || len > s.size - readPos - HEADER) {
                throw new IOException(s.path + ": not a spooled batch at byte " + readPos);
            }
            byte[] frame = new byte[HEADER + len];
            reader.seek(readPos);
            reader.readFully(frame);
            readPos += frame.length;
            bytes -= frame.length;
            records -= n;
            s.records -= n;
            return new Frame(frame, n);
        }
    }

    /**
     * Sets the first segment aside as {@code <name>.bad} after {@link #take} found it unreadable, for
     * an operator to look at.
     *
     * @return the records it still held, now lost
     */
    int setAsideFirst() throws IOException {
        long read = readPos;
        closeReader();
        Segment s = segments.pollFirst();
        if (s == null) {
            return 0;
        }
        if (segments.isEmpty()) {
            closeWriter(); // it was the segment appended to
        }
        bytes -= s.size - read;
        records -= s.records;
        Files.move(s.path, s.path.resolveSibling(s.path.getFileName() + ".bad"), StandardCopyOption.REPLACE_EXISTING);
        return s.records;
    }

    /** Closes the files, the first segment cut to what was not taken of it (see {@link #trimHead}). */
    void close() throws IOException {
        try {
            trimHead();
        } finally {
            try {
                closeReader();
                closeWriter();
            } finally {
                lockFile.close(); // releases the lock
            }
        }
    }

    /**
     * Rewrites a first segment read part way to what is left of it, or deletes one read to its end,
     * so that nothing is read twice: by the next start, or after a {@link #putBack} put a segment in
     * front of it. Then no segment is open for reading.
     */
    private void trimHead() throws IOException {
        Segment s = segments.peekFirst();
        long read = readPos;
        if (reader == null || s == null || read == 0) {
            closeReader();
            return;
        }
        if (s == segments.peekLast()) {
            closeWriter(); // appends go to a new segment after this one
        }
        if (read >= s.size) {
            closeReader();
            segments.removeFirst();
            Files.deleteIfExists(s.path);
            return;
        }
        Path tmp = s.path.resolveSibling(s.path.getFileName() + ".tmp");
        try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
            byte[] buf = new byte[64 << 10];
            reader.seek(read);
            for (long left = s.size - read; left > 0; ) {
                int got = reader.read(buf, 0, (int) Math.min(buf.length, left));
                if (got < 0) {
                    throw new IOException(s.path + ": shorter than the " + s.size + " bytes spooled in it");
                }
                out.write(buf, 0, got);
                left -= got;
            }
        }
        closeReader();
        Files.move(tmp, s.path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        s.size -= read;
    }

    private Path path(long sequence) {
        return dir.resolve(String.format("%019d%s", sequence, SUFFIX));
    }

    /** Writes a frame at the segment's end; one that fails is cut off again, so no torn frame stays. */
    private void write(RandomAccessFile f, Frame frame, Segment s) throws IOException {
        try {
            f.seek(s.size);
            f.write(frame.bytes());
        } catch (IOException e) {
            try {
                f.setLength(s.size);
            } catch (IOException x) {
                e.addSuppressed(x);
            }
            throw e;
        }
        s.size += frame.bytes().length;
        s.records += frame.records();
        bytes += frame.bytes().length;
        records += frame.records();
    }

    private void closeReader() throws IOException {
        readPos = 0;
        if (reader != null) {
            RandomAccessFile r = reader;
            reader = null;
            r.close();
        }
    }

    private void closeWriter() throws IOException {
        if (writer != null) {
            RandomAccessFile w = writer;
            writer = null;
            w.close();
        }
    }
}
