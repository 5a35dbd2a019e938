package io.caravan.skydive.source;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * The hand-off between the WebSocket reader and the route: decoded batches wait here while one
 * route thread takes them in order, so the reader keeps reading (and so answering the analyzer's
 * pings) while the route is busy with an earlier message. A full queue blocks the reader, which is
 * back-pressure, not loss: the analyzer then sees no pongs and drops the connection after its
 * deadline, and the consumer reconnects. Stopping lets the route finish what is queued, up to a
 * deadline.
 */
final class RouteQueue {
    private final BlockingQueue<FrameHandler.Result> queue;
    private final Consumer<FrameHandler.Result> route;
    private final String address;
    private final Logger log;
    private final Thread worker;
    private volatile boolean closing;

    RouteQueue(int capacity, Consumer<FrameHandler.Result> route, String address, String threadName, Logger log) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.route = route;
        this.address = address;
        this.log = log;
        this.worker = new Thread(this::run, threadName);
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** Queues one batch, waiting while the queue is full. */
    void put(FrameHandler.Result result) throws InterruptedException {
        queue.put(result);
    }

    int depth() {
        return queue.size();
    }

    private void run() {
        while (true) {
            FrameHandler.Result r;
            try {
                r = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (r != null) {
                route.accept(r);
            } else if (closing) {
                return;
            }
        }
    }

    /** Lets the route finish the queued batches until {@code deadlineNanos}; what is left then is logged and dropped. */
    void close(long deadlineNanos) throws InterruptedException {
        closing = true;
        long left = deadlineNanos - System.nanoTime();
        worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        if (worker.isAlive()) {
            worker.interrupt();
            List<FrameHandler.Result> rest = new ArrayList<>();
            queue.drainTo(rest);
            if (!rest.isEmpty()) {
                log.warn("{}: {} message(s) still queued for the route when the stop gave up waiting; dropped", address,
                        rest.size());
            }
        }
    }
}
