package io.caravan.pipeline.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.Origin;
import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.Stage;
import io.caravan.testkit.RecordingStageContext;
import io.caravan.testkit.SettableClock;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FilterStageTest {
    private final FilterStageProvider provider = new FilterStageProvider();
    private final RecordingStageContext context = RecordingStageContext.of("filter", new SettableClock(0));

    private final FlowRecord internal = new FlowRecord().srcPort(1).attribute("tag", "internal");
    private final FlowRecord egress = new FlowRecord().srcPort(2).attribute("tag", "egress");
    private final FlowRecord other = new FlowRecord().srcPort(3).attribute("tag", "other");
    private final FlowRecord untagged = new FlowRecord().srcPort(4);

    @Test
    void dropRemovesListedValuesAndPassesRecordsWithoutTheAttribute() throws Exception {
        FlowBatch batch = batch();

        FlowBatch result = stage(Map.of("drop", "other,egress")).apply(batch);

        assertThat(result).isSameAs(batch);
        assertThat(result.records()).containsExactly(internal, untagged);
    }

    @Test
    void keepPassesOnlyListedValuesAndDropsRecordsWithoutTheAttribute() throws Exception {
        FlowBatch result = stage(Map.of("keep", "internal, egress")).apply(batch());

        assertThat(result.records()).containsExactly(internal, egress);
    }

    @Test
    void matchesTheConfiguredAttributeByItsText() throws Exception {
        FlowRecord as64500 = new FlowRecord().attribute("peer", 64500L).attribute("tag", "other");
        FlowRecord as64501 = new FlowRecord().attribute("peer", 64501L);

        FlowBatch result = stage(Map.of("keep", "64500", "attribute", "peer"))
                .apply(FlowBatch.of(Origin.UNKNOWN, as64500, as64501, other));

        assertThat(result.records()).containsExactly(as64500);
    }

    @Test
    void everyRecordDroppedLeavesAnEmptyBatch() throws Exception {
        FlowBatch result = stage(Map.of("keep", "nothing-has-this")).apply(batch());

        assertThat(result.isEmpty()).isTrue();
    }

    @Test
    void bothDropAndKeepIsAnError() {
        assertThatThrownBy(() -> stage(Map.of("drop", "other", "keep", "internal")))
                .isInstanceOf(OptionException.class)
                .hasMessage("stage 'filter': give exactly one of 'drop' or 'keep'");
    }

    @Test
    void neitherDropNorKeepIsAnError() {
        assertThatThrownBy(() -> stage(Map.of("attribute", "tag")))
                .isInstanceOf(OptionException.class)
                .hasMessage("stage 'filter': give exactly one of 'drop' or 'keep'");
    }

    @Test
    void anEmptyListCountsAsNotGiven() {
        assertThatThrownBy(() -> stage(Map.of("keep", "")))
                .isInstanceOf(OptionException.class)
                .hasMessage("stage 'filter': give exactly one of 'drop' or 'keep'");
    }

    private FlowBatch batch() {
        return FlowBatch.of(Origin.UNKNOWN, internal, egress, other, untagged);
    }

    private Stage<FlowBatch, FlowBatch> stage(Map<String, ?> options) throws OptionException {
        return context.create(provider, options);
    }
}
