package io.caravan.vanflow.state;

import static io.caravan.vanflow.state.Codes.*;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a {@link Snapshot} from the stored records the way the Skupper 1.x collector reconciles
 * (spec §3.2, §3.4): ADDRESS records per VAN address, connector and client-flow process binding
 * (with the synthetic {@code site-servers-*} / {@code site-clients-*} processes once their wait is
 * over), FLOWPAIRs from counterflows, traces with router and site names, and site, process and
 * process-group pair aggregates. One pass over the records; runs under the state's lock.
 */
final class Derivation {
    /** 1.x binds an unmatched connector to its site's servers process after 30 s (120 s if it predates the collector). */
    static final long SERVER_WAIT_US = 30_000_000L;
    static final long LATE_SERVER_WAIT_US = 120_000_000L;
    /** ... and an unmatched client flow to a site-clients process after 120 s. */
    static final long CLIENT_WAIT_US = 120_000_000L;

    private final Map<String, StoredRecord> records;
    private final long now;
    private final long startedUs;
    private final Map<String, String> addressIds;
    private final Map<Integer, List<StoredRecord>> byType = new HashMap<>();
    private final Map<String, StoredRecord> routerByName = new HashMap<>();
    /** Processes by identity, real and synthetic, rendered. */
    private final Map<String, Map<String, Object>> processes = new TreeMap<>();
    private final Map<String, String> connectorProcess = new HashMap<>();
    private final Map<String, String> flowProcess = new HashMap<>();
    /** Each FLOW as rendered in {@code flows}; pairs share these objects rather than copies. */
    private final Map<String, Map<String, Object>> renderedFlows = new HashMap<>();
    /** The pairs found, for metrics and the finished-flow hook. */
    final List<Pair> pairs = new ArrayList<>();

    /** A resolved flow pair and what its metrics are labelled with. */
    record Pair(String identity, Map<String, Object> json, StoredRecord forward, StoredRecord counter, String vanAddress,
                String protocol, String sourceSite, String destSite, String sourceProcess, String destProcess,
                StoredRecord connector, boolean biflow) {
    }

    Derivation(Map<String, StoredRecord> records, Map<String, String> addressIds, long nowMicros, long startedMicros) {
        this.records = records;
        this.addressIds = addressIds;
        this.now = nowMicros;
        this.startedUs = startedMicros;
        for (StoredRecord r : records.values()) {
            byType.computeIfAbsent(r.type, t -> new ArrayList<>()).add(r);
            if (r.type == ROUTER && r.str(NAME) != null) {
                routerByName.put(r.str(NAME), r);
                routerByName.put(stripArea(r.str(NAME)), r);
            }
        }
    }

    Map<String, List<Map<String, Object>>> collections() {
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        out.put("sites", render(SITE, this::site));
        out.put("routers", render(ROUTER, this::router));
        out.put("links", render(LINK, this::link));
        out.put("hosts", render(HOST, this::host));
        out.put("listeners", render(LISTENER, this::listener));
        out.put("connectors", List.of());
        out.put("addresses", addresses());
        bindProcesses();
        out.put("connectors", render(CONNECTOR, this::connector));
        List<Map<String, Object>> flows = render(FLOW, this::flow);
        for (Map<String, Object> f : flows) {
            renderedFlows.put((String) f.get("identity"), f);
        }
        out.put("flows", flows);
        out.put("flowpairs", flowPairs());
        out.put("processes", new ArrayList<>(processes.values()));
        out.put("processgroups", processGroups());
        out.put("sitepairs", aggregates("SITE"));
        out.put("processpairs", aggregates("PROCESS"));
        out.put("processgrouppairs", aggregates("PROCESS_GROUP"));
        return out;
    }

    Map<String, String> flowPairAddress() {
        Map<String, String> m = new HashMap<>();
        for (Pair p : pairs) {
            m.put(p.identity(), addressIds.get(p.vanAddress()));
        }
        return m;
    }

    // ---- relations ------------------------------------------------------------------------------

