package io.caravan.skydive.store;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What the store endpoint drives: {@link BufferedStore} or {@link DirectStore}. */
interface Store {

    /**
     * Takes one batch's records, already split by tag.
     *
     * @return whether a check should run soon (a tag reached maxFlowsPerObject)
     * @throws Exception when a direct store could not write (the exchange fails)
     */
    boolean accept(Map<String, List<com.fasterxml.jackson.databind.node.ObjectNode>> byTag) throws Exception;

    /** Writes what is due; called by the endpoint's timer and after {@link #accept} asked for it. */
    void check();

    /**
     * Writes everything still held, retrying failed writes until {@code timeout}.
     *
     * @return the flows that could not be written (lost), 0 when all were
     */
    long flushAll(Duration timeout) throws InterruptedException;

    /** Flows held now. */
    long buffered();

    /** A snapshot for status: per tag and totals. */
    Map<String, Object> status();
}
