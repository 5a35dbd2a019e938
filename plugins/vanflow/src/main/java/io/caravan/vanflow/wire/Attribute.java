package io.caravan.vanflow.wire;

/**
 * The attribute codes of a RECORD map (spec §2.3), with the router's display names and value kinds.
 * Router 2.7 defines 0 to 51, router 3.x up to 67.
 */
public enum Attribute {
    RECORD_TYPE("recordType", Kind.UINT), IDENTITY("identity", Kind.REF), PARENT("parent", Kind.REF),
    START_TIME("startTime", Kind.UINT), END_TIME("endTime", Kind.UINT), COUNTERFLOW("counterflow", Kind.REF),
    PEER("peer", Kind.REF), PROCESS("process", Kind.REF), SIBLING_ORDINAL("sibOrdinal", Kind.UINT),
    LOCATION("location", Kind.STR), PROVIDER("provider", Kind.STR), PLATFORM("platform", Kind.STR),
    NAMESPACE("namespace", Kind.STR), MODE("mode", Kind.STR), SOURCE_HOST("sourceHost", Kind.STR),
    DESTINATION_HOST("destHost", Kind.STR), PROTOCOL("protocol", Kind.STR), SOURCE_PORT("sourcePort", Kind.STR),
    DESTINATION_PORT("destPort", Kind.STR), VAN_ADDRESS("vanAddress", Kind.STR), IMAGE_NAME("imageName", Kind.STR),
    IMAGE_VERSION("imageVersion", Kind.STR), HOST_NAME("hostname", Kind.STR), OCTETS("octets", Kind.CTR),
    LATENCY("latency", Kind.UINT), TRANSIT_LATENCY("transitLatency", Kind.UINT), BACKLOG("backlog", Kind.UINT),
    METHOD("method", Kind.STR), RESULT("result", Kind.STR), REASON("reason", Kind.STR), NAME("name", Kind.STR),
    TRACE("trace", Kind.STR), BUILD_VERSION("buildVersion", Kind.STR), LINK_COST("linkCost", Kind.UINT),
    DIRECTION("direction", Kind.STR), OCTET_RATE("octetRate", Kind.UINT), OCTETS_OUT("octetsOut", Kind.CTR),
    OCTETS_UNACKED("octetsUnacked", Kind.UINT), WINDOW_CLOSURES("windowClosures", Kind.CTR),
    WINDOW_SIZE("windowSize", Kind.UINT), FLOW_COUNT_L4("flowCountL4", Kind.CTR),
    FLOW_COUNT_L7("flowCountL7", Kind.CTR), FLOW_RATE_L4("flowRateL4", Kind.UINT),
    FLOW_RATE_L7("flowRateL7", Kind.UINT), DURATION("duration", Kind.UINT), IMAGE("image", Kind.REF),
    GROUP("group", Kind.REF), STREAM_ID("streamId", Kind.UINT), LOG_SEVERITY("logSeverity", Kind.UINT),
    LOG_TEXT("logText", Kind.STR), SOURCE_FILE("sourceFile", Kind.STR), SOURCE_LINE("sourceLine", Kind.UINT),
    LINK_COUNT("linkCount", Kind.CTR), OPER_STATUS("operStatus", Kind.STR), ROLE("role", Kind.STR),
    UP_TIMESTAMP("upTimeStamp", Kind.UINT), DOWN_TIMESTAMP("downTimeStamp", Kind.UINT),
    DOWN_COUNT("downCount", Kind.CTR), OCTETS_REVERSE("octetsReverse", Kind.CTR),
    OCTET_RATE_REVERSE("octetRateReverse", Kind.UINT), CONNECTOR("connector", Kind.REF),
    PROCESS_LATENCY("processLatency", Kind.UINT), PROXY_HOST("proxyHost", Kind.STR),
    PROXY_PORT("proxyPort", Kind.STR), ERROR_LISTENER_SIDE("errorListenerSide", Kind.STR),
    ERROR_CONNECTOR_SIDE("errorConnectorSide", Kind.STR), ACTIVE_TLS_ORDINAL("activeTlsOrdinal", Kind.UINT),
    HTTP_PROXY("httpProxy", Kind.STR);

    /** How a value is carried: ulong numbers, absolute ulong counters, strings, identities of other records. */
    public enum Kind { UINT, CTR, STR, REF }

    private static final Attribute[] BY_CODE = values();

    private final String displayName;
    private final Kind kind;

    Attribute(String displayName, Kind kind) {
        this.displayName = displayName;
        this.kind = kind;
    }

    /** The wire code (the map key). */
    public int code() {
        return ordinal();
    }

    /** The router's display / JSON name, e.g. {@code sourceHost}. */
    public String displayName() {
        return displayName;
    }

    public Kind kind() {
        return kind;
    }

    /** The attribute with this code, or null when this collector does not know it. */
    public static Attribute of(long code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[(int) code] : null;
    }
}
