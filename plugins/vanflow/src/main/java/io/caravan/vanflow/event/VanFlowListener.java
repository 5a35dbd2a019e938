package io.caravan.vanflow.event;

import java.util.List;

/**
 * What the AMQP side of the collector tells the collector state. The ingest side calls these
 * methods one at a time (never concurrently) in the order the events arrived; the state may still
 * be read concurrently by the REST API and metrics.
 */
public interface VanFlowListener {

    /** A BEACON from an event source, new or already known (beacons repeat). */
    void beacon(Beacon beacon, long nowMs);

    /** A HEARTBEAT from a known event source. */
    void heartbeat(String sourceId, long nowMs);

    /** The decoded records of one RECORD message from a source, in message order. */
    void records(String sourceId, List<VanRecord> records, long nowMs);

    /** The source has been silent past the purge interval: its records end now. */
    void sourceLost(String sourceId, long nowMs);
}
