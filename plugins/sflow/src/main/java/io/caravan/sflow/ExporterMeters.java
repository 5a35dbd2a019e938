package io.caravan.sflow;

import io.caravan.api.decode.DecodeException;
import io.caravan.api.metrics.Counter;
import io.caravan.api.metrics.DecoderMeters;
import io.caravan.api.metrics.DecoderMetrics;
import io.caravan.api.metrics.Meters;
import java.util.EnumSet;
import java.util.Set;

/**
 * One exporter label's counters: the decoder series every protocol shares ({@link DecoderMeters},
 * names and tags declared in {@link DecoderMetrics}) and the sFlow-specific {@code caravan.sflow.*}
 * ones. Obtained once per label and cached by the stage (never looked up per record). Every series
 * sFlow can count exists from the label's first datagram, at zero, so rates work from the start.
 */
final class ExporterMeters {
    static final String PROTOCOL = "sflow";
    /** The reasons the sFlow decoder (and the stage, for a decoder bug) can give. */
    static final Set<DecodeException.Reason> REASONS = EnumSet.of(DecodeException.Reason.TRUNCATED,
            DecodeException.Reason.BAD_VERSION, DecodeException.Reason.BAD_LENGTH,
            DecodeException.Reason.BAD_ADDRESS_TYPE, DecodeException.Reason.COUNT_TOO_LARGE,
            DecodeException.Reason.INTERNAL);

    private final DecoderMeters decoder;
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

    ExporterMeters(Meters m, String exporter) {
        decoder = new DecoderMeters(m, PROTOCOL, exporter);
        datagrams = decoder.datagrams();
        records = decoder.records();
        bytes = decoder.bytes();
        datagramGaps = decoder.sequenceGaps(DecoderMetrics.Unit.DATAGRAMS);
        sampleGaps = decoder.sequenceGaps(DecoderMetrics.Unit.SAMPLES);
        REASONS.forEach(decoder::errors);
        agentDrops = m.counter("caravan.sflow.agent_drops", DecoderMetrics.TAG_EXPORTER, exporter);
        flowSamples = samples(m, exporter, "flow");
        counterSamples = samples(m, exporter, "counters");
        discardSamples = samples(m, exporter, "discard");
        unknownSamples = unknownFormats(m, exporter, "samples");
        unknownRecords = unknownFormats(m, exporter, "records");
    }

    private static Counter samples(Meters m, String exporter, String kind) {
        return m.counter("caravan.sflow.samples", DecoderMetrics.TAG_EXPORTER, exporter, DecoderMetrics.TAG_KIND, kind);
    }

    private static Counter unknownFormats(Meters m, String exporter, String kind) {
        return m.counter("caravan.sflow.unknown_formats", DecoderMetrics.TAG_EXPORTER, exporter,
                DecoderMetrics.TAG_KIND, kind);
    }

    Counter errors(DecodeException.Reason reason) {
        return decoder.errors(reason);
    }
}
