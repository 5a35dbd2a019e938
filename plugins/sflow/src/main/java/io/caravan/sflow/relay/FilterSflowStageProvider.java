package io.caravan.sflow.relay;

import io.caravan.api.flow.DatagramBatch;
import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.OptionType;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import io.caravan.api.stage.StageOptions;
import io.caravan.api.stage.StageProvider;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.pf4j.Extension;

/** {@code stage:filter-sflow}: forward only some samples of sFlow datagrams, with valid sequence numbers. */
@Extension
public class FilterSflowStageProvider implements StageProvider<DatagramBatch, DatagramBatch> {
    private final OptionSpec keep = OptionSpec.choice("keep", SampleFilter.Keep.class, SampleFilter.Keep.ALL,
            "Sample kinds forwarded: all, flow (flow samples only) or counter (counter samples only).");
    private final OptionSpec sourceIds = OptionSpec.of("sourceIds", OptionType.LIST, "",
            "Data source indexes (the ifIndex part of source_id) whose flow and counter samples are forwarded; empty:"
                    + " every source.");
    private final OptionSpec maxAgents = OptionSpec.integer("maxAgents", 100_000,
            "Agents (and sub-agents) whose datagram sequence numbers are adjusted at once; the least recently"
                    + " used is forgotten first.").min(1).max(10_000_000);

    @Override
    public String name() {
        return "filter-sflow";
    }

    @Override
    public String description() {
        return "Forwards sFlow datagrams with only the chosen sample kinds and data sources, datagram sequence"
                + " numbers adjusted so the collectors behind see no false loss.";
    }

    @Override
    public Class<DatagramBatch> inputType() {
        return DatagramBatch.class;
    }

    @Override
    public Class<DatagramBatch> outputType() {
        return DatagramBatch.class;
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(keep, sourceIds, maxAgents);
    }

    @Override
    public Stage<DatagramBatch, DatagramBatch> create(StageOptions options, StageContext context) throws OptionException {
        Set<Long> ids = new LinkedHashSet<>();
        for (String s : options.getList(sourceIds.name())) {
            try {
                long id = Long.parseLong(s.trim());
                if (id < 0 || id > 0xFFFFFF) {
                    throw new NumberFormatException();
                }
                ids.add(id);
            } catch (NumberFormatException e) {
                throw new OptionException("stage 'filter-sflow': option 'sourceIds' must list data source indexes 0 to"
                        + " 16777215; got '" + s + "'");
            }
        }
        return new FilterSflowStage(new SampleFilter(options.getEnum(keep.name(), SampleFilter.Keep.class), ids,
                options.getInt(maxAgents.name())), context);
    }
}
