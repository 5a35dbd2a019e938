package io.caravan.sflow;

import io.caravan.api.metrics.Counter;
import io.caravan.api.stage.StageContext;
import io.caravan.sflow.wire.DecodeException;
import java.util.EnumMap;
import java.util.Map;

/**
 * One exporter label's counters, obtained once from the stage context and cached by the stage
 * (never looked up per record). Every series exists from the first datagram, at zero, so rates
 * work from the start.
 */
final class ExporterMeters {
    static final String PROTOCOL = "sflow";

    final Counter datagrams;
    final Counter records;
    final Counter bytes;
    final Counter datagramGaps;
    final Counter sampleGaps;
    final Counter agentDrops;
    final Counter flowSamples;
    final Counter counterSamples;
    final Counter discardSamples;
    final Counter unknownSamples;
    final Counter unknownRecords;
    private final Map<DecodeException.Reason, Counter> errors = new EnumMap<>(DecodeException.Reason.class);

    ExporterMeters(StageContext c, String exporter) {
        datagrams = c.counter("caravan.decoder.datagrams", "protocol", PROTOCOL, "exporter", exporter);
        records = c.counter("caravan.decoder.records", "protocol", PROTOCOL, "exporter", exporter);
        bytes = c.counter("caravan.decoder.bytes", "protocol", PROTOCOL, "exporter", exporter);
        datagramGaps = c.counter("caravan.decoder.sequence_gaps", "protocol", PROTOCOL, "exporter", exporter,
                "kind", "datagrams");
        sampleGaps = c.counter("caravan.decoder.sequence_gaps", "protocol", PROTOCOL, "exporter", exporter,
                "kind", "samples");
        agentDrops = c.counter("caravan.sflow.agent_drops", "exporter", exporter);
        flowSamples = c.counter("caravan.sflow.samples", "exporter", exporter, "kind", "flow");
        counterSamples = c.counter("caravan.sflow.samples", "exporter", exporter, "kind", "counters");
        discardSamples = c.counter("caravan.sflow.samples", "exporter", exporter, "kind", "discard");
        unknownSamples = c.counter("caravan.sflow.unknown_formats", "exporter", exporter, "kind", "samples");
        unknownRecords = c.counter("caravan.sflow.unknown_formats", "exporter", exporter, "kind", "records");
        for (DecodeException.Reason r : DecodeException.Reason.values()) {
            errors.put(r, c.counter("caravan.decoder.errors", "protocol", PROTOCOL, "exporter", exporter,
                    "reason", r.name()));
        }
    }

    Counter errors(DecodeException.Reason reason) {
        return errors.get(reason);
    }
}
