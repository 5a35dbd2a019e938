package io.caravan.netflow;

import io.caravan.api.metrics.DecoderMetrics.Unit;

/** The {@code protocol} tag of the decoder metrics, from the datagram's version field. */
enum Protocol {
    NETFLOW_V5("netflow_v5", Unit.RECORDS, 30 * 64L, 3_000_000L),
    NETFLOW_V9("netflow_v9", Unit.DATAGRAMS, 64L, 100_000L),
    IPFIX("ipfix", Unit.RECORDS, 65_536L, 1L << 24),
    /** Too short to tell, or a version that is none of the three. */
    UNKNOWN("unknown", Unit.DATAGRAMS, 0, 0);

    final String tag;
    /** What the header sequence counts (flow-protocols §10.18): v5 flows and IPFIX data records, v9 export packets. */
    final Unit unit;
    /** Sequence units a datagram may lag behind and still count as reordered (not a restart). */
    final long reorderWindow;
    /** A forward sequence jump this large or larger is a restart, not loss. */
    final long restartJump;

    Protocol(String tag, Unit unit, long reorderWindow, long restartJump) {
        this.tag = tag;
        this.unit = unit;
        this.reorderWindow = reorderWindow;
        this.restartJump = restartJump;
    }

    static Protocol of(byte[] payload) {
        if (payload.length < 2) {
            return UNKNOWN;
        }
        return of(((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF));
    }

    static Protocol of(int version) {
        return switch (version) {
            case 5 -> NETFLOW_V5;
            case 9 -> NETFLOW_V9;
            case 10 -> IPFIX;
            default -> UNKNOWN;
        };
    }
}
