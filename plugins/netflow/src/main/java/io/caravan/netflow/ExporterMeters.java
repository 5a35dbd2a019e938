package io.caravan.netflow;

import io.caravan.api.metrics.DecoderMeters;
import io.caravan.api.metrics.Meters;

/**
 * The shared decoder series ({@link io.caravan.api.metrics.DecoderMetrics}) of one exporter label, one
 * {@link DecoderMeters} per protocol: every exporter folded into the same label counts into the same series.
 */
final class ExporterMeters {
    private final DecoderMeters[] byProtocol = new DecoderMeters[Protocol.values().length];

    ExporterMeters(Meters meters, String label) {
        for (Protocol p : Protocol.values()) {
            byProtocol[p.ordinal()] = new DecoderMeters(meters, p.tag, label);
        }
    }

    DecoderMeters of(Protocol p) {
        return byProtocol[p.ordinal()];
    }
}
