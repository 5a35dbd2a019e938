package io.caravan.vanflow.source;

import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.api.net.AddressText;
import io.caravan.vanflow.event.VanRecord;
import io.caravan.vanflow.source.VanFlowConfiguration.FlowEmit;
import io.caravan.vanflow.wire.Attribute;
import io.caravan.vanflow.wire.RecordType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns FLOW (router 2.x, one per side) and BIFLOW_TPORT (router 3.x) records into FlowRecords.
 * Flows arrive as deltas, so the table merges each flow's attributes until it ends, and keeps the
 * sites, routers, listeners and connectors it needs to name a flow's VAN address, site and server.
 *
 * <p>A FlowRecord carries: source address and port (SOURCE_HOST/PORT, the client, or on a
 * connector-side 2.x flow the router's local address toward the server); destination address and
 * port from the flow's connector (BIFLOW: CONNECTOR, 2.x: the parent when it is a connector) or
 * else its listener; octets (OCTETS) as bytes, proto 6 (every VAN protocol runs on TCP), start and
 * end; and {@code vanflow.*} attributes (see the README). {@code source()} is the merged VanRecord.
 *
 * <p>Used by the ingest thread only.
 */
final class FlowTable {
    private final FlowEmit emit;
    private final int maxFlows;
    private final IngestCounts counts;
    private final Map<String, Entry> flows = new HashMap<>();
    private final Map<String, Entry> topology = new HashMap<>();

    private static final class Entry {
        final String sourceId;
        final int type;
        final String identity;
        final Map<Integer, Object> attributes = new HashMap<>();

        Entry(String sourceId, int type, String identity) {
            this.sourceId = sourceId;
            this.type = type;
            this.identity = identity;
        }
    }

    FlowTable(FlowEmit emit, int maxFlows, IngestCounts counts) {
        this.emit = emit;
        this.maxFlows = maxFlows;
        this.counts = counts;
    }

    /** Merges one message's records; returns the FlowRecords due (possibly none). */
    List<FlowRecord> merge(String sourceId, List<VanRecord> records, long nowMs) {
        if (emit == FlowEmit.NONE) {
            return List.of();
        }
        List<FlowRecord> out = new ArrayList<>();
        for (VanRecord r : records) {
            RecordType t = RecordType.of(r.type());
            if (t == RecordType.SITE || t == RecordType.ROUTER || t == RecordType.LISTENER
                    || t == RecordType.CONNECTOR) {
                topology.computeIfAbsent(r.identity(), id -> new Entry(sourceId, r.type(), id)).attributes
                        .putAll(r.attributes());
            } else if (t == RecordType.FLOW || t == RecordType.BIFLOW_TPORT) {
                Entry e = flows.get(r.identity());
                if (e == null) {
                    if (flows.size() >= maxFlows) {
                        counts.add(VanFlowConstants.METER_FLOW_DROPS);
                        continue;
                    }
                    e = new Entry(sourceId, r.type(), r.identity());
                    flows.put(r.identity(), e);
                }
                e.attributes.putAll(r.attributes());
                boolean ended = number(e.attributes, Attribute.END_TIME) > 0;
                if (ended || emit == FlowEmit.UPDATE) {
                    out.add(toFlowRecord(e, nowMs, false));
                }
                if (ended) {
                    flows.remove(r.identity());
                }
            }
        }
        counts.add(VanFlowConstants.METER_FLOW_RECORDS, out.size());
        return out;
    }

    /** Forgets a purged source's records; its live flows come back ended now, marked {@code vanflow.purged}. */
    List<FlowRecord> purge(String sourceId, long nowMs) {
        topology.values().removeIf(e -> e.sourceId.equals(sourceId));
        List<FlowRecord> out = new ArrayList<>();
        for (Iterator<Entry> it = flows.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.sourceId.equals(sourceId)) {
                it.remove();
                if (emit != FlowEmit.NONE) {
                    out.add(toFlowRecord(e, nowMs, true));
                }
            }
        }
        counts.add(VanFlowConstants.METER_FLOW_RECORDS, out.size());
        return out;
    }

    int liveFlows() {
        return flows.size();
    }

    private FlowRecord toFlowRecord(Entry e, long nowMs, boolean purged) {
        Map<Integer, Object> a = e.attributes;
        FlowRecord f = new FlowRecord().type(FlowType.VANFLOW).timeReceivedNs(nowMs * 1_000_000L)
                .source(new VanRecord(e.type, e.identity, Map.copyOf(a)));
        f.timeFlowStartNs(number(a, Attribute.START_TIME) * 1000L);
        long end = number(a, Attribute.END_TIME);
        f.timeFlowEndNs(end > 0 ? end * 1000L : purged ? nowMs * 1_000_000L : 0);
        f.bytes(number(a, Attribute.OCTETS));
        f.proto(6);
        f.srcAddr(address(string(a, Attribute.SOURCE_HOST)));
        f.srcPort(port(string(a, Attribute.SOURCE_PORT)));

        // The listener or connector this flow hangs from (an L7 flow's parent is its L4 flow).
        String parentId = string(a, Attribute.PARENT);
        Entry parentFlow = parentId == null ? null : flows.get(parentId);
        if (parentFlow != null) {
            parentId = string(parentFlow.attributes, Attribute.PARENT);
        }
        Entry parent = parentId == null ? null : topology.get(parentId);
        Entry connector = e.type == RecordType.BIFLOW_TPORT.code()
                ? topology.get(String.valueOf(a.get(Attribute.CONNECTOR.code())))
                : parent != null && parent.type == RecordType.CONNECTOR.code() ? parent : null;
        Entry server = connector != null ? connector : parent;
        if (server != null) {
            f.dstAddr(address(string(server.attributes, Attribute.DESTINATION_HOST)));
            f.dstPort(port(string(server.attributes, Attribute.DESTINATION_PORT)));
        }
        Entry named = parent != null ? parent : connector;
        f.attribute("vanflow.identity", e.identity);
        f.attribute("vanflow.recordType", RecordType.of(e.type).name());
        f.attribute("vanflow.eventSource", e.sourceId);
        if (named != null) {
            f.attribute("vanflow.address", string(named.attributes, Attribute.VAN_ADDRESS));
            f.attribute("vanflow.protocol", string(named.attributes, Attribute.PROTOCOL));
            f.attribute("vanflow.side", e.type == RecordType.BIFLOW_TPORT.code() ? null
                    : named.type == RecordType.LISTENER.code() ? "listener" : "connector");
            String routerId = string(named.attributes, Attribute.PARENT);
            Entry router = routerId == null ? null : topology.get(routerId);
            f.attribute("vanflow.router", routerId);
            if (router != null) {
                f.attribute("vanflow.routerName", string(router.attributes, Attribute.NAME));
                String siteId = string(router.attributes, Attribute.PARENT);
                Entry site = siteId == null ? null : topology.get(siteId);
                f.attribute("vanflow.site", siteId);
                f.attribute("vanflow.siteName", site == null ? null : string(site.attributes, Attribute.NAME));
            }
        }
        f.attribute("vanflow.counterflow", string(a, Attribute.COUNTERFLOW));
        f.attribute("vanflow.trace", string(a, Attribute.TRACE));
        f.attribute("vanflow.latencyUs", a.get(Attribute.LATENCY.code()));
        f.attribute("vanflow.processLatencyUs", a.get(Attribute.PROCESS_LATENCY.code()));
        f.attribute("vanflow.octetsReverse", a.get(Attribute.OCTETS_REVERSE.code()));
        f.attribute("vanflow.reason", string(a, Attribute.REASON));
        f.attribute("vanflow.purged", purged ? Boolean.TRUE : null);
        return f;
    }

    private static long number(Map<Integer, Object> a, Attribute at) {
        return a.get(at.code()) instanceof Long l ? l : 0;
    }

    private static String string(Map<Integer, Object> a, Attribute at) {
        Object v = a.get(at.code());
        return v == null ? null : v.toString();
    }

    private static byte[] address(String host) {
        if (host == null || host.isEmpty()) {
            return null;
        }
        try {
            return AddressText.parse(host);
        } catch (IllegalArgumentException e) {
            return null; // a host name (router 3.x may send one): only the attribute map keeps it
        }
    }

    private static int port(String text) {
        if (text == null) {
            return 0;
        }
        try {
            int p = Integer.parseInt(text.trim());
            return p >= 0 && p <= 65_535 ? p : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
