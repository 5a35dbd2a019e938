package io.caravan.vanflow.source;

import io.caravan.vanflow.event.Beacon;
import java.util.ArrayList;
import java.util.List;

/** What the collector knows of one event source (a router or a controller). Ingest thread only. */
final class EventSource {
    final String id;
    Beacon beacon;
    final long discoveredMs;
    long lastHeardMs;
    /** Receivers attached on the current connection. */
    boolean attached;
    /** FLUSH sent on the current connection. */
    boolean flushed;
    /** When the receivers were attached on the current connection (the FLUSH delay counts from here). */
    long attachedMs;

    EventSource(Beacon beacon, long nowMs) {
        this.id = beacon.identity();
        this.beacon = beacon;
        this.discoveredMs = nowMs;
        this.lastHeardMs = nowMs;
    }

    boolean isController() {
        return "CONTROLLER".equalsIgnoreCase(beacon.sourceType());
    }

    /** The addresses its records and heartbeats arrive on. */
    List<String> addresses(boolean logs) {
        String a = beacon.address();
        List<String> out = new ArrayList<>(3);
        out.add(a);
        if (isController()) {
            out.add(a + ".heartbeats");
        } else {
            out.add(a + ".flows");
            if (logs) {
                out.add(a + ".logs");
            }
        }
        return out;
    }
}
