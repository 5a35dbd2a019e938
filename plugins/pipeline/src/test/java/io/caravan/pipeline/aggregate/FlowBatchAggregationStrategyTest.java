package io.caravan.pipeline.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.Origin;
import java.net.InetSocketAddress;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FlowBatchAggregationStrategyTest {
    private static final Origin EXPORTER_A = new Origin(new InetSocketAddress("192.0.2.1", 2055), 0, 1_000);
    private static final Origin EXPORTER_B = new Origin(new InetSocketAddress("192.0.2.2", 2055), 0, 1_000);

    private final CamelContext camel = new DefaultCamelContext();
    private final AggregationStrategy strategy =
            (AggregationStrategy) new AggregateBeanProvider().beans(io.caravan.testkit.RecordingStageContext.of("pipeline", java.time.Clock.systemUTC())).get("flowBatchAggregator");

    private final FlowRecord r1 = new FlowRecord().srcPort(1);
    private final FlowRecord r2 = new FlowRecord().srcPort(2);
    private final FlowRecord r3 = new FlowRecord().srcPort(3);

    @AfterEach
    void closeCamel() throws Exception {
        camel.close();
    }

    @Test
    void theFirstExchangeOfAGroupIsKeptAsIs() {
        Exchange first = exchange(FlowBatch.of(EXPORTER_A, r1));

        assertThat(strategy.aggregate(null, first)).isSameAs(first);
    }

    @Test
    void laterBatchesFromTheSameOriginAreAppendedInPlace() {
        FlowBatch firstBatch = FlowBatch.of(EXPORTER_A, r1);
        Exchange group = strategy.aggregate(null, exchange(firstBatch));

        group = strategy.aggregate(group, exchange(FlowBatch.of(EXPORTER_A, r2)));
        group = strategy.aggregate(group, exchange(FlowBatch.of(EXPORTER_A, r3)));

        FlowBatch result = group.getIn().getBody(FlowBatch.class);
        assertThat(result).isSameAs(firstBatch);
        assertThat(result.origin()).isEqualTo(EXPORTER_A);
        assertThat(result.records()).containsExactly(r1, r2, r3);
    }

    @Test
    void batchesFromDifferentOriginsGiveAnUnknownOrigin() {
        Exchange group = strategy.aggregate(null, exchange(FlowBatch.of(EXPORTER_A, r1)));

        group = strategy.aggregate(group, exchange(FlowBatch.of(EXPORTER_B, r2)));
        group = strategy.aggregate(group, exchange(FlowBatch.of(EXPORTER_A, r3)));

        FlowBatch result = group.getIn().getBody(FlowBatch.class);
        assertThat(result.origin()).isEqualTo(Origin.UNKNOWN);
        assertThat(result.records()).containsExactly(r1, r2, r3);
    }

    @Test
    void batchesFromOneSourceReceivedAtDifferentTimesKeepTheSourceAndTheEarliestTime() {
        Origin later = new Origin(EXPORTER_A.exporter(), 0, 2_000);
        Origin earlier = new Origin(EXPORTER_A.exporter(), 0, 500);
        Exchange group = strategy.aggregate(null, exchange(FlowBatch.of(EXPORTER_A, r1)));

        group = strategy.aggregate(group, exchange(FlowBatch.of(later, r2)));
        assertThat(group.getIn().getBody(FlowBatch.class).origin()).isEqualTo(EXPORTER_A);
        group = strategy.aggregate(group, exchange(FlowBatch.of(earlier, r3)));

        FlowBatch result = group.getIn().getBody(FlowBatch.class);
        assertThat(result.origin()).isEqualTo(earlier);
        assertThat(result.records()).containsExactly(r1, r2, r3);
    }

    @Test
    void anotherObservationDomainOfTheSameExporterIsAnotherSource() {
        Origin otherDomain = new Origin(EXPORTER_A.exporter(), 7, 1_000);
        Exchange group = strategy.aggregate(null, exchange(FlowBatch.of(EXPORTER_A, r1)));

        group = strategy.aggregate(group, exchange(FlowBatch.of(otherDomain, r2)));

        assertThat(group.getIn().getBody(FlowBatch.class).origin()).isEqualTo(Origin.UNKNOWN);
    }

    @Test
    void anExchangeWithoutABodyAddsNothing() {
        Exchange group = strategy.aggregate(null, exchange(FlowBatch.of(EXPORTER_A, r1)));

        Exchange result = strategy.aggregate(group, exchange(null));

        assertThat(result).isSameAs(group);
        assertThat(result.getIn().getBody(FlowBatch.class).records()).containsExactly(r1);
    }

    @Test
    void aBodyThatIsNotAFlowBatchIsRefusedByName() {
        Exchange group = strategy.aggregate(null, exchange(FlowBatch.of(EXPORTER_A, r1)));

        assertThatThrownBy(() -> strategy.aggregate(group, exchange("text")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("flowBatchAggregator aggregates FlowBatch bodies; got java.lang.String");
    }

    @Test
    void theBeanIsDescribedUnderItsName() {
        AggregateBeanProvider provider = new AggregateBeanProvider();

        assertThat(provider.beans(io.caravan.testkit.RecordingStageContext.of("pipeline", java.time.Clock.systemUTC()))).containsOnlyKeys("flowBatchAggregator");
        assertThat(provider.descriptions()).containsExactly(java.util.Map.entry("flowBatchAggregator",
                "Concatenates FlowBatch bodies; use with aggregate to batch by count or time."));
    }

    private Exchange exchange(Object body) {
        Exchange e = new DefaultExchange(camel);
        e.getIn().setBody(body);
        return e;
    }
}
