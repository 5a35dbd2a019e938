package io.caravan.vanflow.state;

import io.caravan.vanflow.event.Beacon;
import io.caravan.vanflow.event.VanRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spec's example exchange (vanflow.md §4): routers x7f2q:0 (west) and p2k8d:0 (east) and the
 * west site's controller, which also reports the east site and both workloads. Records are shaped
 * as the router sends them: first emissions complete, later ones deltas only.
 */
public final class Example {
    public static final String WEST = "6e0c1a52-west";
    public static final String EAST = "9b3f7d10-east";
    public static final String R1 = "x7f2q:0";
    public static final String R2 = "p2k8d:0";
    /** The collector clock once the whole exchange is in (ms): 1 s after the last record. */
    public static final long AFTER_MS = 1_718_000_004_000L;
    public static final long START_MS = 1_718_000_000_000L;

    private Example() {
    }

    /** A record: type, identity, then code/value pairs (ints become Longs, as the decoder hands them). */
    public static VanRecord rec(int type, String id, Object... kv) {
        Map<Integer, Object> attrs = new LinkedHashMap<>();
        attrs.put(0, (long) type);
        attrs.put(1, id);
        for (int i = 0; i < kv.length; i += 2) {
            Object v = kv[i + 1];
            attrs.put((Integer) kv[i], v instanceof Integer n ? n.longValue() : v);
        }
        return new VanRecord(type, id, attrs);
    }

    public static Beacon router(String id) {
        return new Beacon("ROUTER", "mc/sfe." + id, "sfe." + id, id, 1);
    }

    /** The topology: beacons, heartbeats, sites, processes, routers, links, listener and connector. */
    public static void topology(io.caravan.vanflow.event.VanFlowListener l, long nowMs) {
        l.beacon(router(R1), nowMs);
        l.beacon(router(R2), nowMs);
        l.beacon(new Beacon("CONTROLLER", "mc/sfe." + WEST, "sfe." + WEST, WEST, 1), nowMs);
        l.heartbeat(R1, nowMs);
        l.records(WEST, List.of(
                rec(0, WEST, 3, 1_717_998_000_000_000L, 4, 0, 30, "west", 12, "west", 11, "kubernetes", 52, "1.9.2", 53, "disabled"),
                rec(0, EAST, 3, 1_717_998_100_000_000L, 4, 0, 30, "east", 12, "east", 11, "kubernetes", 52, "1.9.2", 53, "disabled"),
                rec(7, "proc-frontend", 2, WEST, 3, 1_717_998_500_000_000L, 4, 0, 30, "frontend-6d4f9", 20, "quay.io/demo/frontend",
                        22, "node-w1", 14, "10.42.1.9", 46, "frontend", 13, "internal"),
                rec(7, "proc-backend", 2, EAST, 3, 1_717_998_600_000_000L, 4, 0, 30, "backend-7c8b2", 20, "quay.io/demo/backend",
                        22, "node-e1", 14, "10.42.0.17", 46, "backend", 13, "internal")), nowMs);
        l.records(R1, List.of(
                rec(1, R1, 2, WEST, 3, 1_717_999_000_000_000L, 12, "west", 13, "interior", 20, "skupper-router", 21, "2.7.3",
                        22, "skupper-router-5d8f7-x7f2q", 30, "0/skupper-router-5d8f7-x7f2q", 32, "2.7.3"),
                rec(2, "x7f2q:3", 2, R1, 3, 1_717_999_003_000_000L, 30, "skupper-router-7b9c4-p2k8d", 13, "interior",
                        34, "outgoing", 33, 1),
                rec(4, "x7f2q:5", 2, R1, 3, 1_717_999_004_000_000L, 16, "tcp", 30, "backend:8080", 15, "0.0.0.0", 18, "1024",
                        19, "backend:8080")), nowMs);
        l.records(R2, List.of(
                rec(1, R2, 2, EAST, 3, 1_717_999_001_000_000L, 12, "east", 13, "interior", 20, "skupper-router", 21, "2.7.3",
                        22, "skupper-router-7b9c4-p2k8d", 30, "0/skupper-router-7b9c4-p2k8d", 32, "2.7.3"),
                rec(2, "p2k8d:4", 2, R2, 3, 1_717_999_003_500_000L, 30, "skupper-router-5d8f7-x7f2q", 13, "interior",
                        34, "incoming", 33, 1),
                rec(5, "p2k8d:7", 2, R2, 3, 1_717_999_005_000_000L, 16, "tcp", 30, "backend", 15, "10.42.0.17", 18, "8080",
                        19, "backend:8080")), nowMs);
    }

    /** One TCP connection through the VAN, as §4: flows, then partial updates, then both ends. */
    public static void flow(io.caravan.vanflow.event.VanFlowListener l, long nowMs) {
        l.records(R1, List.of(rec(6, "x7f2q:120", 2, "x7f2q:5", 3, 1_718_000_001_000_000L, 14, "10.42.1.9", 17, "53312",
                23, 0, 39, 65536)), nowMs);
        l.records(R2, List.of(rec(6, "p2k8d:88", 2, "p2k8d:7", 3, 1_718_000_001_004_000L, 14, "10.42.0.5", 17, "41870",
                23, 0, 39, 65536, 31, "0/skupper-router-5d8f7-x7f2q", 5, "x7f2q:120")), nowMs);
        l.records(R2, List.of(rec(6, "p2k8d:88", 24, 1800, 23, 512)), nowMs);
        l.records(R1, List.of(rec(6, "x7f2q:120", 24, 9400, 23, 143, 35, 14)), nowMs);
        l.records(R1, List.of(rec(6, "x7f2q:120", 4, 1_718_000_003_000_000L)), nowMs);
        l.records(R2, List.of(rec(6, "p2k8d:88", 4, 1_718_000_003_002_000L)), nowMs);
    }
}
