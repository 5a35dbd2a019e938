package io.caravan.skydive.topology;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The analyzer's topology API as the stages use it: one Gremlin query in, the JSON reply out (an
 * array of nodes {@code {ID,Host,Metadata}} or of values). An interface so that stages can be
 * tested against any HTTP server that answers {@code POST /api/topology}.
 */
@FunctionalInterface
public interface Topology {

    /**
     * Runs one query.
     *
     * @return the reply, an array node (possibly empty)
     * @throws TopologyException when the analyzer cannot be reached, refuses, or answers non-JSON
     */
    JsonNode query(String gremlin) throws TopologyException;
}
