package io.caravan.vanflow.state;

import io.caravan.vanflow.event.Beacon;

/** What the collector knows of one event source (router or controller). Guarded by the state's lock. */
final class EventSource {
    final String identity;
    final long firstSeenMs;
    Beacon beacon;
    long lastHeardMs;
    long beacons;
    long heartbeats;
    long messages;
    /** Collector clock (ms) when the source was lost; 0 while live. */
    long lostMs;

    EventSource(String identity, long firstSeenMs) {
        this.identity = identity;
        this.firstSeenMs = firstSeenMs;
        this.lastHeardMs = firstSeenMs;
    }
}
