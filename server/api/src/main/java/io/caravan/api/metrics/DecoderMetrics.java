package io.caravan.api.metrics;

/**
 * The meter names and tag keys every decoder plugin shares, declared once so that two plugins can
 * never register one name with two tag sets. A stage's context adds the {@code stage} tag itself.
 *
 * <pre>
 * caravan.decoder.datagrams           {stage, protocol, exporter}          datagrams received
 * caravan.decoder.records             {stage, protocol, exporter}          flow records decoded
 * caravan.decoder.bytes               {stage, protocol, exporter}          datagram bytes received
 * caravan.decoder.errors              {stage, protocol, exporter, reason}  datagrams (or parts) rejected, by reason
 * caravan.decoder.sequence_gaps       {stage, protocol, exporter, unit}    sequence units lost
 * caravan.decoder.overflow_datagrams  {stage, protocol}                    datagrams from sources past the state cap
 * caravan.decoder.state_bytes         {stage, protocol}                    bytes of decoder state held (gauge)
 * caravan.decoder.state_evictions     {stage, protocol, kind}              state entries evicted to stay in budget
 * caravan.templates                   {stage, exporter}                    templates held (gauge)
 * </pre>
 * Use {@link DecoderMeters} to obtain them.
 */
public final class DecoderMetrics {
    public static final String DATAGRAMS = "caravan.decoder.datagrams";
    public static final String RECORDS = "caravan.decoder.records";
    public static final String BYTES = "caravan.decoder.bytes";
    public static final String ERRORS = "caravan.decoder.errors";
    public static final String SEQUENCE_GAPS = "caravan.decoder.sequence_gaps";
    public static final String OVERFLOW_DATAGRAMS = "caravan.decoder.overflow_datagrams";
    public static final String STATE_BYTES = "caravan.decoder.state_bytes";
    public static final String STATE_EVICTIONS = "caravan.decoder.state_evictions";
    public static final String TEMPLATES = "caravan.templates";

    public static final String TAG_PROTOCOL = "protocol";
    public static final String TAG_EXPORTER = "exporter";
    public static final String TAG_REASON = "reason";
    /** The unit of a sequence gap: {@link Unit}. */
    public static final String TAG_UNIT = "unit";
    public static final String TAG_KIND = "kind";

    /** What a sequence number counts (flow-protocols §10.18): v5/IPFIX records, v9/sFlow datagrams, sFlow samples. */
    public enum Unit {
        RECORDS("records"), DATAGRAMS("datagrams"), SAMPLES("samples");

        private final String tag;

        Unit(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    private DecoderMetrics() {
    }
}
