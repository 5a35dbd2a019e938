package io.caravan.vanflow.state;

import java.util.Map;

/**
 * A flow pair whose listener-side flow has ended, handed once to {@link CollectorState#onFinishedPair}
 * listeners (the ingest side turns it into a FlowRecord).
 *
 * @param flowPair   the FLOWPAIR as the REST API renders it (forwardFlow and counterFlow nested); read-only
 * @param vanAddress the VAN address the flow went to
 * @param serverHost the connector's destination host (the real server)
 * @param serverPort the connector's destination port
 */
public record FinishedPair(Map<String, Object> flowPair, String vanAddress, String serverHost, String serverPort) {
}
