package io.caravan.postgres;

import io.caravan.api.flow.FlowBatch;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/** Hands each FlowBatch body to the endpoint's batch writer; another body type fails the exchange. */
final class PostgresProducer extends DefaultProducer {
    private final PostgresEndpoint endpoint;

    PostgresProducer(PostgresEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public void process(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (!(body instanceof FlowBatch batch)) {
            throw new IllegalArgumentException(PostgresConfiguration.SCHEME + ": expects a FlowBatch body (from a decoder,"
                    + " bus: or decode-json); got " + (body == null ? "null" : body.getClass().getName()));
        }
        endpoint.writer().add(batch);
    }
}