    private List<StoredRecord> ofType(int type) {
        return byType.getOrDefault(type, List.of());
    }

    private StoredRecord get(String id, int type) {
        StoredRecord r = id == null ? null : records.get(id);
        return r != null && r.type == type ? r : null;
    }

    /** The listener or connector a flow belongs to (an L7 flow's parent is its L4 flow). */
    StoredRecord endpoint(StoredRecord flow) {
        StoredRecord p = flow.parent() == null ? null : records.get(flow.parent());
        if (p != null && p.type == FLOW) {
            p = p.parent() == null ? null : records.get(p.parent());
        }
        return p != null && (p.type == LISTENER || p.type == CONNECTOR) ? p : null;
    }

    String siteOf(StoredRecord r) {
        if (r == null) {
            return null;
        }
        return switch (r.type) {
            case SITE -> r.identity;
            case ROUTER, PROCESS, HOST, PROCESS_GROUP -> r.parent();
            case LINK, LISTENER, CONNECTOR -> siteOf(get(r.parent(), ROUTER));
            case FLOW -> siteOf(endpoint(r));
            case BIFLOW_TPORT -> siteOf(get(r.parent(), LISTENER));
            default -> null;
        };
    }

    String siteName(String siteId) {
        StoredRecord s = get(siteId, SITE);
        return s == null ? null : s.str(NAME);
    }

    static String stripArea(String routerName) {
        int slash = routerName.indexOf('/');
        return slash < 0 ? routerName : routerName.substring(slash + 1);
    }

    // ---- rendering ------------------------------------------------------------------------------

    private List<Map<String, Object>> render(int type, java.util.function.Function<StoredRecord, Map<String, Object>> f) {
        List<StoredRecord> list = new ArrayList<>(ofType(type));
        list.sort(Comparator.comparing(r -> r.identity));
        List<Map<String, Object>> out = new ArrayList<>(list.size());
        for (StoredRecord r : list) {
            out.add(f.apply(r));
        }
        return out;
    }

