package io.caravan.pipeline.bus;

import io.caravan.api.log.LogLimit;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
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
 * route over everything still queued, for at most the context's shutdown timeout; only what is
 * left after that is discarded, counted as overflow and logged.
 */
final class BusConsumer extends DefaultConsumer {
    private final BusEndpoint endpoint;
    private final Topic topic;
    private final SubscriberStats stats;
    private final Logger log;
    private final LogLimit errorLog = new LogLimit(LogLimit.DEFAULT_INTERVAL_MS);
    private Subscription subscription;
    private ExecutorService executor;
    private Future<?> drain;

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
        Subscription s = new Subscription(endpoint.getConfiguration(), stats);
        topic.subscribe(s);
        subscription = s;
        stats.attach(s);
        BusConfiguration c = endpoint.getConfiguration();
        executor = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "bus-" + c.topic() + "-" + c.subscriber());
        drain = executor.submit(() -> run(s));
    }

    private void run(Subscription s) {
        try {
            for (Subscription.Entry e = s.take(); e != null; e = s.take()) {
                deliver(e);
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(Subscription.Entry e) {
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
                stats.failed();
                if (errorLog.allow()) {
                    Exception x = exchange.getException();
                    log.warn("{} subscriber '{}': a batch of {} records failed in route {} ({}); counted in"
                                    + " caravan.bus.errors, logged at most every {}s", endpoint.getEndpointUri(),
                            endpoint.getConfiguration().subscriber(), n, getRouteId(),
                            x == null ? "failed" : x.toString(), errorLog.intervalSeconds());
                }
            } else {
                stats.delivered(n, bytesOut(exchange));
            }
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

    @Override
    protected void doStop() throws Exception {
        Subscription s = subscription;
        subscription = null;
        if (s != null) {
            topic.unsubscribe(s);
            s.close();
            ShutdownStrategy shutdown = getEndpoint().getCamelContext().getShutdownStrategy();
            try {
                drain.get(shutdown.getTimeout(), shutdown.getTimeUnit());
            } catch (TimeoutException te) {
                drain.cancel(true);
            } catch (ExecutionException ee) {
                log.warn("{} subscriber '{}': the delivery thread failed", endpoint.getEndpointUri(),
                        endpoint.getConfiguration().subscriber(), ee.getCause());
            }
            int left = s.discard();
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
        }
        super.doStop();
    }
}
