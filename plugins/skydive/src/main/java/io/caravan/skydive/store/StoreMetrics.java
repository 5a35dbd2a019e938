package io.caravan.skydive.store;

import io.caravan.api.metrics.Counter;
import io.caravan.api.plugin.PluginContext;
import java.util.function.DoubleSupplier;

/**
 * The meters of one store, all tagged {@code store=<name>}: flows written in objects, write
 * failures and retries, flows dropped (reason {@code full}: the oldest, past maxFlowArraySize;
 * {@code encode}: an object that could not be encoded), records without a record to write, and
 * the flows buffered now. Objects and bytes are counted by the store's account.
 */
final class StoreMetrics {
    final Counter flows;
    final Counter failures;
    final Counter retries;
    final Counter droppedFull;
    final Counter droppedEncode;
    final Counter invalid;
    final Counter objects;
    final Counter bytes;
    private final PluginContext context;
    private final String store;

    StoreMetrics(PluginContext context, String store) {
        this.context = context;
        this.store = store;
        flows = context.counter("caravan.skydive.store.flows", "store", store);
        failures = context.counter("caravan.skydive.store.write.failures", "store", store);
        retries = context.counter("caravan.skydive.store.write.retries", "store", store);
        droppedFull = context.counter("caravan.skydive.store.dropped", "store", store, "reason", "full");
        droppedEncode = context.counter("caravan.skydive.store.dropped", "store", store, "reason", "encode");
        invalid = context.counter("caravan.skydive.store.invalid", "store", store);
        objects = context.counter("caravan.skydive.store.objects", "store", store);
        bytes = context.counter("caravan.skydive.store.bytes", "store", store);
    }

    void gauge(String name, DoubleSupplier value) {
        context.gauge(name, value, "store", store);
    }
}
