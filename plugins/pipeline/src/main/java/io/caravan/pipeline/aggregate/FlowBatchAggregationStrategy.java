package io.caravan.pipeline.aggregate;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.Origin;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Concatenates {@link FlowBatch} bodies: the first exchange of a group is kept as is; each later
 * one's records are appended to its batch in place. Origins are compared by source only (exporter
 * and observation domain): while they agree, the result keeps that source with the earliest
 * {@code receivedMs} of the group; once they differ it takes {@link Origin#UNKNOWN}. A changed
 * origin means a new batch over the same record list.
 *
 * <p>Camel's {@code completionSize} counts exchanges (batches), not records. A later exchange whose
 * body is null adds nothing. Stateless, so one instance serves every route; Camel calls it under
 * the aggregator's lock for the group.
 */
public final class FlowBatchAggregationStrategy implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        if (oldExchange == null) {
            return newExchange;
        }
        FlowBatch added = batch(newExchange);
        if (added == null) {
            return oldExchange;
        }
        FlowBatch batch = batch(oldExchange);
        if (batch == null) {
            return newExchange;
        }
        Origin merged = Origin.merge(batch.origin(), added.origin());
        if (!merged.equals(batch.origin())) {
            batch = new FlowBatch(merged, batch.records());
            oldExchange.getIn().setBody(batch);
        }
        batch.records().addAll(added.records());
        return oldExchange;
    }

    private static FlowBatch batch(Exchange exchange) {
        Object body = exchange.getIn().getBody();
        if (body == null || body instanceof FlowBatch) {
            return (FlowBatch) body;
        }
        throw new IllegalArgumentException("flowBatchAggregator aggregates FlowBatch bodies; got "
                + body.getClass().getName() + " in exchange " + exchange.getExchangeId());
    }
}
