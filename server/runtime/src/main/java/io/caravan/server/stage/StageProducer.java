package io.caravan.server.stage;

import io.caravan.api.flow.DatagramBatch;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.stage.Stage;
import io.caravan.server.plugin.LoaderSwap;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.support.ExchangeHelper;

/**
 * Runs a stage on an exchange's body: asks Camel for the body as the stage's input type (a
 * decoder's {@link DatagramBatch} from a datagram, a list of them or a netty payload: see
 * {@link DatagramConverters}), applies the stage under the plugin's class loader, sets the result,
 * and counts for the exchange's route what went in and out: datagrams for a {@code DatagramBatch},
 * records for a {@code FlowBatch}, 1 for any other body. A null or empty result ends routing of
 * that exchange and counts its input as dropped; a {@code FlowBatch} stage that returns fewer
 * records than it took counts the difference as dropped.
 */
final class StageProducer extends DefaultProducer {
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
        Object body = exchange.getIn().getBody(inputType);
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

    /** Datagrams in a datagram batch, records in a flow batch; any other body is one message. */
    private static long count(Object body) {
        if (body instanceof DatagramBatch d) {
            return d.size();
        }
        return body instanceof FlowBatch b ? b.size() : 1;
    }
}
