package io.caravan.pipeline.protobuf;

import io.caravan.api.flow.FlowRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes and reads {@link FlowRecord}s as goflow2 {@code FlowMessage}s in the {@link ProtoField}
 * format, either length-delimited (each message after its length as a varint: goflow2's
 * {@code -format bin}, protobuf's {@code writeDelimitedTo}/{@code parseDelimitedFrom}) or as one
 * bare message. Stateless: each call has its own buffers, so it is thread-safe.
 */
final class FlowProto {
    /** A full IPv4 record is about 150 bytes. */
    private static final int BYTES_PER_RECORD = 160;

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
        int n = records.size();
        ProtoWriter out = new ProtoWriter(n * BYTES_PER_RECORD);
        if (!delimited) {
            if (n != 1) {
                throw new IllegalArgumentException("without a length prefix (delimited=false) a message holds exactly one"
                        + " record; got " + n);
            }
            write(records.get(0), out);
            return out.toByteArray();
        }
        ProtoWriter message = new ProtoWriter(BYTES_PER_RECORD);
        for (int i = 0; i < n; i++) {
            message.reset();
            try {
                write(records.get(i), message);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("record " + (i + 1) + ": " + e.getMessage(), e);
            }
            out.varint(message.size());
            out.append(message);
        }
        return out.toByteArray();
    }

    /** One record's fields, in field-number order, zeros and absent values left out. */
    static void write(FlowRecord r, ProtoWriter w) {
        for (ProtoField f : ProtoField.ALL) {
            f.codec.write(r, f, w);
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
