package io.caravan.vanflow.state;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable view of the collector state at one instant, in the shapes of the Skupper 1.x REST API:
 * each collection (keyed by its endpoint name: {@code sites}, {@code flowpairs}, …) is a list of JSON
 * objects (maps of String, Number, Boolean, nested maps and lists), sorted by identity. REST reads share
 * one snapshot; nothing here changes after it is built.
 *
 * @param nowMicros       the collector clock when it was built, µs
 * @param collections     every collection by endpoint name
 * @param flowPairAddress flow pair identity to the identity of its ADDRESS
 */
public record Snapshot(long nowMicros, Map<String, List<Map<String, Object>>> collections,
                       Map<String, String> flowPairAddress, Map<String, Map<String, Map<String, Object>>> index) {

    public Snapshot(long nowMicros, Map<String, List<Map<String, Object>>> collections, Map<String, String> flowPairAddress) {
        this(nowMicros, collections, flowPairAddress, index(collections));
    }

    private static Map<String, Map<String, Map<String, Object>>> index(Map<String, List<Map<String, Object>>> collections) {
        Map<String, Map<String, Map<String, Object>>> index = new java.util.HashMap<>();
        collections.forEach((kind, items) -> {
            Map<String, Map<String, Object>> byId = new java.util.HashMap<>();
            for (Map<String, Object> m : items) {
                byId.put((String) m.get("identity"), m);
            }
            index.put(kind, byId);
        });
        return index;
    }

    /** The collection names the 1.x API serves. */
    public static final Set<String> KINDS = Set.of("sites", "hosts", "routers", "links", "listeners", "connectors",
            "addresses", "processes", "processgroups", "flows", "flowpairs", "sitepairs", "processpairs",
            "processgrouppairs", "eventsources", "collectors");

    public List<Map<String, Object>> all(String kind) {
        return collections.getOrDefault(kind, List.of());
    }

    /** The item of that kind with that identity, or null. */
    public Map<String, Object> get(String kind, String identity) {
        Map<String, Map<String, Object>> byId = index.get(kind);
        return byId == null ? null : byId.get(identity);
    }
}
