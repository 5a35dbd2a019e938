package io.caravan.vanflow.wire;

/**
 * The record types of a RECORD body (key 0), numbered as the router's {@code vanflow.h}. 15 to 17
 * come from router 3.x only. The Skupper 1.x collector's own kinds (FLOWPAIR and so on, 15 to 21 in
 * its Go table) never travel on the wire and are not decoded with this table.
 */
public enum RecordType {
    SITE, ROUTER, LINK, CONTROLLER, LISTENER, CONNECTOR, FLOW, PROCESS, IMAGE, INGRESS, EGRESS, COLLECTOR,
    PROCESS_GROUP, HOST, LOG, ROUTER_ACCESS, BIFLOW_TPORT, BIFLOW_APP;

    private static final RecordType[] BY_CODE = values();

    /** The wire code (key 0's value). */
    public int code() {
        return ordinal();
    }

    /** The type with this code, or null when this collector does not know it. */
    public static RecordType of(long code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[(int) code] : null;
    }

    /** FLOW, BIFLOW_TPORT and BIFLOW_APP: published on {@code <address>.flows}. */
    public boolean isFlow() {
        return this == FLOW || this == BIFLOW_TPORT || this == BIFLOW_APP;
    }
}
