package io.caravan.vanflow.source;

import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.OptionType;
import io.caravan.api.stage.StageOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The settings of one {@code vanflow:NAME?url=...} endpoint, bound against {@link #OPTIONS} so an
 * unknown, ill-typed or out-of-range option fails the route with a message naming it.
 *
 * @param name              the endpoint name (meters' {@code endpoint} tag, thread and log names)
 * @param url               {@code amqp://host:port} or {@code amqps://host:port}
 * @param state             the registry name of the {@link io.caravan.vanflow.event.VanFlowListener} to feed,
 *                          without '#'; empty for none
 * @param flushDelay        FLUSH a new source after this long when neither a HEARTBEAT nor a RECORD came
 * @param silence           purge a source heard of for this long
 * @param prefetch          link credit of each receiver (option credit)
 * @param logs              attach {@code mc/sfe.<id>.logs} too
 * @param flowRecords       when FLOW and BIFLOW_TPORT records become FlowRecords
 * @param maxFlows          flows remembered for FlowRecords at once
 * @param queueSize         messages waiting for the ingest thread at most
 * @param reconnectDelay    first wait before reconnecting; doubles up to maxReconnectDelay
 * @param maxReconnectDelay longest wait between reconnects
 * @param connectTimeout    how long one connection attempt may take
 * @param tlsCert           PEM client certificate for amqps, or empty
 * @param tlsKey            PEM key of tlsCert, or empty
 * @param tlsCa             PEM CA certificates to trust for amqps, or empty for the JVM's
 * @param verifyHost        amqps checks the router certificate's host name
 */
public record VanFlowConfiguration(String name, URI url, String state, Duration flushDelay, Duration silence,
                                   int prefetch, boolean logs, FlowEmit flowRecords, int maxFlows, int queueSize,
                                   Duration reconnectDelay, Duration maxReconnectDelay, Duration connectTimeout,
                                   String tlsCert, String tlsKey, String tlsCa, boolean verifyHost) {

    /** When flow records become FlowRecords. */
    public enum FlowEmit {
        /** Once per flow, when its END_TIME arrives, with its final state. */
        END,
        /** Every time a RECORD message changes a flow, with its state so far (and once more when it ends). */
        UPDATE,
        /** Never: the component only feeds the collector state. */
        NONE
    }

    static final OptionSpec URL = OptionSpec.required("url", OptionType.STRING, "The router (or broker) to connect"
            + " to: amqp://host:port, or amqps://host:port with tlsCert, tlsKey and tlsCa.");
    static final OptionSpec STATE = OptionSpec.string("state", "#vanflowState", "The registry bean (a"
            + " VanFlowListener, the collector state) that beacons, heartbeats, records and purges are fed to; 'none'"
            + " feeds nothing. A missing bean is logged at WARN once and the component runs without it.");
    static final OptionSpec FLUSH_DELAY = OptionSpec.duration("flushDelay", "5s", "FLUSH a newly discovered source"
            + " after this long if neither a HEARTBEAT nor a RECORD from it came first (either sends FLUSH at once).")
            .min("10ms").max("10m");
    static final OptionSpec SILENCE = OptionSpec.duration("silence", "60s", "A source not heard of (beacon, heartbeat"
            + " or record) for this long is purged: its receivers close and the state ends its records.")
            .min("100ms").max("1d");
    static final OptionSpec PREFETCH = OptionSpec.integer("credit", 1000, "Link credit of each receiver, topped up as deliveries are taken. The"
            + " router drops pre-settled deliveries once a link's backlog reaches its credit, so keep it generous.")
            .min(1).max(100_000);
    static final OptionSpec LOGS = OptionSpec.bool("logs", false, "Also attach mc/sfe.<id>.logs of routers"
            + " (LOG records).");
    static final OptionSpec FLOW_RECORDS = OptionSpec.choice("flowRecords", FlowEmit.class, FlowEmit.END, "When"
            + " FLOW and BIFLOW_TPORT records become FlowRecords (FlowBatch exchanges of this endpoint): 'end' once"
            + " per flow when it ends, 'update' at every change and at the end, 'none' never.");
    static final OptionSpec MAX_FLOWS = OptionSpec.integer("maxFlows", 100_000, "Live flows remembered to build"
            + " FlowRecords; a flow beyond it is not turned into a FlowRecord, and counted.").min(1).max(10_000_000);
    static final OptionSpec QUEUE_SIZE = OptionSpec.integer("queueSize", 10_000, "Messages received but not yet"
            + " ingested; one that finds the queue full is dropped and counted (receivers never block).")
            .min(1).max(1_000_000);
    static final OptionSpec RECONNECT_DELAY = OptionSpec.duration("reconnectDelay", "1s", "Wait before the first"
            + " reconnect after a failed or lost connection; it doubles at each failure.").min("10ms").max("10m");
    static final OptionSpec MAX_RECONNECT_DELAY = OptionSpec.duration("maxReconnectDelay", "30s", "Longest wait"
            + " between reconnects.").min("10ms").max("1h");
    static final OptionSpec CONNECT_TIMEOUT = OptionSpec.duration("connectTimeout", "10s", "How long one connection"
            + " attempt (TCP, TLS, AMQP open) may take.").min("100ms").max("10m");
    static final OptionSpec TLS_CERT = OptionSpec.string("tlsCert", "", "amqps: PEM file of the client certificate"
            + " (Skupper's tls.crt); empty for none.");
    static final OptionSpec TLS_KEY = OptionSpec.string("tlsKey", "", "amqps: PEM file of the client key, PKCS#8 or"
            + " PKCS#1 RSA (Skupper's tls.key).");
    static final OptionSpec TLS_CA = OptionSpec.string("tlsCa", "", "amqps: PEM file of the CA certificates to trust"
            + " (Skupper's ca.crt); empty for the JVM's default trust.");
    static final OptionSpec VERIFY_HOST = OptionSpec.bool("verifyHost", true, "amqps: check that the router's"
            + " certificate names the host of url.");

    /** Every option, in the order the docs list them. */
    static final List<OptionSpec> OPTIONS = List.of(URL, STATE, FLUSH_DELAY, SILENCE, PREFETCH, LOGS, FLOW_RECORDS,
            MAX_FLOWS, QUEUE_SIZE, RECONNECT_DELAY, MAX_RECONNECT_DELAY, CONNECT_TIMEOUT, TLS_CERT, TLS_KEY, TLS_CA,
            VERIFY_HOST);

    static VanFlowConfiguration of(String remaining, Map<String, ?> parameters) throws OptionException {
        String name = remaining == null ? "" : remaining.replaceFirst("^//", "");
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(VanFlowConstants.SCHEME + ": needs a name of letters, digits, '.', '_'"
                    + " or '-', as " + VanFlowConstants.SCHEME + ":collector?url=amqp://host:5672; got '" + name + "'");
        }
        StageOptions o = StageOptions.bindComponent(VanFlowConstants.SCHEME, OPTIONS, parameters);
        String u = o.getString(URL.name()).trim();
        URI url;
        try {
            url = new URI(u);
        } catch (URISyntaxException e) {
            url = null;
        }
        if (url == null || !("amqp".equals(url.getScheme()) || "amqps".equals(url.getScheme()))
                || url.getHost() == null) {
            throw new IllegalArgumentException(VanFlowConstants.SCHEME + ": option url must be amqp://host:port or"
                    + " amqps://host:port; got '" + u + "'");
        }
        String state = o.getString(STATE.name()).trim();
        state = state.startsWith("#") ? state.substring(1) : state;
        if (state.startsWith("bean:")) {
            state = state.substring(5);
        }
        if (state.equals("none")) {
            state = "";
        }
        return new VanFlowConfiguration(name, url, state, o.getDuration(FLUSH_DELAY.name()),
                o.getDuration(SILENCE.name()), o.getInt(PREFETCH.name()), o.getBoolean(LOGS.name()),
                o.getEnum(FLOW_RECORDS.name(), FlowEmit.class), o.getInt(MAX_FLOWS.name()),
                o.getInt(QUEUE_SIZE.name()), o.getDuration(RECONNECT_DELAY.name()),
                o.getDuration(MAX_RECONNECT_DELAY.name()), o.getDuration(CONNECT_TIMEOUT.name()),
                o.getString(TLS_CERT.name()).trim(), o.getString(TLS_KEY.name()).trim(),
                o.getString(TLS_CA.name()).trim(), o.getBoolean(VERIFY_HOST.name()));
    }

    /** The URL without credentials or query, for logs and errors. */
    public String where() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }
}
