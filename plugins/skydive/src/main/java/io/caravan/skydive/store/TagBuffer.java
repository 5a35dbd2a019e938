package io.caravan.skydive.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One tag's state in a buffered store: the flows waiting (oldest first), the ones being written,
 * the stream and sequence the next object is named by, when the tag last flushed, and the retry
 * schedule after a failed write. Guarded by the store's lock; not thread-safe itself.
 */
final class TagBuffer {
    final String tag;
    final ArrayDeque<ObjectNode> pending = new ArrayDeque<>();
    /** Taken from the front of {@link #pending} for the write in progress; put back if it fails. */
    final List<ObjectNode> inFlight = new ArrayList<>();
    Instant lastFlush;
    Instant streamOpened;
    long seq;
    /** Flows dropped since the last object written (for vpclogs' state). */
    long droppedSinceObject;
    /** When the next write may be tried after a failure; null when not failing. */
    Instant retryAt;
    Duration backoff;
    long consecutiveFailures;
    String lastError;

    TagBuffer(String tag, Instant created, Duration initialBackoff) {
        this.tag = tag;
        this.lastFlush = created;
        this.backoff = initialBackoff;
    }

    int size() {
        return pending.size() + inFlight.size();
    }

    /** Moves up to {@code n} of the oldest waiting flows to {@link #inFlight}; returns them. */
    List<ObjectNode> take(int n) {
        for (int i = 0; i < n && !pending.isEmpty(); i++) {
            inFlight.add(pending.pollFirst());
        }
        return List.copyOf(inFlight);
    }

    /** Puts a failed write's flows back in front, in their order. */
    void putBack() {
        for (int i = inFlight.size() - 1; i >= 0; i--) {
            pending.addFirst(inFlight.get(i));
        }
        inFlight.clear();
    }

    /** Drops the oldest waiting flows until at most {@code max} are held; returns how many. */
    int trim(int max) {
        int dropped = 0;
        while (size() > max && !pending.isEmpty()) {
            pending.pollFirst();
            dropped++;
        }
        droppedSinceObject += dropped;
        return dropped;
    }
}
