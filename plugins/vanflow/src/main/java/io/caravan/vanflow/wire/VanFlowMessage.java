package io.caravan.vanflow.wire;

import io.caravan.vanflow.event.Beacon;
import java.util.Map;

/**
 * The parts of a VAN-flow message the collector reads ({@link MessageCodec}). Application property
 * keys are normalised to strings: the router encodes them as AMQP symbols, the Go controller as
 * strings.
 *
 * @param subject    BEACON, HEARTBEAT, RECORD (or FLUSH); null when absent
 * @param to         the {@code to} property
 * @param properties application properties by string key, values as proton-j decoded them
 * @param body       the {@code amqp-value}'s value; null when the body is absent or another section
 * @param bodyKind   what the body section was, for error messages
 */
public record VanFlowMessage(String subject, String to, Map<String, Object> properties, Object body,
                             String bodyKind) {

    public static final String BEACON = "BEACON";
    public static final String HEARTBEAT = "HEARTBEAT";
    public static final String RECORD = "RECORD";
    public static final String FLUSH = "FLUSH";

    /**
     * This message as a BEACON.
     *
     * @throws MalformedMessageException when it has no {@code id}
     */
    public Beacon beacon() throws MalformedMessageException {
        String id = string("id");
        if (id == null || id.isEmpty()) {
            throw new MalformedMessageException("BEACON without an id application property (keys: "
                    + properties.keySet() + ")");
        }
        String type = string("sourceType");
        String address = string("address");
        String direct = string("direct");
        Object v = properties.get("v");
        long version = v == null ? 0 : RecordDecoder.code(v);
        return new Beacon(type == null ? "" : type, address == null || address.isEmpty() ? "mc/sfe." + id : address,
                direct == null || direct.isEmpty() ? "sfe." + id : direct, id, version);
    }

    /** An application property as a string (strings and symbols); null when absent. */
    public String string(String key) {
        Object v = properties.get(key);
        return v == null ? null : v.toString();
    }
}
