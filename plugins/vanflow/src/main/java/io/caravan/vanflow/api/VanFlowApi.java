package io.caravan.vanflow.api;

import io.caravan.vanflow.state.CollectorState;
import io.caravan.vanflow.state.Snapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Answers {@code GET /api/v1alpha1/...} from the collector state, independent of HTTP.
 *
 * <p>Two generations share the prefix, told apart by the trailing slash as their clients call them:
 * the prototype's paths have none and answer bare arrays ({@code /topology}, {@code /routers},
 * {@code /flows?vanaddr=}, {@code /record?id=}); the Skupper 1.x collection paths end in {@code /}
 * ({@code /sites/}, {@code /flowpairs/}) and answer the envelope, as do their items and sub-resources.
 */
public final class VanFlowApi {
    private static final Set<String> PROTOTYPE = Set.of("topology", "routers", "links", "listeners", "connectors",
            "processes", "images", "sites", "addresses", "vanaddrs", "flows", "record");
    private static final Map<String, String> PROTOTYPE_TYPES = Map.of("routers", "ROUTER", "links", "LINK",
            "listeners", "LISTENER", "connectors", "CONNECTOR", "processes", "PROCESS", "images", "IMAGE", "sites", "SITE");

    private static final Set<String> SUBRESOURCES = Set.of("sites/processes", "sites/routers", "sites/hosts",
            "sites/links", "routers/links", "routers/listeners", "routers/connectors", "routers/flows", "listeners/flows",
            "connectors/flows", "connectors/process", "addresses/listeners", "addresses/connectors", "addresses/flows",
            "addresses/flowpairs", "addresses/processes", "addresses/processpairs", "processes/flows",
            "processes/addresses", "processes/connector", "processgroups/processes", "flows/process");

    /** An answer: status and a body for JSON. */
    public record Response(int status, Object body) {
    }

    private final CollectorState state;

    public VanFlowApi(CollectorState state) {
        this.state = state;
    }

