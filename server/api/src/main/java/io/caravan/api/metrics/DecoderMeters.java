package io.caravan.api.metrics;

import io.caravan.api.decode.DecodeException;

/**
 * The shared decoder counters of one (protocol, exporter label), created lazily on first use
 * from {@link Meters} and cached, so a decoder asks its context once per series, never per
 * datagram. Thread-safe.
 */
public final class DecoderMeters {
    private final Meters meters;
    private final String protocol;
    private final String exporter;
    private volatile Counter datagrams;
    private volatile Counter records;
    private volatile Counter bytes;
    private final Counter[] errors = new Counter[DecodeException.Reason.values().length];
    private final Counter[] gaps = new Counter[DecoderMetrics.Unit.values().length];

    public DecoderMeters(Meters meters, String protocol, String exporter) {
        this.meters = meters;
        this.protocol = protocol;
        this.exporter = exporter;
    }

    public String protocol() {
        return protocol;
    }

    public String exporter() {
        return exporter;
    }

    public Counter datagrams() {
        Counter c = datagrams;
        if (c == null) {
            synchronized (this) {
                if (datagrams == null) {
                    datagrams = series(DecoderMetrics.DATAGRAMS);
                }
                c = datagrams;
            }
        }
        return c;
    }

    public Counter records() {
        Counter c = records;
        if (c == null) {
            synchronized (this) {
                if (records == null) {
                    records = series(DecoderMetrics.RECORDS);
                }
                c = records;
            }
        }
        return c;
    }

    public Counter bytes() {
        Counter c = bytes;
        if (c == null) {
            synchronized (this) {
                if (bytes == null) {
                    bytes = series(DecoderMetrics.BYTES);
                }
                c = bytes;
            }
        }
        return c;
    }

    public Counter errors(DecodeException.Reason reason) {
        int i = reason.ordinal();
        synchronized (errors) {
            if (errors[i] == null) {
                errors[i] = meters.counter(DecoderMetrics.ERRORS, DecoderMetrics.TAG_PROTOCOL, protocol,
                        DecoderMetrics.TAG_EXPORTER, exporter, DecoderMetrics.TAG_REASON, reason.name());
            }
            return errors[i];
        }
    }

    public Counter sequenceGaps(DecoderMetrics.Unit unit) {
        int i = unit.ordinal();
        synchronized (gaps) {
            if (gaps[i] == null) {
                gaps[i] = meters.counter(DecoderMetrics.SEQUENCE_GAPS, DecoderMetrics.TAG_PROTOCOL, protocol,
                        DecoderMetrics.TAG_EXPORTER, exporter, DecoderMetrics.TAG_UNIT, unit.tag());
            }
            return gaps[i];
        }
    }

    private Counter series(String name) {
        return meters.counter(name, DecoderMetrics.TAG_PROTOCOL, protocol, DecoderMetrics.TAG_EXPORTER, exporter);
    }
}
