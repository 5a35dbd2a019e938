package io.caravan.erspan;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.erspan.socket.GreSender;
import io.caravan.erspan.socket.GreSocket;
import java.io.IOException;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.DefaultProducer;

/**
 * Mirrors each record of the body's FlowBatch that carries a frame as one GRE packet. Records
 * without a usable frame are counted by reason; a busy socket or a failed send is counted and
 * never fails the exchange, so the rest of the route (files, other sinks) goes on. Each packet
 * takes the next sequence number even when it is then dropped, so the analyzer sees the loss.
 */
final class ErspanProducer extends DefaultProducer {
    private final ErspanEndpoint endpoint;

    ErspanProducer(ErspanEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public void process(Exchange exchange) throws InvalidPayloadException {
        FlowBatch batch = exchange.getMessage().getMandatoryBody(FlowBatch.class);
        GreSender socket = endpoint.socket();
        if (socket == null) {
            throw new IllegalStateException(ErspanConfiguration.SCHEME + ":" + endpoint.getConfiguration().name()
                    + " is not started");
        }
        long nowNs = endpoint.nowNs();
        Frames.Skip[] skip = new Frames.Skip[1];
        for (FlowRecord r : batch.records()) {
            Frames.Frame f = Frames.of(r, skip);
            if (f == null) {
                endpoint.skipped.get(skip[0]).increment();
                continue;
            }
            byte[] packet = endpoint.encoder().encode(f, endpoint.nextSequence(), nowNs);
            try {
                if (socket.send(packet) == GreSocket.Result.SENT) {
                    endpoint.packets.increment();
                    endpoint.bytes.increment(packet.length);
                } else {
                    endpoint.busy.increment();
                }
            } catch (IOException e) {
                endpoint.sendFailed(e);
            }
        }
    }
}
