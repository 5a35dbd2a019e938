package io.caravan.server.stage;

import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.FlowBatch;
import java.net.InetSocketAddress;
import io.caravan.api.stage.Stage;
import io.caravan.server.plugin.LoaderSwap;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.support.ExchangeHelper;

/**
 * Runs a stage on an exchange's body: converts the body to the stage's input type, applies the
 * stage under the plugin's class loader, sets the result, and counts records in, out and dropped
 * for the exchange's route. A null or empty result ends routing of that exchange.
 */
final class StageProducer extends DefaultProducer {
    /** camel-netty's header with the sender of a datagram. */
    static final String NETTY_REMOTE_ADDRESS = "CamelNettyRemoteAddress";

    private final StageEndpoint endpoint;
    private final Class<?> inputType;

    StageProducer(StageEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.inputType = endpoint.stage().provider().inputType();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Stage<Object, Object> stage = endpoint.instance();
        if (stage == null) {
            throw new IllegalStateException("stage:" + endpoint.stageName() + " is not started");
        }
        // The route this step is in, not the one the exchange started in (they differ behind a direct: call).
        StageMeters.RouteMeters m = endpoint.meters().forRoute(ExchangeHelper.getRouteId(exchange));
        Object body = inputType == Datagram.class ? toDatagram(exchange) : exchange.getIn().getBody(inputType);
        if (body == null) {
            Object actual = exchange.getIn().getBody();
            m.errors().increment();
            throw new InvalidPayloadException(exchange, inputType, exchange.getIn(),
                    new IllegalArgumentException("stage:" + endpoint.stageName() + " takes " + inputType.getSimpleName()
                            + " but the body is " + (actual == null ? "empty" : actual.getClass().getName())));
        }
        long in = count(body);
        Object out;
        try (LoaderSwap ignored = LoaderSwap.to(endpoint.stage().loader())) {
            out = stage.apply(body);
        } catch (Exception | LinkageError e) {
            m.errors().increment();
            throw e instanceof Exception ex ? ex : new IllegalStateException(e);
        }
        long produced = out == null ? 0 : count(out);
        m.in().increment(in);
        m.out().increment(produced);
        if (out == null || (out instanceof FlowBatch b && b.isEmpty())) {
            m.dropped().increment(in);
            exchange.setRouteStop(true);
            return;
        }
        if (body instanceof FlowBatch && out instanceof FlowBatch && produced < in) {
            m.dropped().increment(in - produced);
        }
        exchange.getIn().setBody(out);
    }

    /**
     * A UDP payload as a {@link Datagram}: the bytes (camel-netty with udpByteArrayCodec), the
     * sender from Netty's remote-address header, the time the exchange was created.
     */
    private static Datagram toDatagram(Exchange exchange) {
        Object body = exchange.getIn().getBody();
        if (body instanceof Datagram d) {
            return d;
        }
        byte[] payload = exchange.getIn().getBody(byte[].class);
        if (payload == null) {
            return null;
        }
        Object sender = exchange.getIn().getHeader(NETTY_REMOTE_ADDRESS);
        return new Datagram(payload, sender instanceof InetSocketAddress a ? a : null, exchange.getClock().getCreated());
    }

    /** Records in a batch; any other body is one message. */
    private static long count(Object body) {
        return body instanceof FlowBatch b ? b.size() : 1;
    }
}
