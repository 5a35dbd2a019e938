package io.caravan.pipeline.flowfile;

import io.caravan.api.flow.FlowBatch;
import io.caravan.pipeline.encoding.BatchEncoder;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * Hands the exchange's body to its endpoint's writer for the current file: as bytes, or, with the
 * endpoint's {@code format}, as a FlowBatch the writer encodes (an empty one writes nothing). The
 * exchange completes once the body is accepted (it may wait in the writer's buffer); a body the
 * writer does not accept, or a batch it cannot encode, fails the exchange, and the next one tries again.
 */
final class FlowFileProducer extends DefaultProducer {
    private final FlowFileEndpoint endpoint;

    FlowFileProducer(FlowFileEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        BatchEncoder encoder = endpoint.encoder();
        if (encoder == null) {
            endpoint.writer().append(exchange.getIn().getMandatoryBody(byte[].class));
        } else {
            endpoint.writer().append(exchange.getIn().getMandatoryBody(FlowBatch.class), encoder);
        }
    }
}
