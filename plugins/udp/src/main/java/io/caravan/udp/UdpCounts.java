package io.caravan.udp;

import io.caravan.api.metrics.Counter;
import io.caravan.api.metrics.Meters;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one endpoint address ({@code udp://HOST:PORT}) has counted, for as long as its component
 * exists, so the counts carry on across route restarts and re-created endpoints: readable through
 * the endpoint's getters, and exported as the {@code caravan.udp.*} meters (tag {@code endpoint})
 * of the component's {@link Meters}. The meters are created once per address; the runtime removes
 * them when the plugin unloads. Thread-safe.
 */
final class UdpCounts {
    private final LongAdder datagrams = new LongAdder();
    private final LongAdder queueDrops = new LongAdder();
    private final LongAdder processErrors = new LongAdder();
    private final Counter datagramsMeter;
    private final Counter queueDropsMeter;
    private final Counter processErrorsMeter;
    /** The worker queues receiving on this address now (usually none or one). */
    private final Set<WorkerQueue> queues = new CopyOnWriteArraySet<>();

    UdpCounts(Meters meters, String address) {
        datagramsMeter = meters.counter(UdpConstants.METER_DATAGRAMS, UdpConstants.TAG_ENDPOINT, address);
        queueDropsMeter = meters.counter(UdpConstants.METER_QUEUE_DROPS, UdpConstants.TAG_ENDPOINT, address);
        processErrorsMeter = meters.counter(UdpConstants.METER_PROCESS_ERRORS, UdpConstants.TAG_ENDPOINT, address);
        meters.gauge(UdpConstants.METER_QUEUE_DEPTH, this::queueDepth, UdpConstants.TAG_ENDPOINT, address);
    }

    /** Datagrams read from the sockets. */
    void received(int n) {
        datagrams.add(n);
        datagramsMeter.increment(n);
    }

    /** Datagrams dropped at a full worker queue, or left in it by a stop. */
    void dropped(long n) {
        queueDrops.add(n);
        queueDropsMeter.increment(n);
    }

    /** Datagrams whose exchange failed in the route. */
    void failed(int n) {
        processErrors.add(n);
        processErrorsMeter.increment(n);
    }

    long datagrams() {
        return datagrams.sum();
    }

    long queueDrops() {
        return queueDrops.sum();
    }

    long processErrors() {
        return processErrors.sum();
    }

    /** Entries waiting in this address's worker queues now. */
    int queueDepth() {
        int depth = 0;
        for (WorkerQueue q : queues) {
            depth += q.depth();
        }
        return depth;
    }

    void opened(WorkerQueue queue) {
        queues.add(queue);
    }

    void closed(WorkerQueue queue) {
        queues.remove(queue);
    }
}
