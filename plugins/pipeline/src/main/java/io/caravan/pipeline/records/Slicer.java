package io.caravan.pipeline.records;

import java.util.Arrays;
import java.util.function.Consumer;

/** Cuts one encoded batch into one byte array per record, in record order. */
enum Slicer {
    /** Length-delimited protobuf: each message with its varint length, as goflow2 v2 writes it. */
    DELIMITED,
    /** Length-delimited protobuf in, bare messages out (the length dropped). */
    BARE,
    /** JSON lines: each line without its '\n'. */
    LINES;

    /** Hands each record's bytes to {@code out}; returns how many. */
    int slice(byte[] b, Consumer<byte[]> out) {
        int n = 0;
        int p = 0;
        while (p < b.length) {
            if (this == LINES) {
                int end = p;
                while (b[end] != '\n') {
                    end++;
                }
                out.accept(Arrays.copyOfRange(b, p, end));
                p = end + 1;
            } else {
                int start = p;
                long len = 0;
                int shift = 0;
                byte x;
                do {
                    x = b[p++];
                    len |= (long) (x & 0x7f) << shift;
                    shift += 7;
                } while (x < 0);
                int end = p + (int) len;
                out.accept(Arrays.copyOfRange(b, this == DELIMITED ? start : p, end));
                p = end;
            }
            n++;
        }
        return n;
    }
}