    /**
     * @param path   the path after {@code /api/v1alpha1} ({@code /sites/}, {@code /topology})
     * @param params the query parameters
     * @param user   the authenticated user, or null when reads are open
     */
    public Response get(String path, Map<String, List<String>> params, String user) {
        Query q = new Query(params);
        boolean collection = path.endsWith("/");
        List<String> seg = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                seg.add(s);
            }
        }
        try {
            if (seg.size() == 1 && !collection && PROTOTYPE.contains(seg.get(0))) {
                return prototype(seg.get(0), q);
            }
            if (!seg.isEmpty() && seg.get(0).equals("user")) {
                Map<String, Object> u = new LinkedHashMap<>();
                u.put("username", user == null ? "" : user);
                u.put("authType", user == null ? "unsecured" : "basic");
                return new Response(200, u);
            }
            if (!seg.isEmpty() && seg.get(0).equals("logout")) {
                return new Response(200, Map.of());
            }
            if (seg.isEmpty() || !Snapshot.KINDS.contains(seg.get(0)) || seg.size() > 3) {
                return notFound(path);
            }
            Snapshot snap = state.snapshot();
            String kind = seg.get(0);
            if (seg.size() == 1) {
                return ok(q.collection(snap.all(kind), snap.nowMicros()));
            }
            Map<String, Object> item = snap.get(kind, seg.get(1));
            if (seg.size() == 2) {
                return ok(Query.item(item));
            }
            if (!SUBRESOURCES.contains(kind + "/" + seg.get(2))) {
                return notFound(path);
            }
            if (item == null) {
                return ok(q.collection(List.of(), snap.nowMicros()));
            }
            return sub(snap, kind, item, seg.get(2), q, path);
        } catch (Query.BadQuery e) {
            Map<String, Object> env = new LinkedHashMap<>();
            env.put("results", null);
            env.put("status", e.getMessage());
            env.put("count", 0);
            env.put("timeRangeCount", 0);
            env.put("totalCount", 0);
            return new Response(400, env);
        }
    }

    private static Response ok(Object body) {
        return new Response(200, body);
    }

    private static Response notFound(String path) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("results", null);
        env.put("status", "no such resource: /api/v1alpha1" + path);
        env.put("count", 0);
        env.put("timeRangeCount", 0);
        env.put("totalCount", 0);
        return new Response(404, env);
    }

    // ---- 1.x sub-resources ----------------------------------------------------------------------

    private Response sub(Snapshot snap, String kind, Map<String, Object> item, String sub, Query q, String path) {
        String id = (String) item.get("identity");
        List<Map<String, Object>> out = switch (kind + "/" + sub) {
            case "sites/processes", "sites/routers", "sites/hosts" -> where(snap.all(sub), m -> id.equals(m.get("parent")));
            case "sites/links" -> where(snap.all("links"), m -> routerIds(snap, id).contains(m.get("parent")));
            case "routers/links", "routers/listeners", "routers/connectors" ->
                    where(snap.all(sub), m -> id.equals(m.get("parent")));
            case "routers/flows" -> where(snap.all("flows"), m -> endpointIds(snap, r -> id.equals(r.get("parent")))
                    .contains(m.get("parent")));
            case "listeners/flows", "connectors/flows" -> where(snap.all("flows"), m -> id.equals(m.get("parent")));
            case "connectors/process" -> where(snap.all("processes"), m -> m.get("identity").equals(item.get("processId")));
            case "addresses/listeners", "addresses/connectors" -> where(snap.all(sub), m -> id.equals(m.get("addressId")));
            case "addresses/flows" -> where(snap.all("flows"), m -> endpointIds(snap, r -> id.equals(r.get("addressId")))
                    .contains(m.get("parent")));
            case "addresses/flowpairs" -> where(snap.all("flowpairs"),
                    m -> id.equals(snap.flowPairAddress().get(m.get("identity"))));
            case "addresses/processes" -> {
                Set<Object> bound = new HashSet<>();
                where(snap.all("connectors"), m -> id.equals(m.get("addressId"))).forEach(c -> bound.add(c.get("processId")));
                yield where(snap.all("processes"), m -> bound.contains(m.get("identity")));
            }
            case "addresses/processpairs" -> {
                Set<Object> agg = new HashSet<>();
                where(snap.all("flowpairs"), m -> id.equals(snap.flowPairAddress().get(m.get("identity"))))
                        .forEach(p -> agg.add(p.get("processAggregateId")));
                yield where(snap.all("processpairs"), m -> agg.contains(m.get("identity")));
            }
            case "processes/flows" -> where(snap.all("flows"), m -> id.equals(m.get("process")));
            case "processes/addresses" -> {
                Set<String> ids = new HashSet<>();
                if (item.get("addresses") instanceof List<?> l) {
                    for (Object a : l) {
                        String[] parts = String.valueOf(a).split("@");
                        if (parts.length > 1) {
                            ids.add(parts[1]);
                        }
                    }
                }
                yield where(snap.all("addresses"), m -> ids.contains(m.get("identity")));
            }
            case "processes/connector" -> where(snap.all("connectors"), m -> id.equals(m.get("processId")));
            case "processgroups/processes" -> where(snap.all("processes"), m -> id.equals(m.get("groupIdentity")));
            case "flows/process" -> where(snap.all("processes"), m -> m.get("identity").equals(item.get("process")));
            default -> null;
        };
        if (out == null) {
            return notFound(path);
        }
        return ok(q.collection(out, snap.nowMicros()));
    }

    private static List<Map<String, Object>> where(List<Map<String, Object>> items, Predicate<Map<String, Object>> p) {
        return items.stream().filter(p).toList();
    }

    private static Set<Object> routerIds(Snapshot snap, String siteId) {
        Set<Object> ids = new HashSet<>();
        where(snap.all("routers"), m -> siteId.equals(m.get("parent"))).forEach(m -> ids.add(m.get("identity")));
        return ids;
    }

    private static Set<Object> endpointIds(Snapshot snap, Predicate<Map<String, Object>> p) {
        Set<Object> ids = new HashSet<>();
        where(snap.all("listeners"), p).forEach(m -> ids.add(m.get("identity")));
        where(snap.all("connectors"), p).forEach(m -> ids.add(m.get("identity")));
        return ids;
    }

    // ---- the prototype --------------------------------------------------------------------------

    private Response prototype(String what, Query q) {
        Snapshot snap = state.snapshot();
        Map<String, Map<String, Object>> records = state.prototypeRecords();
        boolean deleted = truthy(q.first("includeDeleted"));
        List<Map<String, Object>> all = new ArrayList<>(records.values());
        all.sort(Comparator.comparing(m -> (String) m.get("identity")));
        List<Map<String, Object>> visible = deleted ? all : where(all, m -> Query.asLong(m.get("endTime")) == 0);
        switch (what) {
            case "topology" -> {
                List<Map<String, Object>> out = new ArrayList<>(ofType(visible, "ROUTER"));
                out.addAll(where(ofType(visible, "LINK"), m -> "incoming".equals(m.get("direction"))));
                return ok(out);
            }
            case "addresses", "vanaddrs" -> {
                return ok(vanAddresses(snap, records, visible));
            }
            case "flows" -> {
                String vanaddr = q.first("vanaddr");
                if (vanaddr == null || vanaddr.isEmpty()) {
                    return badPrototype("flows needs vanaddr=<address>");
                }
                List<Map<String, Object>> out = new ArrayList<>();
                for (Map<String, Object> a : vanAddresses(snap, records, visible)) {
                    if (vanaddr.equals(a.get("name"))) {
                        out.add(a);
                    }
                }
                for (Map<String, Object> e : visible) {
                    Object type = e.get("recordType");
                    if ((type.equals("LISTENER") || type.equals("CONNECTOR")) && vanaddr.equals(e.get("vanAddress"))) {
                        out.add(e);
                        children(visible, (String) e.get("identity"), out);
                    }
                }
                return ok(out);
            }
            case "record" -> {
                List<String> ids = q.all("id");
                if (ids.isEmpty()) {
                    return badPrototype("record needs id=<identity>");
                }
                List<Map<String, Object>> out = new ArrayList<>();
                for (String id : ids) {
                    Map<String, Object> r = records.get(id);
                    if (r != null) {
                        out.add(r);
                    }
                }
                return ok(out);
            }
            default -> {
                return ok(ofType(visible, PROTOTYPE_TYPES.get(what)));
            }
        }
    }

    private static void children(List<Map<String, Object>> visible, String parent, List<Map<String, Object>> out) {
        for (Map<String, Object> r : visible) {
            if ("FLOW".equals(r.get("recordType")) && parent.equals(r.get("parent"))) {
                out.add(r);
                children(visible, (String) r.get("identity"), out);
            }
        }
    }

    /** The prototype's inferred VAN_ADDRESS records (spec §3.1), counting client-side flows. */
    private static List<Map<String, Object>> vanAddresses(Snapshot snap, Map<String, Map<String, Object>> records,
                                                          List<Map<String, Object>> visible) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> a : snap.all("addresses")) {
            String name = (String) a.get("name");
            Set<Object> listeners = new HashSet<>();
            for (Map<String, Object> r : visible) {
                if ("LISTENER".equals(r.get("recordType")) && name.equals(r.get("vanAddress"))) {
                    listeners.add(r.get("identity"));
                }
            }
            long total = 0;
            long current = 0;
            for (Map<String, Object> r : records.values()) {
                if ("FLOW".equals(r.get("recordType")) && listeners.contains(r.get("parent"))) {
                    total++;
                    current += Query.asLong(r.get("endTime")) == 0 ? 1 : 0;
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("recordType", "VAN_ADDRESS");
            m.put("identity", a.get("identity"));
            m.put("name", name);
            m.put("listenerCount", a.get("listenerCount"));
            m.put("connectorCount", a.get("connectorCount"));
            m.put("totalFlows", total);
            m.put("currentFlows", current);
            out.add(m);
        }
        return out;
    }

    private static List<Map<String, Object>> ofType(List<Map<String, Object>> records, String type) {
        return where(records, m -> Objects.equals(type, m.get("recordType")));
    }

    private static Response badPrototype(String reason) {
        return new Response(400, Map.of("error", "Bad request - " + reason));
    }

    private static boolean truthy(String v) {
        return "1".equals(v) || "true".equalsIgnoreCase(v);
    }
}
