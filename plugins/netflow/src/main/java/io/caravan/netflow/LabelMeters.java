package io.caravan.netflow;

import io.caravan.api.stage.StageContext;
import io.caravan.api.metrics.Counter;
import io.caravan.netflow.wire.DecodeException.Reason;

/**
 * The decoder counters of one exporter label, asked from the {@link StageContext} once each (lazily, on first
 * use) and cached: {@code caravan.decoder.datagrams|records|bytes|sequence_gaps{protocol,exporter}} and
 * {@code caravan.decoder.errors{protocol,exporter,reason}}. Thread-safe.
 */
final class LabelMeters {
    static final String DATAGRAMS = "caravan.decoder.datagrams";
    static final String RECORDS = "caravan.decoder.records";
    static final String BYTES = "caravan.decoder.bytes";
    static final String ERRORS = "caravan.decoder.errors";
    static final String SEQUENCE_GAPS = "caravan.decoder.sequence_gaps";
    static final String TEMPLATES = "caravan.templates";

    private final StageContext context;
    private final String label;
    private final Counter[][] counters = new Counter[4][Protocol.values().length];
    private final Counter[][] errors = new Counter[Protocol.values().length][Reason.values().length];

    LabelMeters(StageContext context, String label) {
        this.context = context;
        this.label = label;
    }

    Counter datagrams(Protocol p) {
        return counter(0, DATAGRAMS, p);
    }

    Counter records(Protocol p) {
        return counter(1, RECORDS, p);
    }

    Counter bytes(Protocol p) {
        return counter(2, BYTES, p);
    }

    Counter gaps(Protocol p) {
        return counter(3, SEQUENCE_GAPS, p);
    }

    private Counter counter(int kind, String name, Protocol p) {
        Counter c = counters[kind][p.ordinal()];
        if (c == null) {
            synchronized (this) {
                c = counters[kind][p.ordinal()];
                if (c == null) {
                    c = context.counter(name, "protocol", p.tag, "exporter", label);
                    counters[kind][p.ordinal()] = c;
                }
            }
        }
        return c;
    }

    Counter errors(Protocol p, Reason reason) {
        Counter c = errors[p.ordinal()][reason.ordinal()];
        if (c == null) {
            synchronized (this) {
                c = errors[p.ordinal()][reason.ordinal()];
                if (c == null) {
                    c = context.counter(ERRORS, "protocol", p.tag, "exporter", label, "reason", reason.name());
                    errors[p.ordinal()][reason.ordinal()] = c;
                }
            }
        }
        return c;
    }
}
