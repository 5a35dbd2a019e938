package io.caravan.skydive.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.api.log.LogLimit;
import io.caravan.api.metrics.Counter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * The topology lookups of the secadvisor and vpclogs transforms, each answer cached (an empty
 * answer and a failed query too, so a slow or dead analyzer costs one timeout per key and TTL,
 * not one per flow):
 * <ul>
 *   <li>{@link #nodeType}: the {@code Type} of the node with a TID, 5 min per TID;</li>
 *   <li>{@link #peer}: what an address is as seen from a TID, resolvers tried runc, docker, VM, 5 min per {@code ip,tid};</li>
 *   <li>{@link #interfaceAddresses}: the {@code IPV4} addresses of the node with a TID, 10 min;</li>
 *   <li>{@link #firstString}: the first string a query returns ({@code Extend}), 10 min per query text.</li>
 * </ul>
 * A failure answers "" or empty and counts once in {@code errors}. Not thread-safe: the stage that
 * owns it calls it under its lock.
 */
public final class TopologyResolver {
    static final long PEER_TTL_MS = 5 * 60_000L;
    static final long TYPE_TTL_MS = 5 * 60_000L;
    static final long ADDRESSES_TTL_MS = 10 * 60_000L;
    static final long EXTEND_TTL_MS = 10 * 60_000L;

    private final Topology topology;
    private final Counter errors;
    private final Logger log;
    private final LogLimit logLimit = new LogLimit(LogLimit.DEFAULT_INTERVAL_MS);
    private final ExpiringCache<String, String> types;
    private final ExpiringCache<String, Optional<PeerContext>> peers;
    private final ExpiringCache<String, List<String>> addresses;
    private final ExpiringCache<String, String> extend;
    private volatile long errorCount;
    private volatile String lastError = "";
    private volatile boolean lastQueryFailed;

    /**
     * @param maxEntries bound of each of the four caches
     * @param errors     counts failed queries
     */
    public TopologyResolver(Topology topology, Clock clock, int maxEntries, Counter errors, Logger log) {
        this.topology = topology;
        this.errors = errors;
        this.log = log;
        this.types = new ExpiringCache<>(clock, maxEntries, 60_000);
        this.peers = new ExpiringCache<>(clock, maxEntries, 60_000);
        this.addresses = new ExpiringCache<>(clock, maxEntries, 60_000);
        this.extend = new ExpiringCache<>(clock, maxEntries, 60_000);
    }

    /** The node type of the capture interface, or "" when unknown. */
    public String nodeType(String tid) {
        if (tid == null || tid.isEmpty()) {
            return "";
        }
        String cached = types.get(tid);
        if (cached != null) {
            return cached;
        }
        String type = Gremlin.text(Gremlin.firstNode(query(Gremlin.byTid(tid))), "Type");
        types.put(tid, type, TYPE_TTL_MS);
        return type;
    }

    /** What {@code ip} is, as seen from the interface {@code tid}; empty when no resolver knows. */
    public Optional<PeerContext> peer(String ip, String tid) {
        if (ip == null || ip.isEmpty()) {
            return Optional.empty();
        }
        String key = ip + "," + tid;
        Optional<PeerContext> cached = peers.get(key);
        if (cached != null) {
            return cached;
        }
        Optional<PeerContext> found = runc(ip, tid);
        if (found.isEmpty()) {
            found = docker(ip, tid);
        }
        if (found.isEmpty()) {
            found = vm(ip);
        }
        peers.put(key, found, PEER_TTL_MS);
        return found;
    }

    /** The IPv4 addresses (without prefix length) of the node with this TID; empty when unknown. */
    public List<String> interfaceAddresses(String tid) {
        if (tid == null || tid.isEmpty()) {
            return List.of();
        }
        List<String> cached = addresses.get(tid);
        if (cached != null) {
            return cached;
        }
        List<String> out = new ArrayList<>();
        JsonNode ips = Gremlin.field(Gremlin.firstNode(query(Gremlin.byTid(tid))), "IPV4");
        if (ips.isArray()) {
            ips.forEach(ip -> out.add(stripPrefix(ip.asText())));
        } else if (ips.isTextual()) {
            out.add(stripPrefix(ips.asText()));
        }
        List<String> result = List.copyOf(out);
        addresses.put(tid, result, ADDRESSES_TTL_MS);
        return result;
    }

    /** The first string value the query returns, or "" (none, or the query failed). */
    public String firstString(String gremlin) {
        String cached = extend.get(gremlin);
        if (cached != null) {
            return cached;
        }
        String value = "";
        JsonNode reply = query(gremlin);
        if (reply != null) {
            for (JsonNode v : reply) {
                if (v.isTextual()) {
                    value = v.asText();
                    break;
                }
            }
        }
        extend.put(gremlin, value, EXTEND_TTL_MS);
        return value;
    }

    /** Queries that failed since the start. */
    public long errorCount() {
        return errorCount;
    }

    /**
     * Why lookups answer "unknown", when the latest query failed; empty otherwise. Reads volatile
     * fields only, so the health check never waits for the data path.
     */
    public Optional<String> degraded() {
        return lastQueryFailed
                ? Optional.of("analyzer topology queries failing (" + errorCount + " so far; lookups answer empty): "
                        + lastError)
                : Optional.empty();
    }

    /** For the admin API: cache sizes, evictions, errors, the last error in words. */
    public Map<String, Object> status() {
        return Map.of(
                "cachedTypes", types.size(), "cachedPeers", peers.size(),
                "cachedAddresses", addresses.size(), "cachedExtend", extend.size(),
                "cacheEvictions", types.evictions() + peers.evictions() + addresses.evictions() + extend.evictions(),
                "errors", errorCount, "lastError", lastError);
    }

    public void clear() {
        types.clear();
        peers.clear();
        addresses.clear();
        extend.clear();
    }

    private Optional<PeerContext> runc(String ip, String tid) {
        JsonNode node = Gremlin.firstNode(query("G.V().Has('Runc.Hosts.IP'," + Gremlin.quote(ip)
                + ").ShortestPathTo(Metadata('TID'," + Gremlin.quote(tid) + "))"));
        if (node == null) {
            return Optional.empty();
        }
        String name = Gremlin.text(node, "Runc.Hosts.Hostname");
        Optional<PeerContext> pod = pod("containerd://" + Gremlin.text(node, "Runc.ContainerID"));
        return Optional.of(pod.orElse(new PeerContext(PeerContext.CONTAINER, name, "")));
    }

    private Optional<PeerContext> docker(String ip, String tid) {
        JsonNode node = Gremlin.firstNode(query("G.V().Has('IPV4',Regex(" + Gremlin.quote(ip + "/.*")
                + ")).ShortestPathTo(Metadata('TID'," + Gremlin.quote(tid)
                + ")).Dedup().In('Type','netns').Out('Type','container')"));
        if (node == null) {
            return Optional.empty();
        }
        String name = Gremlin.text(node, "Name");
        Optional<PeerContext> pod = pod("docker://" + Gremlin.text(node, "Docker.ContainerID"));
        return Optional.of(pod.orElse(new PeerContext(PeerContext.CONTAINER, name, "")));
    }

    private Optional<PeerContext> vm(String ip) {
        JsonNode node = Gremlin.firstNode(query("G.V().Has('RoutingTables.Src'," + Gremlin.quote(ip)
                + ").In().Has('Type','host')"));
        if (node == null) {
            return Optional.empty();
        }
        return Optional.of(new PeerContext(PeerContext.HOST, Gremlin.text(node, "Name"), ""));
    }

    private Optional<PeerContext> pod(String containerId) {
        JsonNode node = Gremlin.firstNode(query("G.V().Has('K8s.Extra.Status.ContainerStatuses.ContainerID',"
                + Gremlin.quote(containerId) + ")"));
        String namespace = Gremlin.text(node, "K8s.Namespace");
        String name = Gremlin.text(node, "K8s.Name");
        if (node == null || namespace.isEmpty() || name.isEmpty()) {
            return Optional.empty();
        }
        String set = "";
        JsonNode owner = Gremlin.field(node, "K8s.Extra.ObjectMeta.OwnerReferences").path(0);
        if (owner.path("Kind").isTextual() && owner.path("Name").isTextual()) {
            set = owner.path("Kind").asText() + ":" + namespace + "/" + owner.path("Name").asText();
        }
        return Optional.of(new PeerContext(PeerContext.POD, namespace + "/" + name, set));
    }

    /** The reply, or null when the query failed (counted, logged now and then). */
    private JsonNode query(String gremlin) {
        try {
            JsonNode reply = topology.query(gremlin);
            lastQueryFailed = false;
            return reply;
        } catch (TopologyException e) {
            lastQueryFailed = true;
            errorCount++;
            errors.increment();
            lastError = e.getMessage();
            if (logLimit.allow()) {
                log.warn("topology query failed ({} so far; answered as unknown and cached): {}", errorCount,
                        e.getMessage());
            }
            return null;
        }
    }

    private static String stripPrefix(String address) {
        int slash = address.indexOf('/');
        return slash < 0 ? address : address.substring(0, slash);
    }
}
