package io.caravan.server.stage;

import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.Origin;
import io.caravan.api.log.LogLimit;
import io.caravan.api.stage.Stage;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import io.caravan.server.plugin.LoaderSwap;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.support.ExchangeHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a stage on an exchange's body: converts the body to the stage's input type, applies the
 * stage under the plugin's class loader, sets the result, and counts records in, out and dropped
 * for the exchange's route. A null or empty result ends routing of that exchange.
 *
 * <p>A stage that takes a {@link Datagram} also takes a {@code List<Datagram>} (the {@code udp}
 * component's {@code batchSize}): it runs once per datagram, and the results become one
 * {@link FlowBatch} (or a list, for stages whose results are not batches), so the rest of the
 * route runs once for all of them. A datagram the stage fails on is counted as an error and
 * dropped and logged, and the others go on; only when every one fails does the exchange fail.
 */
final class StageProducer extends DefaultProducer {
    private static final Logger LOG = LoggerFactory.getLogger(StageProducer.class);
    /** camel-netty's header with the sender of a datagram. */
    static final String NETTY_REMOTE_ADDRESS = "CamelNettyRemoteAddress";

    private final StageEndpoint endpoint;
    private final Class<?> inputType;
    private final LogLimit failureLog = new LogLimit(LogLimit.DEFAULT_INTERVAL_MS);

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
        if (inputType == Datagram.class && exchange.getIn().getBody() instanceof List<?> datagrams) {
            applyEach(exchange, stage, datagrams, m);
            return;
        }
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

    /** The batch path: the stage on each datagram, the results joined. */
    private void applyEach(Exchange exchange, Stage<Object, Object> stage, List<?> datagrams, StageMeters.RouteMeters m)
            throws Exception {
        for (int i = 0; i < datagrams.size(); i++) {
            if (!(datagrams.get(i) instanceof Datagram)) {
                Object bad = datagrams.get(i);
                m.errors().increment();
                throw new InvalidPayloadException(exchange, inputType, exchange.getIn(),
                        new IllegalArgumentException("stage:" + endpoint.stageName() + " takes Datagram or a List of"
                                + " them, but element " + i + " of the list is "
                                + (bad == null ? "null" : bad.getClass().getName())));
            }
        }
        Origin origin = null;
        List<FlowRecord> records = null;
        List<Object> others = null;
        Exception firstFailure = null;
        int failed = 0;
        int empty = 0;
        long produced = 0;
        try (LoaderSwap ignored = LoaderSwap.to(endpoint.stage().loader())) {
            for (Object d : datagrams) {
                Object out;
                try {
                    out = stage.apply(d);
                } catch (Exception | LinkageError e) {
                    failed++;
                    if (firstFailure == null) {
                        firstFailure = e instanceof Exception ex ? ex : new IllegalStateException(e);
                    }
                    continue;
                }
                if (out == null || out instanceof FlowBatch b && b.isEmpty()) {
                    // As on the one-datagram path: a datagram that yields nothing (templates only) counts as dropped.
                    empty++;
                } else if (out instanceof FlowBatch b) {
                    produced += b.size();
                    origin = origin == null ? b.origin() : Origin.merge(origin, b.origin());
                    if (records == null) {
                        records = new ArrayList<>(b.size() * datagrams.size());
                    }
                    records.addAll(b.records());
                } else {
                    produced++;
                    if (others == null) {
                        others = new ArrayList<>(datagrams.size());
                    }
                    others.add(out);
                }
            }
        }
        long in = datagrams.size();
        m.in().increment(in);
        m.out().increment(produced);
        m.dropped().increment(failed + empty);
        if (failed > 0) {
            m.errors().increment(failed);
            if (failed == in) {
                throw firstFailure;
            }
            logFailures(failed, in, firstFailure);
        }
        if (records == null && others == null) {
            exchange.setRouteStop(true);
            return;
        }
        if (others == null) {
            exchange.getIn().setBody(new FlowBatch(origin, records));
            return;
        }
        if (records != null) {
            // A stage whose results are sometimes batches and sometimes not: keep them all, in a list.
            others.add(0, new FlowBatch(origin, records));
        }
        exchange.getIn().setBody(others);
    }

    private void logFailures(int failed, long in, Exception first) {
        if (failureLog.allow()) {
            LOG.warn("stage:{} failed on {} of {} datagrams in one batch; they are counted as errors and dropped, the"
                    + " others go on (logged at most every {} s): {}", endpoint.stageName(), failed, in,
                    failureLog.intervalSeconds(), first.toString());
        }
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
