package io.caravan.udp.relay;

import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.DatagramBatch;
import java.io.IOException;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.DefaultProducer;

/**
 * Sends the body's datagrams (a DatagramBatch, or what the runtime converts to one) to every
 * target. A failed send is counted per target and never fails the exchange: one unreachable
 * collector must not stop the others or the rest of the route.
 */
final class RelayProducer extends DefaultProducer {
    private final RelayEndpoint endpoint;

    RelayProducer(RelayEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public void process(Exchange exchange) throws InvalidPayloadException {
        DatagramBatch batch = exchange.getMessage().getMandatoryBody(DatagramBatch.class);
        Sender sender = endpoint.sender();
        for (Datagram d : batch.datagrams()) {
            for (RelayEndpoint.Target t : endpoint.targets()) {
                try {
                    sender.send(d, t.address());
                    t.datagrams().increment();
                    t.bytes().increment(d.payload().length);
                } catch (IOException e) {
                    endpoint.sendFailed(t, e);
                }
            }
        }
    }
}
