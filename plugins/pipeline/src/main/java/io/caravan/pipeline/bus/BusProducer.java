package io.caravan.pipeline.bus;

import io.caravan.api.flow.FlowBatch;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code to: bus:<topic>}: hands the body, a {@link FlowBatch}, to every subscriber of the topic
 * and leaves the exchange as it was, so the route goes on with the original batch. A null body
 * is nothing to publish; any other body fails the exchange, since subscribers expect flows.
 */
final class BusProducer extends DefaultProducer {
    private final Topic topic;

    BusProducer(BusEndpoint endpoint, Topic topic) {
        super(endpoint);
        this.topic = topic;
    }

    @Override
    public void process(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof FlowBatch batch) {
            topic.publish(batch);
        } else if (body != null) {
            throw new IllegalArgumentException(getEndpoint().getEndpointUri() + " takes a FlowBatch body (after a"
                    + " decoder), not " + body.getClass().getName());
        }
    }
}
