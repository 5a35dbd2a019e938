package io.caravan.vanflow.source;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The component as the server runs it: added to a real CamelContext with a recording collector
 * state bound as {@code vanflowState}, in a route that keeps the FlowRecords it emits.
 */
final class CollectorHarness implements AutoCloseable {
    static final long NOW_MS = 1_718_000_000_000L;

    final SettableClock clock = new SettableClock(NOW_MS);
    final RecordingStageContext context = RecordingStageContext.of("vanflow", clock);
    final RecordingListener state = new RecordingListener();
    final List<FlowRecord> flows = new CopyOnWriteArrayList<>();
    final CamelContext camel = new DefaultCamelContext();
    private VanFlowEndpoint endpoint;

    /** Starts {@code vanflow:test?url=URL&OPTIONS}. */
    CollectorHarness start(String url, String options) throws Exception {
        camel.addComponent(VanFlowConstants.SCHEME, new VanFlowComponentProvider().create(context));
        camel.getRegistry().bind("vanflowState", state);
        String uri = "vanflow:test?url=" + url + (options.isEmpty() ? "" : "&" + options);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("vanflow").process(e -> flows.addAll(e.getIn().getBody(FlowBatch.class).records()));
            }
        });
        camel.start();
        endpoint = camel.getEndpoint(uri, VanFlowEndpoint.class);
        return this;
    }

    long count(String meter) {
        return endpoint.count(meter);
    }

    VanFlowEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            camel.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
