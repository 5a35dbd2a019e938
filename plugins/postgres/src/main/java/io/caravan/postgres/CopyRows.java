package io.caravan.postgres;

import io.caravan.api.flow.FlowRecord;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Flow records as rows of COPY's text format (tab-separated, {@code \N} for NULL, one line per
 * record) in a growing buffer. Every value is a number, an address or a timestamp, so nothing
 * needs escaping. Unsigned 64-bit counters above bigint's range are written as its maximum and
 * counted, so one absurd value cannot make a whole batch fail forever.
 */
final class CopyRows {
    private static final long NS_PER_MS = 1_000_000L;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    private final StringBuilder line = new StringBuilder(256);
    private int records;
    private long clamped;

    void add(FlowRecord r) {
        line.setLength(0);
        long received = r.timeReceivedNs();
        line.append(LocalDate.ofInstant(Instant.ofEpochMilli(received / NS_PER_MS), ZoneOffset.UTC)).append('\t');
        time(received);
        time(r.timeFlowStartNs() == 0 ? Long.MIN_VALUE : r.timeFlowStartNs());
        time(r.timeFlowEndNs() == 0 ? Long.MIN_VALUE : r.timeFlowEndNs());
        line.append(r.type().name()).append('\t');
        unsigned(r.sequenceNum());
        unsigned(r.samplingRate());
        address(r.samplerAddress());
        address(r.srcAddr());
        address(r.dstAddr());
        unsigned(r.srcAs());
        unsigned(r.dstAs());
        line.append(r.etype()).append('\t');
        line.append(r.proto()).append('\t');
        line.append(r.srcPort()).append('\t');
        line.append(r.dstPort()).append('\t');
        unsigned(r.bytes());
        unsigned(r.packets());
        line.append(r.tcpFlags()).append('\t');
        unsigned(r.inIf());
        unsigned(r.outIf());
        line.setCharAt(line.length() - 1, '\n');
        out.writeBytes(line.toString().getBytes(StandardCharsets.US_ASCII));
        records++;
    }

    private void time(long epochNs) {
        if (epochNs == Long.MIN_VALUE) {
            line.append("\\N\t");
            return;
        }
        line.append(Instant.ofEpochSecond(Math.floorDiv(epochNs, 1_000_000_000L), Math.floorMod(epochNs, 1_000_000_000L)))
                .append('\t');
    }

    private void unsigned(long v) {
        if (v < 0) {
            clamped++;
            v = Long.MAX_VALUE;
        }
        line.append(v).append('\t');
    }

    private void address(byte[] a) {
        if (a == null || (a.length != 4 && a.length != 16)) {
            line.append("\\N\t");
            return;
        }
        try {
            line.append(InetAddress.getByAddress(a).getHostAddress()).append('\t');
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4- or 16-byte address is always valid", e);
        }
    }

    int records() {
        return records;
    }

    int bytes() {
        return out.size();
    }

    /** Values above bigint's range written as its maximum since the last {@link #take}. */
    long clamped() {
        return clamped;
    }

    /** The rows so far; the buffer is empty afterwards. */
    byte[] take() {
        byte[] rows = out.toByteArray();
        out.reset();
        records = 0;
        clamped = 0;
        return rows;
    }
}
