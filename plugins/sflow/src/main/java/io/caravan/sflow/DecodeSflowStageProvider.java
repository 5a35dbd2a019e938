package io.caravan.sflow;

import io.caravan.api.flow.Datagram;
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

/** {@code stage:decode-sflow}: sFlow v5 datagrams into flow records, with per-agent accounting and loss. */
@Extension
public class DecodeSflowStageProvider implements StageProvider<Datagram, FlowBatch> {
    private final OptionSpec onError = OptionSpec.choice("onError", "drop",
            "On a malformed datagram: count it by reason and drop it, or also fail the message with a StageException.",
            "drop", "fail");
    private final OptionSpec counters = OptionSpec.choice("counters", "keep",
            "Counter samples: keep them in status and metrics only, or also emit each as a record (sample_type=counters).",
            "keep", "emit");
    private final OptionSpec maxExporterLabels = OptionSpec.of("maxExporterLabels", OptionType.INT, "100",
            "Distinct exporter label values in metrics; later agents are counted under exporter=\"other\".");
    private final OptionSpec maxAgents = OptionSpec.of("maxAgents", OptionType.INT, "1000",
            "Agents whose sequences, counters and status are tracked; later agents are decoded but not tracked.");

    @Override
    public String name() {
        return "decode-sflow";
    }

    @Override
    public String description() {
        return "Decodes sFlow v5 datagrams: one record per flow sample, counter samples kept per agent, loss counted.";
    }

    @Override
    public Class<Datagram> inputType() {
        return Datagram.class;
    }

    @Override
    public Class<FlowBatch> outputType() {
        return FlowBatch.class;
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(onError, counters, maxExporterLabels, maxAgents);
    }

    @Override
    public Stage<Datagram, FlowBatch> create(StageOptions options, StageContext context) throws OptionException {
        int labels = options.getInt(maxExporterLabels.name());
        int agents = options.getInt(maxAgents.name());
        if (labels < 0) {
            throw new OptionException("stage '" + name() + "': option '" + maxExporterLabels.name()
                    + "' must be >= 0; got " + labels);
        }
        if (agents < 0) {
            throw new OptionException("stage '" + name() + "': option '" + maxAgents.name() + "' must be >= 0; got "
                    + agents);
        }
        return new DecodeSflowStage(context, "fail".equals(options.getString(onError.name())),
                "emit".equals(options.getString(counters.name())), labels, agents);
    }
}
