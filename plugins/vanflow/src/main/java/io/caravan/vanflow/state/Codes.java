package io.caravan.vanflow.state;

import java.util.List;

/** Record type and attribute codes of the VAN-flow wire protocol (spec §2.2, §2.3), with their router names. */
public final class Codes {
    public static final int SITE = 0;
    public static final int ROUTER = 1;
    public static final int LINK = 2;
    public static final int CONTROLLER = 3;
    public static final int LISTENER = 4;
    public static final int CONNECTOR = 5;
    public static final int FLOW = 6;
    public static final int PROCESS = 7;
    public static final int IMAGE = 8;
    public static final int PROCESS_GROUP = 12;
    public static final int HOST = 13;
    public static final int LOG = 14;
    public static final int BIFLOW_TPORT = 16;

    public static final int PARENT = 2;
    public static final int START_TIME = 3;
    public static final int END_TIME = 4;
    public static final int COUNTERFLOW = 5;
    public static final int LOCATION = 9;
    public static final int PROVIDER = 10;
    public static final int PLATFORM = 11;
    public static final int NAMESPACE = 12;
    public static final int MODE = 13;
    public static final int SOURCE_HOST = 14;
    public static final int DESTINATION_HOST = 15;
    public static final int PROTOCOL = 16;
    public static final int SOURCE_PORT = 17;
    public static final int DESTINATION_PORT = 18;
    public static final int VAN_ADDRESS = 19;
    public static final int IMAGE_NAME = 20;
    public static final int IMAGE_VERSION = 21;
    public static final int HOST_NAME = 22;
    public static final int OCTETS = 23;
    public static final int LATENCY = 24;
    public static final int METHOD = 27;
    public static final int RESULT = 28;
    public static final int REASON = 29;
    public static final int NAME = 30;
    public static final int TRACE = 31;
    public static final int BUILD_VERSION = 32;
    public static final int LINK_COST = 33;
    public static final int DIRECTION = 34;
    public static final int OCTETS_OUT = 36;
    public static final int OCTETS_UNACKED = 37;
    public static final int WINDOW_CLOSURES = 38;
    public static final int WINDOW_SIZE = 39;
    public static final int FLOW_COUNT_L4 = 40;
    public static final int FLOW_COUNT_L7 = 41;
    public static final int FLOW_RATE_L4 = 42;
    public static final int FLOW_RATE_L7 = 43;
    public static final int GROUP = 46;
    public static final int STREAM_ID = 47;
    public static final int OCTETS_REVERSE = 58;
    public static final int CONNECTOR_REF = 60;
    public static final int PROCESS_LATENCY = 61;

    private static final List<String> TYPES = List.of("SITE", "ROUTER", "LINK", "CONTROLLER", "LISTENER", "CONNECTOR",
            "FLOW", "PROCESS", "IMAGE", "INGRESS", "EGRESS", "COLLECTOR", "PROCESS_GROUP", "HOST", "LOG", "ROUTER_ACCESS",
            "BIFLOW_TPORT", "BIFLOW_APP");

    private static final List<String> NAMES = List.of("recordType", "identity", "parent", "startTime", "endTime",
            "counterflow", "peer", "process", "sibOrdinal", "location", "provider", "platform", "namespace", "mode",
            "sourceHost", "destHost", "protocol", "sourcePort", "destPort", "vanAddress", "imageName", "imageVersion",
            "hostname", "octets", "latency", "transitLatency", "backlog", "method", "result", "reason", "name", "trace",
            "buildVersion", "linkCost", "direction", "octetRate", "octetsOut", "octetsUnacked", "windowClosures",
            "windowSize", "flowCountL4", "flowCountL7", "flowRateL4", "flowRateL7", "duration", "image", "group",
            "streamId", "logSeverity", "logText", "sourceFile", "sourceLine", "linkCount", "operStatus", "role",
            "upTimeStamp", "downTimeStamp", "downCount", "octetsReverse", "octetRateReverse", "connector",
            "processLatency", "proxyHost", "proxyPort", "errorListenerSide", "errorConnectorSide", "activeTlsOrdinal",
            "httpProxy");

    private Codes() {
    }

    public static boolean knownType(int type) {
        return type >= 0 && type < TYPES.size();
    }

    public static String typeName(int type) {
        return knownType(type) ? TYPES.get(type) : "UNKNOWN_" + type;
    }

    public static boolean knownAttribute(int code) {
        return code >= 0 && code < NAMES.size();
    }

    /**
     * The router's name for an attribute of a record of this type. Codes 52–54 are interpreted by type
     * (spec §2.3): on SITE records the 1.x Go controller sent its version, policy and target there.
     */
    public static String attributeName(int type, int code) {
        if (type == SITE) {
            switch (code) {
                case 52 -> {
                    return "siteVersion";
                }
                case 53 -> {
                    return "policy";
                }
                case 54 -> {
                    return "target";
                }
                default -> {
                }
            }
        }
        return knownAttribute(code) ? NAMES.get(code) : "code" + code;
    }
}
