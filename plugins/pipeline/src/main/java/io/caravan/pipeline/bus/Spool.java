package io.caravan.pipeline.bus;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.Origin;
import io.caravan.pipeline.json.JsonLines;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;

/**
 * A subscriber's batches on disk: those that found its queue full, and those a stop left queued,
 * so that a sink outage, and a stop during one, lose nothing accepted. Read back oldest first.
 *
 * <p>Segment files {@code <dir>/<sequence>.spool}, the lowest sequence read first, each a run of
 * frames: payload length and record count (two ints), then the payload: the origin and the records
 * as JSON lines ({@link JsonLines}: every field and attribute). A segment is deleted by the take
 * after the one that returned its last batch, so that batch was delivered first; a batch taken and
 * not delivered when the process dies is read again at the next start (at least once). A stop
 * rewrites a partly read segment to what is left of it. Bounded by {@code maxBytes}, except for
 * what a stop puts back. Not thread-safe: its subscription's lock guards it.
 */
final class Spool {
    static final String SUFFIX = ".spool";
    /** Appends roll over to a new segment past this, so read segments go while the spool still grows. */
    static final long SEGMENT_BYTES = 64L << 20;
    private static final int HEADER = 8;
    /** The first segment's sequence: room below it for what stops put back in front. */
    private static final long FIRST = 1L << 40;

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
    private FileChannel writer;
    private FileChannel reader;
    private long readPos;
    private long bytes;
    private long records;

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
        List<Segment> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path p : files) {
                String name = p.getFileName().toString();
                String digits = name.substring(0, name.length() - SUFFIX.length());
                if (digits.matches("[0-9]{1,19}")) {
                    found.add(new Segment(Long.parseLong(digits), p));
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
        try (FileChannel c = FileChannel.open(s.path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = c.size();
            long pos = 0;
            ByteBuffer h = ByteBuffer.allocate(HEADER);
            while (pos < size) {
                h.clear();
                int len = -1;
                int n = -1;
                if (size - pos >= HEADER) {
                    c.read(h, pos);
                    len = h.getInt(0);
                    n = h.getInt(4);
                }
                if (len < 0 || n < 0 || size - pos - HEADER < len) {
                    log.warn("bus spool {}: {} bytes at the end of {} are not a whole batch (cut short by a crash?);"
                            + " cut off", dir, size - pos, s.path.getFileName());
                    c.truncate(pos);
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

    /** Bytes not yet taken, about. */
    long bytes() {
        return bytes;
    }

    Path directory() {
        return dir;
    }

    /** Appends a batch; false, with nothing written, when that would pass the bound. */
    boolean append(FlowBatch batch) throws IOException {
        ByteBuffer frame = frame(batch);
        if (bytes + frame.remaining() > maxBytes) {
            return false;
        }
        Segment last = segments.peekLast();
        if (writer == null || last == null || last.size >= segmentBytes) {
            last = open(last == null ? FIRST : last.sequence + 1);
            segments.addLast(last);
        }
        write(writer, frame, last, batch.size());
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
        Segment front = new Segment(sequence, dir.resolve(String.format("%019d%s", sequence, SUFFIX)));
        try (FileChannel c = FileChannel.open(front.path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (FlowBatch b : batches) {
                write(c, frame(b), front, b.size());
            }
        }
        segments.addFirst(front);
    }

    /** The oldest batch not yet taken, null when there is none. */
    FlowBatch take() throws IOException {
        while (true) {
            Segment s = segments.peekFirst();
            if (s == null) {
                return null;
            }
            if (reader == null) {
                reader = FileChannel.open(s.path, StandardOpenOption.READ);
                readPos = 0;
            }
            if (readPos >= s.size) {
                // Used up, and the batch taken last was delivered (this take comes after it).
                closeReader();
                if (s == segments.peekLast()) {
                    closeWriter();
                }
                segments.removeFirst();
                Files.deleteIfExists(s.path);
                continue;
            }
            ByteBuffer h = ByteBuffer.allocate(HEADER);
            readFully(reader, h, readPos);
            int len = h.getInt(0);
            int n = h.getInt(4);
            if (len < 0 || n < 0 || len > s.size - readPos - HEADER) {
                throw new IOException(s.path + ": not a spooled batch at byte " + readPos);
            }
            ByteBuffer payload = ByteBuffer.allocate(len);
            readFully(reader, payload, readPos + HEADER);
            FlowBatch b = batch(payload.array(), s.path);
            readPos += HEADER + len;
            bytes -= HEADER + len;
            records -= n;
            s.records -= n;
            return b;
        }
    }

    /**
     * Sets the first segment aside as {@code <name>.bad} after {@link #take} found it unreadable, for
     * an operator to look at.
     *
     * @return the records it still held, now lost
     */
    int setAsideFirst() throws IOException {
        closeReader();
        Segment s = segments.pollFirst();
        if (s == null) {
            return 0;
        }
        if (segments.isEmpty()) {
            closeWriter(); // it was the segment appended to
        }
        bytes -= s.size - readPos;
        records -= s.records;
        readPos = 0;
        Files.move(s.path, s.path.resolveSibling(s.path.getFileName() + ".bad"), StandardCopyOption.REPLACE_EXISTING);
        return s.records;
    }

    /** Closes the files, the first segment cut to what was not taken of it (see {@link #trimHead}). */
    void close() throws IOException {
        try {
            trimHead();
        } finally {
            closeReader();
            closeWriter();
        }
    }

    /**
     * Rewrites a first segment read part way to what is left of it, or deletes one read to its end,
     * so that nothing is read twice: by the next start, or after a {@link #putBack} put a segment in
     * front of it. Then no segment is open for reading.
     */
    private void trimHead() throws IOException {
        Segment s = segments.peekFirst();
        if (reader == null || s == null || readPos == 0) {
            closeReader();
            return;
        }
        if (s == segments.peekLast()) {
            closeWriter(); // appends go to a new segment after this one
        }
        if (readPos >= s.size) {
            closeReader();
            segments.removeFirst();
            Files.deleteIfExists(s.path);
        } else {
            Path tmp = dir.resolve(s.path.getFileName() + ".tmp");
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                long left = s.size - readPos;
                for (long done = 0; done < left; ) {
                    done += reader.transferTo(readPos + done, left - done, out);
                }
            }
            closeReader();
            Files.move(tmp, s.path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            s.size -= readPos;
        }
        readPos = 0;
    }

    private Segment open(long sequence) throws IOException {
        closeWriter();
        Path path = dir.resolve(String.format("%019d%s", sequence, SUFFIX));
        writer = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new Segment(sequence, path);
    }

    private void write(FileChannel c, ByteBuffer frame, Segment s, int n) throws IOException {
        int len = frame.remaining();
        while (frame.hasRemaining()) {
            c.write(frame, s.size + (len - frame.remaining()));
        }
        s.size += len;
        s.records += n;
        bytes += len;
        records += n;
    }

    private ByteBuffer frame(FlowBatch batch) throws IOException {
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
        return b.flip();
    }

    private FlowBatch batch(byte[] p, Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(p);
        int addressLength = b.get();
        if (addressLength != 0 && addressLength != 4 && addressLength != 16) {
            throw new IOException(file + ": not a spooled batch (address of " + addressLength + " bytes)");
        }
        byte[] address = new byte[addressLength];
        b.get(address);
        int port = Short.toUnsignedInt(b.getShort());
        long domain = b.getLong();
        long receivedMs = b.getLong();
        InetSocketAddress exporter = addressLength == 0 ? null
                : new InetSocketAddress(InetAddress.getByAddress(address), port);
        List<FlowRecord> list = codec.read(p, b.position(), b.remaining());
        return new FlowBatch(new Origin(exporter, domain, receivedMs), list);
    }

    private static void readFully(FileChannel c, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            if (c.read(b, pos + b.position()) < 0) {
                throw new IOException("unexpected end of spool file");
            }
        }
    }

    private void closeReader() throws IOException {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }

    private void closeWriter() throws IOException {
        if (writer != null) {
            writer.close();
            writer = null;
        }
    }
}
