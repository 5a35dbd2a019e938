package io.caravan.skydive.store;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * Hands each exchange's {@code FlowBatch} to its endpoint's store. Stopping it (the route stops)
 * writes what the store still holds, so a route stop loses nothing.
 */
final class StoreProducer extends DefaultProducer {
    private final StoreEndpoint endpoint;

    StoreProducer(StoreEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        endpoint.accept(exchange.getIn().getMandatoryBody(io.caravan.api.flow.FlowBatch.class));
    }

    @Override
    protected void doStop() throws Exception {
        endpoint.flushForStop();
        super.doStop();
    }
}
