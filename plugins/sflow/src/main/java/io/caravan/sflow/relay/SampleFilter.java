package io.caravan.sflow.relay;

import io.caravan.api.decode.DecodeException;
import io.caravan.sflow.wire.DatagramHeader;
import io.caravan.sflow.wire.Xdr;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites sFlow v5 datagrams to carry only the samples an operator wants forwarded, so that a
 * collector behind a relay still sees a valid stream: whole data sources and sample kinds are kept
 * or dropped (never a part of one source's samples), so sampling rates, sample pools and each kept
 * source's sample sequence numbers stay true as they are. A datagram left with no samples is not
 * sent; the datagram sequence numbers of an agent and sub-agent are lowered by the datagrams the
 * filter held back so far, so the collector behind counts no loss that was only the filter while a
 * datagram lost before the relay still shows as a gap. A sequence that goes back (the agent
 * restarted) starts the count again.
 *
 * <p>State (per agent: last sequence seen, datagrams held back) is bounded: the least recently
 * used agent is forgotten first.
 */
final class SampleFilter {
    /** Which samples pass. */
    enum Keep { ALL, FLOW, COUNTER }

    private static final int FLOW_COMPACT = 1;
    private static final int COUNTER_COMPACT = 2;
    private static final int FLOW_EXPANDED = 3;
    private static final int COUNTER_EXPANDED = 4;

    private final Keep keep;
    private final Set<Long> sourceIds;
    private final Map<String, long[]> next;

    SampleFilter(Keep keep, Set<Long> sourceIds, int maxSequences) {
        this.keep = keep;
        this.sourceIds = Set.copyOf(sourceIds);
        this.next = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
                return size() > maxSequences;
            }
        };
    }

    /** True when every datagram passes unchanged (nothing to filter, nothing to renumber). */
    boolean passesAll() {
        return keep == Keep.ALL && sourceIds.isEmpty();
    }

    /**
     * The datagram as forwarded, or null when none of its samples pass.
     *
     * @throws DecodeException when the datagram is not a well-formed sFlow v5 datagram
     */
    byte[] apply(byte[] d) throws DecodeException {
        DatagramHeader h = DatagramHeader.parse(d);
        String agent = Arrays.toString(h.agentAddress()) + "/" + h.subAgentId();
        long[] stream = next.computeIfAbsent(agent, k -> new long[] {0, 0});
        if (h.sequence() < stream[0]) {
            stream[1] = 0;
        }
        stream[0] = h.sequence();
        ByteArrayOutputStream out = new ByteArrayOutputStream(d.length);
        out.write(d, 0, h.samplesOffset());
        int at = h.samplesOffset();
        int kept = 0;
        for (long i = 0; i < h.sampleCount(); i++) {
            Xdr.require(d, at, 8, d.length, DecodeException.Reason.TRUNCATED, "sample header");
            long formatWord = Xdr.u32(d, at);
            long length = Xdr.u32(d, at + 4);
            Xdr.require(d, at + 8, length, d.length, DecodeException.Reason.TRUNCATED, "sample");
            int body = at + 8;
            int end = body + (int) length;
            int format = formatWord >>> 12 == 0 ? (int) (formatWord & 0xfff) : -1;
            if (passes(format, d, body, end)) {
                out.write(d, at, end - at);
                kept++;
            }
            at = end;
        }
        if (kept == 0) {
            stream[1]++;
            return null;
        }
        byte[] result = out.toByteArray();
        putU32(result, h.samplesOffset() - 12, Math.max(1, h.sequence() - stream[1]));
        putU32(result, h.samplesOffset() - 4, kept);
        return result;
    }

    private boolean passes(int format, byte[] d, int body, int end) throws DecodeException {
        boolean flow = format == FLOW_COMPACT || format == FLOW_EXPANDED;
        boolean counter = format == COUNTER_COMPACT || format == COUNTER_EXPANDED;
        if (keep == Keep.FLOW && !flow || keep == Keep.COUNTER && !counter) {
            return false;
        }
        if (sourceIds.isEmpty()) {
            return true;
        }
        if (!flow && !counter) {
            return false;
        }
        Xdr.require(d, body, format == FLOW_EXPANDED || format == COUNTER_EXPANDED ? 12 : 8, end,
                DecodeException.Reason.TRUNCATED, "sample source id");
        return sourceIds.contains(sourceId(format, d, body) & 0xFFFFFFL);
    }

    /** type(8)|index(24) for compact samples; the same packing for expanded ones (type, index words). */
    private static long sourceId(int format, byte[] d, int body) {
        if (format == FLOW_EXPANDED || format == COUNTER_EXPANDED) {
            return (Xdr.u32(d, body + 4) << 24) | (Xdr.u32(d, body + 8) & 0xFFFFFFL);
        }
        return Xdr.u32(d, body + 4);
    }

    int sequences() {
        return next.size();
    }

    private static void putU32(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
