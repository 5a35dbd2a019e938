package io.caravan.pipeline.flowfile;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * Appends the exchange's body, as bytes, to its endpoint's current file. A body that cannot be
 * written fails the exchange; the next one tries again.
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
