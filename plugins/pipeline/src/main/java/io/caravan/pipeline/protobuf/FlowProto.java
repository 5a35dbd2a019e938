package io.caravan.pipeline.protobuf;

import io.caravan.api.flow.FlowRecord;
import io.caravan.pipeline.encoding.BatchEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Writes and reads {@link FlowRecord}s as goflow2 {@code FlowMessage}s in the {@link ProtoField}
 * format, either length-delimited (each message after its length as a varint: goflow2's
 * {@code -format bin}, protobuf's {@code writeDelimitedTo}/{@code parseDelimitedFrom}) or as one
 * bare message. Stateless: each call has its own buffers, so it is thread-safe.
 */
final class FlowProto {
    /** A full IPv4 record is about 150 bytes: for sizing the decoder's list. */
    private static final int BYTES_PER_RECORD = 160;
    /** The varint length of a message of at most {@link FlowWriter#MAX_SIZE} (under 16384) bytes. */
    private static final int MAX_LENGTH_BYTES = 2;

    private FlowProto() {
    }

    /**
     * Each record as a length-delimited message, or, when not {@code delimited}, the one record
     * as a bare message.
     *
     * @throws IllegalArgumentException a record cannot be written (an address of a wrong length),
     *                                  or several records are given without {@code delimited}
     */
    static byte[] encode(List<FlowRecord> records, boolean delimited) {
        return encode(records, delimited, byte[]::new);
    }

    /**
     * {@link #encode(List, boolean)} with a work array of at least the given size from {@code scratch}
     * (for instance one kept per thread), which it may leave with any bytes in it.
     */
    static byte[] encode(List<FlowRecord> records, boolean delimited, IntFunction<byte[]> scratch) {
        if (!delimited) {
            // Written straight into the array returned, sized exactly.
            byte[] out = new byte[FlowWriter.size(single(records))];
            encode(records, false, out, 0);
            return out;
        }
        // Room for every record at its largest: the work array is written once, then copied at its exact size.
        byte[] b = scratch.apply(records.size() * (FlowWriter.MAX_SIZE + MAX_LENGTH_BYTES));
        return Arrays.copyOf(b, encode(records, true, b, 0));
    }

    /**
     * {@link #encode(List, boolean)} at {@code b[off]}, up to {@code b.length}: the position after
     * the last message, or {@link BatchEncoder#DOES_NOT_FIT} once the room left is less than a
     * message at its largest (with its length) takes, or, not {@code delimited}, than the message takes.
     */
    static int encode(List<FlowRecord> records, boolean delimited, byte[] b, int off) {
        if (!delimited) {
            FlowRecord r = single(records);
            int size = FlowWriter.size(r);
            if (b.length - off < size) {
                return BatchEncoder.DOES_NOT_FIT;
            }
            int end = FlowWriter.write(r, b, off);
            checkWritten(end - off, size, 1);
            return end;
        }
        // One pass, each message written after room for its length, taken to be as long as the one
        // before's; a length of another size (a message crossing 127 bytes) moves the message
        // before the length is written. No pass to size each message first.
        int n = records.size();
        int p = off;
        int reserved = 1;
        for (int i = 0; i < n; i++) {
            if (b.length - p < FlowWriter.MAX_SIZE + MAX_LENGTH_BYTES) {
                return BatchEncoder.DOES_NOT_FIT;
            }
            int start = p + reserved;
            int end;
            try {
                end = FlowWriter.write(records.get(i), b, start);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("record " + (i + 1) + ": " + e.getMessage(), e);
            }
            int size = end - start;
            int lengthBytes = ProtoWriter.varintSize(size);
            if (lengthBytes != reserved) {
                System.arraycopy(b, start, b, p + lengthBytes, size);
                reserved = lengthBytes;
            }
            p = ProtoWriter.putVarint(b, p, size) + size;
        }
        return p;
    }

    /** The one record a bare message holds. */
    private static FlowRecord single(List<FlowRecord> records) {
        if (records.size() != 1) {
            throw new IllegalArgumentException("without a length prefix (delimited=false) a message holds exactly one"
                    + " record; got " + records.size());
        }
        return records.get(0);
    }

    /** Fails loudly should FlowWriter's size and write ever disagree, rather than write a corrupt stream. */
    private static void checkWritten(int at, int expected, int record) {
        if (at != expected) {
            throw new IllegalStateException("record " + record + ": wrote up to byte " + at + ", sized to end at "
                    + expected);
        }
    }

    /**
     * The records of a length-delimited stream, or, when not {@code delimited}, of the one bare
     * message (empty input: no records, resp. one record with every field at its default).
     *
     * @throws ProtoException naming the message (1-based) and the byte offset of the problem
     */
    static List<FlowRecord> decode(byte[] input, boolean delimited) throws ProtoException {
        ProtoReader in = new ProtoReader(input);
        List<FlowRecord> records = new ArrayList<>(delimited ? input.length / BYTES_PER_RECORD + 1 : 1);
        if (!delimited) {
            records.add(readMessage(in, 1, false));
        }
        while (in.hasRemaining()) {
            records.add(readMessage(in, records.size() + 1, true));
        }
        return records;
    }

    private static FlowRecord readMessage(ProtoReader in, int number, boolean delimited) throws ProtoException {
        try {
            if (!delimited) {
                return read(in);
            }
            int limit = in.pushLimit(in.length());
            FlowRecord r = read(in);
            in.popLimit(limit);
            return r;
        } catch (ProtoException e) {
            throw new ProtoException("message " + number + ": " + e.getMessage());
        }
    }

    /** Reads fields up to the reader's limit into a new record. Later occurrences of a field win, as in protobuf. */
    static FlowRecord read(ProtoReader in) throws ProtoException {
        FlowRecord r = new FlowRecord();
        while (in.hasRemaining()) {
            int at = in.position();
            long tag = in.varint();
            long number = tag >>> 3;
            int wireType = (int) (tag & 7);
            if (number == 0 || number > 0x1FFF_FFFFL) {
                throw new ProtoException("invalid field number " + number + " at byte " + at);
            }
            ProtoField f = ProtoField.numbered(number);
            if (f == null) {
                in.skip(wireType, number, at);
            } else if (wireType != f.codec.wireType()) {
                throw new ProtoException("field " + number + " (" + f.protoName + ") at byte " + at + " has wire type "
                        + wireType + "; " + f.protoType + " has " + f.codec.wireType());
            } else {
                f.codec.read(in, f, at, r);
            }
        }
        return r;
    }
}
