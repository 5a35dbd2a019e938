package io.caravan.pipeline.filter;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.OptionType;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import io.caravan.api.stage.StageOptions;
import io.caravan.api.stage.StageProvider;
import java.util.List;
import org.pf4j.Extension;

/**
 * {@code stage:filter}: drops records by the value of one attribute, either those listed in
 * {@code drop} or all but those listed in {@code keep}.
 */
@Extension
public class FilterStageProvider implements StageProvider<FlowBatch, FlowBatch> {
    private final OptionSpec drop = OptionSpec.of("drop", OptionType.LIST, null,
            "Attribute values whose records are dropped.");
    private final OptionSpec keep = OptionSpec.of("keep", OptionType.LIST, null,
            "Only records with one of these attribute values pass.");
    private final OptionSpec attribute = OptionSpec.of("attribute", OptionType.STRING, "tag",
            "The record attribute to match; a record without it has the value \"\" (empty).");

    @Override
    public String name() {
        return "filter";
    }

    @Override
    public String description() {
        return "Drops records by the value of one attribute; give exactly one of drop or keep.";
    }

    @Override
    public Class<FlowBatch> inputType() {
        return FlowBatch.class;
    }

    @Override
    public Class<FlowBatch> outputType() {
        return FlowBatch.class;
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(drop, keep, attribute);
    }

    /** An option given as an empty list counts as not given. */
    @Override
    public Stage<FlowBatch, FlowBatch> create(StageOptions options, StageContext context) throws OptionException {
        List<String> dropValues = options.getList(drop.name());
        List<String> keepValues = options.getList(keep.name());
        if (dropValues.isEmpty() == keepValues.isEmpty()) {
            throw new OptionException("stage '" + name() + "': give exactly one of '" + drop.name() + "' or '"
                    + keep.name() + "'");
        }
        String on = options.getString(attribute.name());
        return keepValues.isEmpty()
                ? new FilterStage(on, dropValues, false)
                : new FilterStage(on, keepValues, true);
    }
}
