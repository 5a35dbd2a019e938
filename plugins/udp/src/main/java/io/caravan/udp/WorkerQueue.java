package io.caravan.udp;

import io.caravan.api.flow.Datagram;
import io.caravan.api.log.LogLimit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * The bounded, counted hand-off from the readers to the route: one queue of {@code queueSize}
 * batches that {@code workers} threads take from and run the route on. A batch that finds the
 * queue full is dropped and its datagrams counted, with a WARN at most every
 * {@value LogLimit#DEFAULT_INTERVAL_MS} ms; the queue never grows. {@link #drain} lets the workers
 * finish what is queued once the readers have ended, and counts what it could not wait for.
 */
final class WorkerQueue implements Handoff {
    private final String address;
    private final int capacity;
    private final BlockingQueue<List<Datagram>> queue;
    private final RouteRunner route;
    private final UdpCounts counts;
    private final Logger log;
    private final LogLimit dropLog = new LogLimit(LogLimit.DEFAULT_INTERVAL_MS);
    /** Put after the last queued batch, one per worker: this queue's own instance, compared by identity. */
    private final List<Datagram> endOfQueue = new ArrayList<>(0);
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean abandoned;

    /**
     * Starts the workers, named {@code <threadPrefix>-worker-<i>}, and shows the queue's depth in
     * the address's gauge until {@link #drain}.
     */
    WorkerQueue(String address, int capacity, int workers, String threadPrefix, RouteRunner route, UdpCounts counts,
                Logger log) {
        this.address = address;
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.route = route;
        this.counts = counts;
        this.log = log;
        for (int i = 0; i < workers; i++) {
            this.workers.add(Threads.start(threadPrefix + "-worker-" + i, this::work));
        }
        counts.opened(this);
    }

    /** Queues the batch, or drops and counts it when the queue is full. */
    @Override
    public void accept(List<Datagram> batch) {
        if (queue.offer(batch)) {
            return;
        }
        counts.dropped(batch.size());
        if (dropLog.allow()) {
            log.warn("{}: worker queue full ({} entries), {} datagram(s) from {} dropped; {} dropped so far"
                    + " (logged at most every {} s): add workers or raise queueSize", address, capacity,
                    batch.size(), batch.get(0).sender(), counts.queueDrops(), dropLog.intervalSeconds());
        }
    }

    /** Batches waiting now. */
    int depth() {
        return queue.size();
    }

    private void work() {
        while (true) {
            List<Datagram> batch;
            try {
                batch = queue.take();
            } catch (InterruptedException e) {
                if (abandoned) {
                    return;
                }
                // An interrupt left by the route: cleared by the exception, keep working.
                continue;
            }
            if (batch == endOfQueue) {
                return;
            }
            route.accept(batch);
        }
    }

    /**
     * Call once the readers have ended: queues one end marker per worker behind the batches
     * already taken from the sockets, waits for the workers to reach them until {@code deadline}
     * (System.nanoTime), then interrupts any still running and counts what is left as dropped.
     */
    void drain(long deadline) {
        log.debug("{}: letting {} worker(s) finish {} queued batch(es)", address, workers.size(), queue.size());
        try {
            for (int i = 0; i < workers.size(); i++) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !queue.offer(endOfQueue, left, TimeUnit.NANOSECONDS)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean finished = true;
        for (Thread worker : workers) {
            finished &= Threads.join(worker, deadline);
        }
        if (!finished) {
            abandoned = true;
            workers.forEach(Thread::interrupt);
        }
        long left = 0;
        for (List<Datagram> b; (b = queue.poll()) != null; ) {
            if (b != endOfQueue) {
                left += b.size();
            }
        }
        counts.closed(this);
        if (left > 0) {
            counts.dropped(left);
            log.warn("{}: stopped before the workers finished, with {} datagram(s) still queued; counted as dropped",
                    address, left);
        }
    }
}
