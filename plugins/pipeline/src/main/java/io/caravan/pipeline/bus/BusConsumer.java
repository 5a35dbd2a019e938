package io.caravan.pipeline.bus;

import io.caravan.api.log.LogLimit;
import io.caravan.pipeline.json.JsonLines;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.spi.ShutdownStrategy;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;

/**
 * {@code from: bus:<topic>?subscriber=<name>}: subscribes a bounded queue to the topic when the
 * route starts and runs the route on one thread of its own, one batch at a time, in the order
 * accepted. Stopping unsubscribes first (nothing new is accepted), then lets the thread run the
 * route over everything still queued, for at most the context's shutdown timeout. What is left
 * after that (and a batch whose delivery the stop cut off) goes to the spool when the subscriber
 * has one ({@code spoolBytes}), to be delivered after the next start; without one it is discarded,
 * counted as overflow and logged.
 */
final class BusConsumer extends DefaultConsumer {
    /** How long a stop waits for an interrupted delivery to end and put its batch back. */
    private static final long DRAINED_WAIT_MS = 5_000;

    private final BusEndpoint endpoint;
    private final Topic topic;
    private final SubscriberStats stats;
    private final Logger log;
    private final LogLimit errorLog = new LogLimit(LogLimit.DEFAULT_INTERVAL_MS);
    private Subscription subscription;
    private ExecutorService executor;
    private Future<?> drain;
    private CountDownLatch drained;

    BusConsumer(BusEndpoint endpoint, Processor processor, Topic topic, SubscriberStats stats) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.topic = topic;
        this.stats = stats;
        this.log = endpoint.getComponent().context().logger("bus");
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        BusConfiguration c = endpoint.getConfiguration();
        Subscription s = new Subscription(c, stats, spool(c), log);
        try {
            topic.subscribe(s);
        } catch (RuntimeException e) {
            s.release(); // closes the spool, and so unlocks it
            throw e;
        }
        subscription = s;
        stats.attach(s);
        executor = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "bus-" + c.topic() + "-" + c.subscriber());
        CountDownLatch done = new CountDownLatch(1);
        drained = done;
        drain = executor.submit(() -> run(s, done));
    }

    /** The subscriber's spool, with what an earlier run left in it; null without spoolBytes. */
    private Spool spool(BusConfiguration c) throws IOException {
        if (c.spoolBytes() <= 0) {
            return null;
        }
        Path dir = endpoint.getComponent().context().dataDir().resolve("spool").resolve(c.topic())
                .resolve(c.subscriber());
        try {
            Spool spool = new Spool(dir, c.spoolBytes(), new JsonLines(), log);
            if (!spool.isEmpty()) {
                log.info("{} subscriber '{}': {} records spooled in {} by an earlier run are delivered first",
                        endpoint.getEndpointUri(), c.subscriber(), spool.records(), dir);
            }
            return spool;
        } catch (IOException e) {
            throw new IOException(endpoint.getEndpointUri() + " subscriber '" + c.subscriber() + "': cannot open its"
                    + " spool in " + dir + ": " + e, e);
        }
    }

    private void run(Subscription s, CountDownLatch done) {
        try {
            for (Subscription.Entry e = s.take(); e != null; e = s.take()) {
                if (!deliver(s, e)) {
                    // The stop cut this delivery off (a sink away, retrying): kept for the next start.
                    s.putBack(e.batch());
                    return;
                }
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        } finally {
            done.countDown();
        }
    }

    /**
     * Runs the route over one batch: true when it is done with it (delivered, or failed and counted),
     * false when a stop cut the delivery off and the subscription has a spool to keep the batch in.
     */
    private boolean deliver(Subscription s, Subscription.Entry e) {
        int n = e.batch().size();
        Exchange exchange = createExchange(false);
        try {
            exchange.getIn().setBody(e.batch());
            try {
                getProcessor().process(exchange);
            } catch (Exception x) {
                exchange.setException(x);
            }
            Integer redeliveries = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
            stats.retried(redeliveries == null ? 0 : redeliveries);
            if (exchange.isFailed()) {
                if (s.isClosed() && s.spools()) {
                    return false;
                }
                stats.failed();
                if (errorLog.allow()) {
                    Exception x = exchange.getException();
                    log.warn("{} subscriber '{}': a batch of {} records failed in route {} ({}); counted in"
                                    + " caravan.bus.errors, logged at most every {}s", endpoint.getEndpointUri(),
                            endpoint.getConfiguration().subscriber(), n, getRouteId(),
                            x == null ? "failed" : x.toString(), errorLog.intervalSeconds());
                }
                return true;
            }
            stats.delivered(n, bytesOut(exchange));
            return true;
        } finally {
            releaseExchange(exchange, false);
        }
    }

    /** The bytes the route delivered: its final body when that is a byte[], else the header it set, else 0. */
    private static long bytesOut(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof byte[] b) {
            return b.length;
        }
        Long header = exchange.getMessage().getHeader(BusConstants.BYTES_OUT_HEADER, Long.class);
        return header == null ? 0 : header;
    }

    /** Waits up to {@link #DRAINED_WAIT_MS} for the delivery thread to end; whether it was interrupted meanwhile. */
    private boolean awaitDrained() {
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAINED_WAIT_MS);
        while (true) {
            try {
                if (!drained.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    log.warn("{} subscriber '{}': the delivery thread did not end {} ms after an interrupt",
                            endpoint.getEndpointUri(), endpoint.getConfiguration().subscriber(), DRAINED_WAIT_MS);
                }
                return interrupted;
            } catch (InterruptedException ie) {
                interrupted = true;
            }
        }
    }

    @Override
    protected void doStop() throws Exception {
        Subscription s = subscription;
        subscription = null;
        if (s != null) {
            topic.unsubscribe(s);
            s.close();
            ShutdownStrategy shutdown = getEndpoint().getCamelContext().getShutdownStrategy();
            boolean interrupted = false;
            try {
                drain.get(shutdown.getTimeout(), shutdown.getTimeUnit());
            } catch (TimeoutException | InterruptedException e) {
                // Out of time, or Camel's own shutdown timeout interrupted this stop: end the delivery
                // (an interrupted one ends failed and puts its batch back) and keep what is queued.
                interrupted = e instanceof InterruptedException;
                drain.cancel(true);
                interrupted |= awaitDrained();
            } catch (ExecutionException ee) {
                log.warn("{} subscriber '{}': the delivery thread failed", endpoint.getEndpointUri(),
                        endpoint.getConfiguration().subscriber(), ee.getCause());
            }
            int left = s.release();
            long kept = s.spoolRecords();
            if (kept > 0) {
                log.info("{} subscriber '{}': {} records kept in the spool ({}) for the next start",
                        endpoint.getEndpointUri(), endpoint.getConfiguration().subscriber(), kept, s.spoolDirectory());
            }
            if (left > 0) {
                stats.overflowed(left);
                log.warn("{} subscriber '{}': {} queued records were not delivered within the shutdown timeout of"
                                + " {} {}; counted in caravan.bus.overflow", endpoint.getEndpointUri(),
                        endpoint.getConfiguration().subscriber(), left, shutdown.getTimeout(), shutdown.getTimeUnit());
            }
            stats.detach(s);
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(executor);
            executor = null;
            drain = null;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        super.doStop();
    }
}
