package io.caravan.skydive.source;

/** Names the {@code skydive:} component shares with its docs and tests. */
public final class SkydiveConstants {
    public static final String SCHEME = "skydive";
    /** The analyzer's flow subscriber endpoint. */
    public static final String PATH = "/ws/subscriber/flow";

    /** Complete WebSocket messages received, whatever their type or fate. */
    public static final String METER_MESSAGES = "caravan.skydive.messages";
    /** Flows handed on as records. */
    public static final String METER_FLOWS = "caravan.skydive.flows";
    /** Messages of a type other than {@code store} (e.g. {@code stats}), counted and not passed on. */
    public static final String METER_IGNORED = "caravan.skydive.ignored";
    /** Messages or flows that could not be decoded, by {@code reason}: envelope, flow, oversize. */
    public static final String METER_DECODE_ERRORS = "caravan.skydive.decode.errors";
    /** Connection attempts after the first: after a failed attempt or a lost connection. */
    public static final String METER_RECONNECTS = "caravan.skydive.reconnects";
    /** Messages whose exchange ended with an exception the route did not handle. */
    public static final String METER_PROCESS_ERRORS = "caravan.skydive.process.errors";
    /** Connections open to the analyzer now. */
    public static final String METER_CONNECTED = "caravan.skydive.connected";

    public static final String TAG_ANALYZER = "analyzer";
    public static final String TAG_REASON = "reason";

    public static final String REASON_ENVELOPE = "envelope";
    public static final String REASON_FLOW = "flow";
    public static final String REASON_OVERSIZE = "oversize";

    /** Exchange header: the namespace the message came on ({@code flow} or {@code flow/<capture id>}). */
    public static final String HEADER_NAMESPACE = "CaravanSkydiveNamespace";
    /** Exchange header: the analyzer's {@code host:port}. */
    public static final String HEADER_ANALYZER = "CaravanSkydiveAnalyzer";

    private SkydiveConstants() {
    }
}
