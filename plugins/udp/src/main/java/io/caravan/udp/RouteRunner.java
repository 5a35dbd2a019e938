package io.caravan.udp;

import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.DatagramBatch;
import io.caravan.api.log.LogLimit;
import java.util.List;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.slf4j.Logger;

/**
 * Runs the route on one batch: the exchange's body is a {@link DatagramBatch} of the batch's
 * datagrams (also when {@code batchSize} is 1, then with the sender in the
 * {@link UdpConstants#REMOTE_ADDRESS} header too). An exchange that ends with an exception the
 * route did not handle counts each of its datagrams as failed, with a WARN at most every
 * {@value LogLimit#DEFAULT_INTERVAL_MS} ms; nothing it throws leaves {@link #accept}, so an error
 * never stops a reader or a worker. Thread-safe: readers and workers share one.
 */
final class RouteRunner implements Handoff {
    private final Consumer consumer;
    private final String address;
    private final boolean senderHeader;
    private final UdpCounts counts;
    private final Logger log;
    private final LogLimit errorLog = new LogLimit(LogLimit.DEFAULT_INTERVAL_MS);

    /** @param senderHeader whether to set the sender header (batches of at most one datagram) */
    RouteRunner(Consumer consumer, String address, boolean senderHeader, UdpCounts counts, Logger log) {
        this.consumer = consumer;
        this.address = address;
        this.senderHeader = senderHeader;
        this.counts = counts;
        this.log = log;
    }

    @Override
    public void accept(List<Datagram> batch) {
        Exchange exchange = null;
        Throwable failure;
        Datagram first = batch.get(0);
        try {
            exchange = consumer.createExchange(false);
            exchange.getIn().setBody(new DatagramBatch(batch));
            if (senderHeader) {
                exchange.getIn().setHeader(UdpConstants.REMOTE_ADDRESS, first.sender());
            }
            consumer.getProcessor().process(exchange);
            failure = exchange.getException();
        } catch (Throwable t) {
            failure = t;
        }
        if (failure != null) {
            counts.failed(batch.size());
            if (errorLog.allow()) {
                log.warn("{}: the route failed on {} datagram(s) from {}{}; {} failed so far (logged at most every {} s):"
                        + " {}", address, batch.size(), first.sender(), batch.size() > 1 ? " and others" : "",
                        counts.processErrors(), errorLog.intervalSeconds(), failure.toString());
            }
        }
        if (exchange != null) {
            try {
                consumer.releaseExchange(exchange, false);
            } catch (RuntimeException e) {
                log.debug("{}: releasing an exchange failed: {}", address, e.toString());
            }
        }
    }
}
