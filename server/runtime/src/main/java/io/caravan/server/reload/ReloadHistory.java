package io.caravan.server.reload;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The last reload outcomes, logged as they happen and counted as {@code caravan_reloads_total{kind,outcome}}. */
public final class ReloadHistory {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadHistory.class);

    private final int capacity;
    private final MeterRegistry meters;
    private final Deque<ReloadEvent> events = new ArrayDeque<>();

    public ReloadHistory(int capacity, MeterRegistry meters) {
        this.capacity = capacity;
        this.meters = meters;
    }

    public synchronized void record(ReloadEvent e) {
        if (ReloadEvent.OK.equals(e.outcome())) {
            LOG.info("Reload {} {} {}: ok, routes now {}", e.kind(), e.target(), e.action(), e.routes());
        } else {
            LOG.error("Reload {} {} {}: {}{}: {}", e.kind(), e.target(), e.action(), e.outcome(),
                    e.routes().isEmpty() ? "" : " (still running " + e.routes() + ")", e.error());
        }
        Counter.builder("caravan.reloads").description("Reload outcomes of route files and plugin jars")
                .tag("kind", e.kind()).tag("outcome", e.outcome()).register(meters).increment();
        events.addLast(e);
        while (events.size() > capacity) {
            events.removeFirst();
        }
    }

    /** Newest last. */
    public synchronized List<ReloadEvent> events() {
        return List.copyOf(events);
    }
}
