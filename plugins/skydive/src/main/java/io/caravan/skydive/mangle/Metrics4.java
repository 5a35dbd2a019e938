package io.caravan.skydive.mangle;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The four counters of a Skydive FlowMetric ({@code ABPackets, ABBytes, BAPackets, BABytes}), compared
 * by value (the exporter compared pointers).
 */
record Metrics4(long abPackets, long abBytes, long baPackets, long baBytes) {

    static Metrics4 of(JsonNode metric) {
        return new Metrics4(metric.path("ABPackets").asLong(0), metric.path("ABBytes").asLong(0),
                metric.path("BAPackets").asLong(0), metric.path("BABytes").asLong(0));
    }

    Metrics4 minus(Metrics4 o) {
        return new Metrics4(abPackets - o.abPackets, abBytes - o.abBytes, baPackets - o.baPackets, baBytes - o.baBytes);
    }
}
