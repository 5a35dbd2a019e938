package io.caravan.netflow.encode;

import io.caravan.api.flow.FlowRecord;

/**
 * One record on its way out, with the times every format derives from: flow start and end in epoch
 * milliseconds (a missing time, 0, falls back to the receive time, then to the export time; an end before
 * the start is raised to the start), and the exporter's boot for the uptime-relative formats.
 */
final class ExportRecord {
    final FlowRecord flow;
    final long startMs;
    final long endMs;
    private final long bootMs;

    ExportRecord(FlowRecord flow, long exportMs, long bootMs) {
        this.flow = flow;
        long received = flow.timeReceivedNs() > 0 ? flow.timeReceivedNs() / 1_000_000 : exportMs;
        long start = flow.timeFlowStartNs() > 0 ? flow.timeFlowStartNs() / 1_000_000 : received;
        long end = flow.timeFlowEndNs() > 0 ? flow.timeFlowEndNs() / 1_000_000 : received;
        this.startMs = start;
        this.endMs = Math.max(start, end);
        this.bootMs = bootMs;
    }

    /**
     * Milliseconds since the exporter's boot as a u32 (v5 First/Last, v9 FIRST/LAST_SWITCHED). A time before
     * the boot cannot be written without a wrap that collectors read as ~49.7 days ahead, so it is written as
     * the boot itself.
     */
    int uptime(long epochMs) {
        return epochMs <= bootMs ? 0 : (int) (epochMs - bootMs);
    }

    boolean isIpv4() {
        return length(flow.srcAddr()) == 4 && length(flow.dstAddr()) == 4;
    }

    boolean isIpv6() {
        return length(flow.srcAddr()) == 16 && length(flow.dstAddr()) == 16;
    }

    private static int length(byte[] address) {
        return address == null ? 0 : address.length;
    }
}
