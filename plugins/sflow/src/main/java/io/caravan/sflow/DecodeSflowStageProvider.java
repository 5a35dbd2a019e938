package io.caravan.sflow;

import io.caravan.api.flow.DatagramBatch;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import io.caravan.api.stage.StageOptions;
import io.caravan.api.stage.StageProvider;
import java.util.List;
import org.pf4j.Extension;

/**
 * {@code stage:decode-sflow}: sFlow v5 datagrams into flow records, with per-agent accounting and loss.
 *
 * <p>Default state budgets, inside the default 512 MB heap beside everything else the server
 * holds: {@code maxStateBytes} 64 MiB (an eighth of the heap) holds about 200 000 data sources
 * (estimated at 320 bytes each, 624 with counters; see StateCost): a thousand switches with a
 * hundred sampled ports each. {@code maxAgentStateBytes} 4 MiB is 6 700 to 13 000 data sources: a
 * chassis with flow and counter samples on 2 000 ports uses under half of it, while one hostile
 * agent can take at most a sixteenth of the global budget. {@code stateIdleAfter} 2 minutes is four times the
 * usual 30 s counter interval, so an agent that reports only counters is never idle.
 */
@Extension
public class DecodeSflowStageProvider implements StageProvider<DatagramBatch, FlowBatch> {
    private final OptionSpec onError = OptionSpec.choice("onError", DecodeSflowStage.OnError.class,
            DecodeSflowStage.OnError.DROP,
            "On a malformed datagram: count it by reason and leave it out, or also fail the whole batch with a "
                    + "StageException.");
    private final OptionSpec counters = OptionSpec.choice("counters", DecodeSflowStage.Counters.class,
            DecodeSflowStage.Counters.KEEP,
            "Counter samples: keep them in status and metrics only, or also emit each as a record (sample_type=counters).");
    private final OptionSpec maxExporterLabels = OptionSpec.integer("maxExporterLabels", 100,
            "Distinct exporter label values in metrics; later agents are counted under exporter=\"other\".")
            .min(0).max(100_000);
    private final OptionSpec maxAgents = OptionSpec.integer("maxAgents", 1000,
            "Agents whose sequences, counters and status are tracked; when full, idle agents make room, else new "
                    + "agents are decoded but not tracked.").min(0).max(1_000_000);
    private final OptionSpec maxStateBytes = OptionSpec.size("maxStateBytes", "64MiB",
            "Estimated bytes of per-agent state (agents, sub-agents, data sources, sequence trackers, latest counters); "
                    + "when full, idle agents are evicted least recently used first, else new state is refused.")
            .min("64KiB").max("16GiB");
    private final OptionSpec maxAgentStateBytes = OptionSpec.size("maxAgentStateBytes", "4MiB",
            "Estimated bytes of state of one agent; when full, its idle sub-agents and data sources are evicted "
                    + "least recently used first, else its new ones are refused.").min("4KiB").max("16GiB");
    private final OptionSpec stateIdleAfter = OptionSpec.duration("stateIdleAfter", "2m",
            "State unused this long is idle: the only state evicted to make room when a budget is full.")
            .min("1s").max("1h");
    private final OptionSpec frames = OptionSpec.bool("frames", false,
            "Keep each raw packet header's bytes on its record (attributes frame, frame_length, frame_protocol) for "
                    + "sinks that mirror packets (erspan:); off, records hold no copy.");

    @Override
    public String name() {
        return "decode-sflow";
    }

    @Override
    public String description() {
        return "Decodes sFlow v5 datagrams: one record per flow sample, counter samples kept per agent, loss counted.";
    }

    @Override
    public Class<DatagramBatch> inputType() {
        return DatagramBatch.class;
    }

    @Override
    public Class<FlowBatch> outputType() {
        return FlowBatch.class;
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(onError, counters, maxExporterLabels, maxAgents, maxStateBytes, maxAgentStateBytes,
                stateIdleAfter, frames);
    }

    @Override
    public Stage<DatagramBatch, FlowBatch> create(StageOptions options, StageContext context) throws OptionException {
        long total = options.getSize(maxStateBytes.name());
        long perAgent = options.getSize(maxAgentStateBytes.name());
        if (perAgent > total) {
            throw new OptionException("stage '" + name() + "': option '" + maxAgentStateBytes.name() + "' ("
                    + perAgent + " bytes) must not exceed '" + maxStateBytes.name() + "' (" + total + " bytes)");
        }
        return new DecodeSflowStage(context, new DecodeSflowStage.Settings(
                options.getEnum(onError.name(), DecodeSflowStage.OnError.class),
                options.getEnum(counters.name(), DecodeSflowStage.Counters.class),
                options.getInt(maxExporterLabels.name()), options.getInt(maxAgents.name()), total, perAgent,
                options.getDuration(stateIdleAfter.name()).toMillis(), options.getBoolean(frames.name())));
    }
}
