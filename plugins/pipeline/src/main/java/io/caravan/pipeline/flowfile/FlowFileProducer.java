package io.caravan.pipeline.flowfile;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * Hands the exchange's body, as bytes, to its endpoint's writer for the current file. The exchange
 * completes once the body is accepted (it may wait in the writer's buffer); a body the writer does
 * not accept fails the exchange, and the next one tries again.
 */
final class FlowFileProducer extends DefaultProducer {
    private final FlowFileEndpoint endpoint;

    FlowFileProducer(FlowFileEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        endpoint.writer().append(exchange.getIn().getMandatoryBody(byte[].class));
    }
}
