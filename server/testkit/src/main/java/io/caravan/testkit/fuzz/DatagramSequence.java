package io.caravan.testkit.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A fuzz input read as a stage configuration and a sequence of datagrams from up to four exporters, with
 * the clock moved before each one, so templates, data, sequence numbers and timeouts interact across
 * datagrams. Shared by the decoder plugins' fuzz targets. The layout is what {@link FuzzedDataProvider} reads: control bytes from the end of the input,
 * datagram payloads from the front.
 * <pre>
 * input   = payload_1 .. payload_n | meta_n len_n(lo) len_n(hi) .. meta_1 len_1(lo) len_1(hi) config
 * config  = one byte, read by the target's harness
 * len     = payload length, u16 (the high byte read first, i.e. last in the input)
 * meta    = bits 0-1 exporter 192.0.2.(1+n), bit 2 source port p+1 instead of the protocol's port p,
 *           bits 3-7 index into {@link #ADVANCE_MS}: how far the clock moves before the datagram
 * </pre>
 * {@link #encode} writes that layout, for the seed corpus.
 */
public final class DatagramSequence {
    /** Most datagrams one input feeds. */
    public static final int MAX_DATAGRAMS = 16;
    /** Clock moves: around the housekeeping second, pending and template timeouts, idle-exporter hour; three back. */
    public static final long[] ADVANCE_MS = {0, 0, 0, 1, 10, 100, 500, 999, 1_000, 1_001, 2_000, 4_999, 5_000, 5_001,
            10_000, 30_000, 59_999, 60_000, 60_001, 61_000, 120_000, 600_000, 1_800_000, 3_599_999, 3_600_000,
            3_600_001, 3_601_000, 7_200_000, 86_400_000, -1, -1_000, -120_000};

    /** One datagram: who sends it, when, and its bytes. */
    public record Step(int meta, byte[] payload) {
        public Step {
            if (meta < 0 || meta > 0xFF || payload.length > 0xFFFF) {
                throw new IllegalArgumentException("meta is one byte, payload at most 65535 bytes");
            }
        }

        /** A datagram from exporter {@code exporter} (0-3) after the clock moved by {@code ADVANCE_MS[advance]}. */
        public static Step of(int exporter, int advance, byte[] payload) {
            return new Step((advance << 3) | exporter, payload);
        }

        /** The sender: 192.0.2.(1+n), from {@code port} or {@code port + 1}. */
        public InetSocketAddress sender(int port) {
            try {
                return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2,
                        (byte) (1 + (meta & 3))}), (meta & 4) == 0 ? port : port + 1);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        public long advanceMs() {
            return ADVANCE_MS[meta >>> 3];
        }
    }

    /** A configuration byte and the datagrams of one input. */
    public record Input(int config, List<Step> steps) {
        /**
         * Sets the version field of every datagram, the first {@code width} bytes big-endian (2 for
         * NetFlow/IPFIX, 4 for sFlow), to {@code version}; returns this input.
         */
        public Input withVersion(int version, int width) {
            for (Step s : steps) {
                byte[] p = s.payload();
                if (p.length >= width) {
                    for (int i = 0; i < width; i++) {
                        p[i] = (byte) (version >>> (8 * (width - 1 - i)));
                    }
                }
            }
            return this;
        }
    }

    private DatagramSequence() {
    }

    public static Input read(FuzzedDataProvider in) {
        int config = in.consumeInt(0, 0xFF);
        List<Step> steps = new ArrayList<>();
        while (steps.size() < MAX_DATAGRAMS && in.remainingBytes() > 0) {
            int length = in.consumeInt(0, 0xFFFF);
            int meta = in.consumeInt(0, 0xFF);
            steps.add(new Step(meta, in.consumeBytes(length)));
        }
        return new Input(config, steps);
    }

    /** The input that {@link #read} reads back as exactly {@code config} and {@code steps}. */
    public static byte[] encode(int config, List<Step> steps) {
        ByteArrayOutputStream front = new ByteArrayOutputStream();
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        back.write(config);
        for (Step s : steps) {
            front.writeBytes(s.payload());
            back.write(s.payload().length >>> 8);
            back.write(s.payload().length & 0xFF);
            back.write(s.meta());
        }
        byte[] tail = back.toByteArray();
        for (int i = tail.length - 1; i >= 0; i--) {
            front.write(tail[i]);
        }
        return front.toByteArray();
    }
}
