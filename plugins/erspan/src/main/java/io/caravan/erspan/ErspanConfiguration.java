package io.caravan.erspan;

import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.OptionType;
import io.caravan.api.stage.StageOptions;
import io.caravan.erspan.wire.ErspanTypeIII.Granularity;
import java.util.List;
import java.util.Map;

/**
 * The settings of one {@code erspan:<name>?target=...} endpoint.
 *
 * @param name      the sink's name, from the URI's path (a metrics label)
 * @param target    the analyzer's IPv4 address or host name (resolved at start)
 * @param version   2 (ERSPAN type II) or 3 (type III)
 * @param truncate  at most this many frame bytes are mirrored; 0 means the whole frame as carried
 */
public record ErspanConfiguration(String name, String target, int version, int sessionId, int vlan, int cos,
                                  IndexFrom indexFrom, long index, Direction direction, Granularity timestamp,
                                  int sgt, int hwId, int truncate) {
    static final String SCHEME = "erspan";

    /** Where the port index (type II's Index, type III's platform subheader) comes from. */
    public enum IndexFrom { IN_IF, OUT_IF, FIXED }

    /** The direction bit of type III: fixed, or the record's flow_direction (0 ingress, 1 egress). */
    public enum Direction { INGRESS, EGRESS, RECORD }

    static final OptionSpec TARGET = OptionSpec.required("target", OptionType.STRING, "The analyzer: an IPv4 address"
            + " or a host name with one (GRE over a raw IP socket; ports do not apply).");
    static final OptionSpec VERSION = OptionSpec.integer("version", 2, "ERSPAN type: 2 (GRE protocol 0x88BE) or 3"
            + " (0x22EB, with timestamp, SGT, hardware id and direction).").min(2).max(3);
    static final OptionSpec SESSION_ID = OptionSpec.integer("sessionId", 1, "The ERSPAN session id (10 bits, all of"
            + " them sent); GRE sequence numbers count per target, type and session.").min(0).max(1023);
    static final OptionSpec VLAN = OptionSpec.integer("vlan", 0, "The VLAN field of the ERSPAN header (the source"
            + " session's VLAN).").min(0).max(4095);
    static final OptionSpec COS = OptionSpec.integer("cos", 0, "The class of service field (3 bits).").min(0).max(7);
    static final OptionSpec INDEX_FROM = OptionSpec.choice("indexFrom", IndexFrom.class, IndexFrom.IN_IF,
            "The port index sent (type II Index, 20 bits; type III with timestamp=ieee1588: 14 bits): the record's"
                    + " input or output interface, or the fixed 'index'.");
    static final OptionSpec INDEX = OptionSpec.integer("index", 0, "The port index sent when indexFrom=fixed.")
            .min(0).max(1_048_575);
    static final OptionSpec DIRECTION = OptionSpec.choice("direction", Direction.class, Direction.INGRESS,
            "Type III D bit: ingress (0), egress (1), or each record's flow_direction.");
    static final OptionSpec TIMESTAMP = OptionSpec.choice("timestamp", "100us", "Type III timestamp granularity: 100us"
            + " or 100ns units (low 32 bits), or ieee1588 (nanoseconds, seconds in a platform subheader).",
            "100us", "100ns", "ieee1588");
    static final OptionSpec SGT = OptionSpec.integer("sgt", 0, "Type III security group tag (16 bits).").min(0)
            .max(65535);
    static final OptionSpec HW_ID = OptionSpec.integer("hwId", 0, "Type III hardware id (6 bits).").min(0).max(63);
    static final OptionSpec TRUNCATE = OptionSpec.integer("truncate", 0, "Mirror at most this many bytes of each"
            + " frame (the T bit says it was cut); 0 sends the frame as carried.").min(0).max(65_000);
    static final List<OptionSpec> OPTIONS = List.of(TARGET, VERSION, SESSION_ID, VLAN, COS, INDEX_FROM, INDEX,
            DIRECTION, TIMESTAMP, SGT, HW_ID, TRUNCATE);

    static ErspanConfiguration of(String remaining, Map<String, ?> parameters) throws OptionException {
        if (remaining == null || remaining.isBlank() || !remaining.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException(SCHEME + ": needs a name of letters, digits, '.', '_' or '-', as "
                    + SCHEME + ":<name>?target=<ipv4>; got '" + remaining + "'");
        }
        StageOptions o = StageOptions.bindComponent(SCHEME, OPTIONS, parameters);
        Granularity granularity = switch (o.getString(TIMESTAMP.name())) {
            case "100ns" -> Granularity.NS_100;
            case "ieee1588" -> Granularity.IEEE_1588;
            default -> Granularity.US_100;
        };
        return new ErspanConfiguration(remaining, o.getString(TARGET.name()), o.getInt(VERSION.name()),
                o.getInt(SESSION_ID.name()), o.getInt(VLAN.name()), o.getInt(COS.name()),
                o.getEnum(INDEX_FROM.name(), IndexFrom.class), o.getInt(INDEX.name()),
                o.getEnum(DIRECTION.name(), Direction.class), granularity, o.getInt(SGT.name()),
                o.getInt(HW_ID.name()), o.getInt(TRUNCATE.name()));
    }
}