    static Map<String, Object> base(StoredRecord r, String recType) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recType", recType);
        m.put("identity", r.identity);
        put(m, "parent", r.parent());
        m.put("startTime", r.startTime());
        m.put("endTime", r.endTime());
        if (r.purged) {
            m.put("purged", true);
        }
        put(m, "source", r.source);
        return m;
    }

    static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    private Map<String, Object> site(StoredRecord r) {
        Map<String, Object> m = base(r, "SITE");
        put(m, "name", r.str(NAME));
        put(m, "nameSpace", r.str(NAMESPACE));
        put(m, "siteVersion", r.str(52) != null ? r.str(52) : r.str(BUILD_VERSION));
        put(m, "platform", r.str(PLATFORM));
        put(m, "policy", r.str(53));
        put(m, "location", r.str(LOCATION));
        put(m, "provider", r.str(PROVIDER));
        return m;
    }

    private Map<String, Object> router(StoredRecord r) {
        Map<String, Object> m = base(r, "ROUTER");
        put(m, "name", r.str(NAME));
        put(m, "namespace", r.str(NAMESPACE));
        put(m, "mode", r.str(MODE));
        put(m, "imageName", r.str(IMAGE_NAME));
        put(m, "imageVersion", r.str(IMAGE_VERSION));
        put(m, "hostname", r.str(HOST_NAME));
        put(m, "buildVersion", r.str(BUILD_VERSION));
        return m;
    }

    private Map<String, Object> link(StoredRecord r) {
        Map<String, Object> m = base(r, "LINK");
        put(m, "mode", r.str(MODE));
        put(m, "name", r.str(NAME));
        put(m, "linkCost", r.numOrNull(LINK_COST));
        put(m, "direction", r.str(DIRECTION));
        String here = siteOf(r);
        StoredRecord peer = r.str(NAME) == null ? null : routerByName.get(stripArea(r.str(NAME)));
        String there = siteOf(peer);
        boolean incoming = "incoming".equals(r.str(DIRECTION));
        put(m, "sourceSiteId", incoming ? there : here);
        put(m, "destinationSiteId", incoming ? here : there);
        return m;
    }

    private Map<String, Object> host(StoredRecord r) {
        Map<String, Object> m = base(r, "HOST");
        put(m, "name", r.str(NAME));
        put(m, "provider", r.str(PROVIDER));
        put(m, "platform", r.str(PLATFORM));
        return m;
    }

    private void endpointFields(Map<String, Object> m, StoredRecord r) {
        put(m, "destHost", r.str(DESTINATION_HOST));
        put(m, "destPort", r.str(DESTINATION_PORT));
        put(m, "protocol", r.str(PROTOCOL));
        put(m, "address", r.str(VAN_ADDRESS));
        put(m, "addressId", r.str(VAN_ADDRESS) == null ? null : addressIds.get(r.str(VAN_ADDRESS)));
        put(m, "flowCountL4", r.numOrNull(FLOW_COUNT_L4));
        put(m, "flowRateL4", r.numOrNull(FLOW_RATE_L4));
        put(m, "flowCountL7", r.numOrNull(FLOW_COUNT_L7));
        put(m, "flowRateL7", r.numOrNull(FLOW_RATE_L7));
    }

    private Map<String, Object> listener(StoredRecord r) {
        Map<String, Object> m = base(r, "LISTENER");
        put(m, "name", r.str(NAME));
        endpointFields(m, r);
        return m;
    }

    private Map<String, Object> connector(StoredRecord r) {
        Map<String, Object> m = base(r, "CONNECTOR");
        endpointFields(m, r);
        put(m, "target", r.str(NAME));
        put(m, "processId", connectorProcess.get(r.identity));
        return m;
    }

    private List<Map<String, Object>> addresses() {
        Map<String, List<StoredRecord>> byAddress = new TreeMap<>();
        for (int type : new int[] {LISTENER, CONNECTOR}) {
            for (StoredRecord r : ofType(type)) {
                if (r.str(VAN_ADDRESS) != null && addressIds.containsKey(r.str(VAN_ADDRESS))) {
                    byAddress.computeIfAbsent(r.str(VAN_ADDRESS), a -> new ArrayList<>()).add(r);
                }
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        byAddress.forEach((address, members) -> {
            long start = Long.MAX_VALUE;
            long end = 0;
            int listeners = 0;
            int connectors = 0;
            int liveListeners = 0;
            String protocol = null;
            for (StoredRecord r : members) {
                start = Math.min(start, r.startTime());
                if (r.type == LISTENER) {
                    listeners++;
                    liveListeners += r.ended() ? 0 : 1;
                    end = Math.max(end, r.endTime());
                    protocol = protocol == null ? r.str(PROTOCOL) : protocol;
                } else if (!r.ended()) {
                    connectors++;
                }
                if (protocol == null && r.type == CONNECTOR) {
                    protocol = r.str(PROTOCOL);
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("recType", "ADDRESS");
            m.put("identity", addressIds.get(address));
            m.put("startTime", start == Long.MAX_VALUE ? 0 : start);
            // Ended with its last listener (1.x); an address only connectors know stays live.
            m.put("endTime", listeners > 0 && liveListeners == 0 ? end : 0L);
            m.put("name", address);
            put(m, "protocol", protocol);
            m.put("listenerCount", liveListeners);
            m.put("connectorCount", connectors);
            out.add(m);
        });
        out.sort(Comparator.comparing(m -> (String) m.get("identity")));
        return out;
    }

    // ---- processes ------------------------------------------------------------------------------

    private void bindProcesses() {
        for (StoredRecord p : ofType(PROCESS)) {
            Map<String, Object> m = base(p, "PROCESS");
            put(m, "name", p.str(NAME));
            put(m, "parentName", siteName(p.parent()));
            put(m, "imageName", p.str(IMAGE_NAME));
            put(m, "image", p.str(45));
            String group = p.str(GROUP);
            StoredRecord groupRecord = get(group, PROCESS_GROUP);
            if (groupRecord != null) {
                put(m, "groupName", groupRecord.str(NAME));
                m.put("groupIdentity", groupRecord.identity);
            } else if (group != null) {
                // The Go controller sends the group's name: the group is then known by its name.
                m.put("groupName", group);
                m.put("groupIdentity", groupIdentityByName(group));
            }
            put(m, "hostName", p.str(HOST_NAME));
            put(m, "sourceHost", p.str(SOURCE_HOST));
            put(m, "processRole", p.str(MODE));
            m.put("processBinding", "unbound");
            processes.put(p.identity, m);
        }
        for (StoredRecord c : ofType(CONNECTOR)) {
            String site = siteOf(c);
            String host = c.str(DESTINATION_HOST);
            String bound = matchProcess(site, host, true);
            if (bound == null && site != null) {
                long since = Math.max(c.startTime(), startedUs);
                long wait = startedUs > c.startTime() ? LATE_SERVER_WAIT_US : SERVER_WAIT_US;
                if (now - since > wait) {
                    bound = synthetic("site-servers-" + site.split("-")[0], site, "site-servers", "internal", null,
                            c.startTime());
                }
            }
            if (bound != null) {
                connectorProcess.put(c.identity, bound);
                Map<String, Object> pm = processes.get(bound);
                pm.put("processBinding", "bound");
                if (c.str(VAN_ADDRESS) != null) {
                    @SuppressWarnings("unchecked")
                    List<String> addrs = (List<String>) pm.computeIfAbsent("addresses", k -> new ArrayList<String>());
                    String entry = c.str(VAN_ADDRESS) + "@" + addressIds.get(c.str(VAN_ADDRESS)) + "@" + c.str(PROTOCOL);
                    if (!addrs.contains(entry)) {
                        addrs.add(entry);
                    }
                }
            }
        }
        List<StoredRecord> clientFlows = new ArrayList<>();
        for (StoredRecord f : ofType(FLOW)) {
            StoredRecord e = endpoint(f);
            if (e != null && e.type == CONNECTOR) {
                put0(flowProcess, f.identity, connectorProcess.get(e.identity));
            } else if (e != null) {
                clientFlows.add(f);
            }
        }
        clientFlows.addAll(ofType(BIFLOW_TPORT));
        for (StoredRecord f : clientFlows) {
            String site = siteOf(f);
            String ip = f.str(SOURCE_HOST);
            String bound = matchProcess(site, ip, false);
            if (bound == null && site != null && ip != null && now - Math.max(f.startTime(), startedUs) > CLIENT_WAIT_US) {
                bound = synthetic("site-clients-" + site.split("-")[0] + "-" + ip, site, "site-clients", "remote", ip,
                        f.startTime());
            }
            put0(flowProcess, f.identity, bound);
        }
        for (StoredRecord f : ofType(BIFLOW_TPORT)) {
            StoredRecord c = get(f.str(CONNECTOR_REF), CONNECTOR);
            if (c != null) {
                put0(flowProcess, f.identity + "/server", connectorProcess.get(c.identity));
            }
        }
    }

    private static void put0(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    /** A process of the site (any site for clients) whose IP (or, for servers, host name) is {@code host}; live ones first. */
    private String matchProcess(String site, String host, boolean byHostName) {
        if (host == null) {
            return null;
        }
        String found = null;
        for (StoredRecord p : ofType(PROCESS)) {
            boolean sameSite = site != null && site.equals(p.parent());
            boolean hostMatches = host.equals(p.str(SOURCE_HOST)) || byHostName && host.equals(p.str(HOST_NAME));
            if (hostMatches && (sameSite || !byHostName && found == null)) {
                if (!p.ended() && sameSite) {
                    return p.identity;
                }
                if (found == null || sameSite) {
                    found = p.identity;
                }
            }
        }
        return found;
    }

    private String synthetic(String name, String site, String group, String role, String sourceHost, long start) {
        Map<String, Object> existing = processes.get(name);
        if (existing != null) {
            existing.put("startTime", Math.min((Long) existing.get("startTime"), start));
            return name;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recType", "PROCESS");
        m.put("identity", name);
        m.put("parent", site);
        m.put("startTime", start);
        m.put("endTime", 0L);
        m.put("name", name);
        put(m, "parentName", siteName(site));
        m.put("groupName", group);
        m.put("groupIdentity", groupIdentityByName(group));
        put(m, "sourceHost", sourceHost);
        m.put("processRole", role);
        m.put("processBinding", "unbound");
        processes.put(name, m);
        return name;
    }

    private String groupIdentityByName(String name) {
        for (StoredRecord g : ofType(PROCESS_GROUP)) {
            if (name.equals(g.str(NAME))) {
                return g.identity;
            }
        }
        return name;
    }

    private List<Map<String, Object>> processGroups() {
        Map<String, Map<String, Object>> groups = new TreeMap<>();
        for (StoredRecord g : ofType(PROCESS_GROUP)) {
            Map<String, Object> m = base(g, "PROCESS_GROUP");
            put(m, "name", g.str(NAME));
            groups.put(g.identity, m);
        }
        for (Map<String, Object> p : processes.values()) {
            Object gid = p.get("groupIdentity");
            if (gid == null) {
                continue;
            }
            Map<String, Object> g = groups.computeIfAbsent((String) gid, id -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("recType", "PROCESS_GROUP");
                m.put("identity", id);
                m.put("startTime", p.get("startTime"));
                m.put("endTime", 0L);
                m.put("name", p.get("groupName"));
                return m;
            });
            g.putIfAbsent("processGroupRole", p.getOrDefault("processRole", "internal"));
            g.merge("processCount", ((Long) p.get("endTime")) == 0 ? 1 : 0, (a, b) -> (Integer) a + (Integer) b);
            if ((Long) g.get("startTime") > (Long) p.get("startTime")) {
                g.put("startTime", p.get("startTime"));
            }
        }
        groups.values().forEach(g -> g.putIfAbsent("processCount", 0));
        return new ArrayList<>(groups.values());
    }

    // ---- flows and pairs ------------------------------------------------------------------------

    private Map<String, Object> flow(StoredRecord r) {
        Map<String, Object> m = base(r, "FLOW");
        put(m, "sourceHost", r.str(SOURCE_HOST));
        put(m, "sourcePort", r.str(SOURCE_PORT));
        put(m, "counterFlow", counterFlowOf(r));
        put(m, "trace", r.str(TRACE));
        put(m, "latency", r.numOrNull(LATENCY));
        put(m, "octets", r.numOrNull(OCTETS));
        put(m, "octetsOut", r.numOrNull(OCTETS_OUT));
        put(m, "octetsUnacked", r.numOrNull(OCTETS_UNACKED));
        put(m, "windowClosures", r.numOrNull(WINDOW_CLOSURES));
        put(m, "windowSize", r.numOrNull(WINDOW_SIZE));
        put(m, "reason", r.str(REASON));
        put(m, "method", r.str(METHOD));
        put(m, "result", r.str(RESULT));
        put(m, "streamIdentity", r.numOrNull(STREAM_ID));
        String process = flowProcess.get(r.identity);
        put(m, "process", process);
        put(m, "processName", process == null ? null : (String) processes.get(process).get("name"));
        StoredRecord e = endpoint(r);
        put(m, "protocol", e == null ? null : e.str(PROTOCOL));
        put(m, "place", e == null ? null : e.type == LISTENER ? 1 : 2);
        return m;
    }

    /** Counterflow is mutual: the connector side names the listener side, which learns its partner here. */
    private String counterFlowOf(StoredRecord r) {
        if (r.str(COUNTERFLOW) != null) {
            return r.str(COUNTERFLOW);
        }
        return reverse().get(r.identity);
    }

    private Map<String, String> reverseCounterflow;

    private Map<String, String> reverse() {
        if (reverseCounterflow == null) {
            reverseCounterflow = new HashMap<>();
            for (StoredRecord f : ofType(FLOW)) {
                if (f.str(COUNTERFLOW) != null) {
                    reverseCounterflow.put(f.str(COUNTERFLOW), f.identity);
                }
            }
        }
        return reverseCounterflow;
    }

    private List<Map<String, Object>> flowPairs() {
        for (StoredRecord server : ofType(FLOW)) {
            StoredRecord client = get(server.str(COUNTERFLOW), FLOW);
            StoredRecord listener = client == null ? null : endpoint(client);
            StoredRecord connector = endpoint(server);
            if (listener == null || listener.type != LISTENER || connector == null || connector.type != CONNECTOR) {
                continue;
            }
            pair(client, server, listener, connector, renderedFlows.get(client.identity), renderedFlows.get(server.identity),
                    server.str(TRACE), false);
        }
        for (StoredRecord bi : ofType(BIFLOW_TPORT)) {
            StoredRecord listener = get(bi.parent(), LISTENER);
            StoredRecord connector = get(bi.str(CONNECTOR_REF), CONNECTOR);
            if (listener == null || connector == null) {
                continue;
            }
            pair(bi, bi, listener, connector, biflowSide(bi, listener, true), biflowSide(bi, connector, false),
                    bi.str(TRACE), true);
        }
        pairs.sort(Comparator.comparing(Pair::identity));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Pair p : pairs) {
            out.add(p.json());
        }
        return out;
    }

    /** A router 3.x BIFLOW_TPORT rendered as the two 1.x flows of a pair. */
    private Map<String, Object> biflowSide(StoredRecord bi, StoredRecord endpoint, boolean client) {
        Map<String, Object> m = base(bi, "FLOW");
        m.put("identity", client ? bi.identity : bi.identity + "/server");
        m.put("parent", endpoint.identity);
        if (client) {
            put(m, "sourceHost", bi.str(SOURCE_HOST));
            put(m, "sourcePort", bi.str(SOURCE_PORT));
        }
        m.put("counterFlow", client ? bi.identity + "/server" : bi.identity);
        put(m, "trace", client ? null : bi.str(TRACE));
        put(m, "latency", bi.numOrNull(client ? LATENCY : PROCESS_LATENCY));
        put(m, "octets", bi.numOrNull(client ? OCTETS : OCTETS_REVERSE));
        String process = flowProcess.get(client ? bi.identity : bi.identity + "/server");
        put(m, "process", process);
        put(m, "processName", process == null ? null : (String) processes.get(process).get("name"));
        put(m, "protocol", endpoint.str(PROTOCOL));
        m.put("place", client ? 1 : 2);
        return m;
    }

    private void pair(StoredRecord client, StoredRecord server, StoredRecord listener, StoredRecord connector,
                      Map<String, Object> forward, Map<String, Object> counter, String trace, boolean biflow) {
        String address = listener.str(VAN_ADDRESS);
        String protocol = listener.str(PROTOCOL);
        String clientProcess = (String) forward.get("process");
        String serverProcess = (String) counter.get("process");
        // 1.x builds the pair only once both processes, the address and the protocol are resolved.
        if (address == null || protocol == null || clientProcess == null || serverProcess == null) {
            return;
        }
        String srcSite = siteOf(listener);
        String dstSite = siteOf(connector);
        Map<String, Object> src = processes.get(clientProcess);
        Map<String, Object> dst = processes.get(serverProcess);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recType", "FLOWPAIR");
        String id = "fp-" + client.identity;
        m.put("identity", id);
        m.put("startTime", client.startTime());
        m.put("endTime", client.endTime());
        if (client.ended()) {
            m.put("duration", client.endTime() - client.startTime());
        }
        m.put("protocol", protocol);
        put(m, "sourceSiteId", srcSite);
        put(m, "sourceSiteName", siteName(srcSite));
        put(m, "destinationSiteId", dstSite);
        put(m, "destinationSiteName", siteName(dstSite));
        m.put("flowTrace", trace(trace, connector));
        m.put("forwardFlow", forward);
        m.put("counterFlow", counter);
        m.put("siteAggregateId", srcSite + "-to-" + dstSite);
        m.put("processAggregateId", clientProcess + "-to-" + serverProcess);
        m.put("processGroupAggregateId", src.get("groupIdentity") + "-to-" + dst.get("groupIdentity"));
        pairs.add(new Pair(id, m, client, server, address, protocol, srcSite, dstSite, clientProcess, serverProcess,
                connector, biflow));
    }

    /** Each router of the trace that is known becomes {@code <name without area>@<site name>}; the connector's router closes it. */
    private String trace(String trace, StoredRecord connector) {
        List<String> parts = new ArrayList<>();
        if (trace != null && !trace.isEmpty() && !"Local".equals(trace)) {
            for (String hop : trace.split("\\|")) {
                StoredRecord router = routerByName.get(hop);
                parts.add(router == null ? hop : stripArea(hop) + "@" + siteName(router.parent()));
            }
        }
        StoredRecord router = get(connector.parent(), ROUTER);
        if (router != null && router.str(NAME) != null) {
            parts.add(stripArea(router.str(NAME)) + "@" + siteName(router.parent()));
        }
        return String.join("|", parts);
    }

    private List<Map<String, Object>> aggregates(String pairType) {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        for (Pair p : pairs) {
            Map<String, Object> src = processes.get(p.sourceProcess());
            Map<String, Object> dst = processes.get(p.destProcess());
            String srcId;
            String srcName;
            String dstId;
            String dstName;
            switch (pairType) {
                case "SITE" -> {
                    srcId = p.sourceSite();
                    srcName = siteName(srcId);
                    dstId = p.destSite();
                    dstName = siteName(dstId);
                }
                case "PROCESS" -> {
                    srcId = p.sourceProcess();
                    srcName = (String) src.get("name");
                    dstId = p.destProcess();
                    dstName = (String) dst.get("name");
                }
                default -> {
                    srcId = (String) src.get("groupIdentity");
                    srcName = (String) src.get("groupName");
                    dstId = (String) dst.get("groupIdentity");
                    dstName = (String) dst.get("groupName");
                }
            }
            String id = srcId + "-to-" + dstId;
            Map<String, Object> m = out.computeIfAbsent(id, k -> {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("recType", "FLOWAGGREGATE");
                a.put("identity", k);
                a.put("startTime", Long.MAX_VALUE);
                a.put("endTime", 0L);
                a.put("pairType", pairType);
                put(a, "sourceId", srcId);
                put(a, "sourceName", srcName);
                put(a, "destinationId", dstId);
                put(a, "destinationName", dstName);
                put(a, "sourceSiteId", p.sourceSite());
                put(a, "sourceSiteName", siteName(p.sourceSite()));
                put(a, "destinationSiteId", p.destSite());
                put(a, "destinationSiteName", siteName(p.destSite()));
                a.put("protocol", p.protocol());
                a.put("recordCount", 0L);
                a.put("live", 0L);
                return a;
            });
            long start = (Long) p.json().get("startTime");
            long end = (Long) p.json().get("endTime");
            m.put("startTime", Math.min((Long) m.get("startTime"), start));
            m.put("recordCount", (Long) m.get("recordCount") + 1);
            m.put("live", (Long) m.get("live") + (end == 0 ? 1 : 0));
            m.put("endTime", Math.max((Long) m.get("endTime"), end));
        }
        // Ended with their last member.
        for (Map<String, Object> m : out.values()) {
            if ((Long) m.remove("live") > 0) {
                m.put("endTime", 0L);
            }
        }
        return new ArrayList<>(out.values());
    }

    static <T> List<T> copy(Collection<T> c) {
        return new ArrayList<>(c);
    }
}
