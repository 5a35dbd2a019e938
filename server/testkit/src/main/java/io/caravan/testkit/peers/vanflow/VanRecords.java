package io.caravan.testkit.peers.vanflow;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds records as a router or controller holds them: type, identity and attributes by code
 * (spec §2.3), values as Java Strings and Longs (sent as AMQP strings and ulongs). Start with a
 * factory for the kind, add attributes with {@link #set} or the named setters.
 */
public final class VanRecords {
    public static final int SITE = 0;
    public static final int ROUTER = 1;
    public static final int LINK = 2;
    public static final int CONTROLLER = 3;
    public static final int LISTENER = 4;
    public static final int CONNECTOR = 5;
    public static final int FLOW = 6;
    public static final int PROCESS = 7;
    public static final int LOG = 14;
    public static final int BIFLOW_TPORT = 16;

    private final int type;
    private final String identity;
    private final Map<Integer, Object> attributes = new LinkedHashMap<>();

    private VanRecords(int type, String identity) {
        this.type = type;
        this.identity = identity;
    }

    public static VanRecords of(int type, String identity) {
        return new VanRecords(type, identity);
    }

    public static VanRecords site(String id, String name, long startUs) {
        return of(SITE, id).set(3, startUs).set(30, name).set(12, name).set(11, "kubernetes");
    }

    public static VanRecords router(String id, String siteId, String name, long startUs) {
        return of(ROUTER, id).set(2, siteId).set(3, startUs).set(30, name).set(13, "interior")
                .set(20, "skupper-router").set(21, "2.7.3").set(32, "2.7.3");
    }

    public static VanRecords link(String id, String routerId, String peer, String direction, long startUs) {
        return of(LINK, id).set(2, routerId).set(3, startUs).set(30, peer).set(13, "interior").set(34, direction)
                .set(33, 1L);
    }

    public static VanRecords listener(String id, String routerId, String name, String host, String port,
                                      String vanAddress, long startUs) {
        return of(LISTENER, id).set(2, routerId).set(3, startUs).set(16, "tcp").set(30, name).set(15, host)
                .set(18, port).set(19, vanAddress);
    }

    public static VanRecords connector(String id, String routerId, String name, String host, String port,
                                       String vanAddress, long startUs) {
        return of(CONNECTOR, id).set(2, routerId).set(3, startUs).set(16, "tcp").set(30, name).set(15, host)
                .set(18, port).set(19, vanAddress);
    }

    public static VanRecords process(String id, String siteId, String name, String ip, long startUs) {
        return of(PROCESS, id).set(2, siteId).set(3, startUs).set(30, name).set(14, ip).set(13, "internal");
    }

    /** A router 2.x tcp flow, listener or connector side (the parent says which). */
    public static VanRecords flow(String id, String parent, String sourceHost, String sourcePort, long startUs) {
        return of(FLOW, id).set(2, parent).set(3, startUs).set(14, sourceHost).set(17, sourcePort).set(23, 0L)
                .set(39, 65_536L);
    }

    /** A router 3.x bidirectional transport flow. */
    public static VanRecords biflow(String id, String listener, String connector, String sourceHost,
                                    String sourcePort, long startUs) {
        return of(BIFLOW_TPORT, id).set(2, listener).set(60, connector).set(3, startUs).set(14, sourceHost)
                .set(17, sourcePort).set(23, 0L).set(58, 0L);
    }

    /** Sets an attribute: a String, or a Long/Integer (sent as ulong); null removes it. */
    public VanRecords set(int code, Object value) {
        if (value instanceof Integer i) {
            value = (long) i;
        }
        if (value == null) {
            attributes.remove(code);
        } else {
            attributes.put(code, value);
        }
        return this;
    }

    public VanRecords counterflow(String id) {
        return set(5, id);
    }

    public VanRecords trace(String trace) {
        return set(31, trace);
    }

    public VanRecords latency(long us) {
        return set(24, us);
    }

    public VanRecords processLatency(long us) {
        return set(61, us);
    }

    public VanRecords octets(long n) {
        return set(23, n);
    }

    public VanRecords end(long endUs) {
        return set(4, endUs);
    }

    public int type() {
        return type;
    }

    public String identity() {
        return identity;
    }

    /** The attributes by code, without 0 and 1. */
    public Map<Integer, Object> attributes() {
        return attributes;
    }
}
