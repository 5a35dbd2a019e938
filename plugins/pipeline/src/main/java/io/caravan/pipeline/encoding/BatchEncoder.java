package io.caravan.pipeline.encoding;

import io.caravan.api.flow.FlowRecord;
import java.io.IOException;
import java.util.List;

/**
 * Writes a batch's records into an array the caller owns, at a position it gives, so that a
 * consumer with a buffer of its own (a flow file's write-behind buffer) takes the encoded bytes
 * without an array per batch. Implementations are thread-safe.
 */
public interface BatchEncoder {
    /** What {@link #encode} returns when the records do not fit between the position and the array's end. */
    int DOES_NOT_FIT = -1;

    /**
     * Writes every record at {@code b[off]}, up to {@code b.length}, and returns the position
     * after the last one, or {@link #DOES_NOT_FIT}. Either way the array from {@code off} on may
     * hold any bytes: only a returned position says where whole bytes end. It may give up when
     * less room is left than a record at its largest takes.
     *
     * @throws IOException              a record's attributes cannot be written
     * @throws IllegalArgumentException a record cannot be written in this format (an address of a wrong length)
     */
    int encode(List<FlowRecord> records, byte[] b, int off) throws IOException;

    /** The format's name, as messages give it: {@code JSON}, {@code protobuf}. */
    String format();
}
