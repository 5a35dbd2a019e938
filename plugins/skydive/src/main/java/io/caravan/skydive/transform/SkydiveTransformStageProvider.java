package io.caravan.skydive.transform;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.metrics.Counter;
import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import io.caravan.api.stage.StageOptions;
import io.caravan.api.stage.StageProvider;
import io.caravan.skydive.topology.TopologyOptions;
import io.caravan.skydive.topology.TopologyResolver;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;

/**
 * {@code stage:skydive-transform?format=secadvisor|awsflowlogs|vpclogs}: the exporter's transform
 * stage. Each Skydive flow's output record goes into the {@code skydive.record} attribute; flows
 * the format drops leave the batch.
 */
@Extension
public class SkydiveTransformStageProvider implements StageProvider<FlowBatch, FlowBatch> {
    private final OptionSpec format = OptionSpec.choice("format", "secadvisor",
            "The output record: Security Advisor v1.1.0, AWS VPC flow logs, or IBM VPC flow logs.",
            "secadvisor", "awsflowlogs", "vpclogs");
    private final OptionSpec excludeStarted = OptionSpec.bool("exclude-started", true,
            "secadvisor: drop a flow's first sighting (Status STARTED); its UpdateCount still advances.");
    private final OptionSpec extend = OptionSpec.string("extend", "",
            "secadvisor: extra Extend fields, NAME=<gremlin template> entries separated by ';' "
                    + "(e.g. AA_Name=G.V().Has('RoutingTables.Src','{{.Network.A}}').Values('Host')).");
    private final OptionSpec maxTrackedFlows = OptionSpec.integer("max-tracked-flows", 200_000,
            "secadvisor: flow UUIDs whose UpdateCount is kept; beyond it the least recently seen is forgotten "
                    + "(counted).").min(100).max(10_000_000);
    private final OptionSpec cacheEntries = OptionSpec.integer("cache-entries", 20_000,
            "Entries in each topology cache (node types, peers, interface addresses, Extend answers).")
            .min(10).max(1_000_000);
    private final OptionSpec awsVersion = OptionSpec.integer("aws-version", 2,
            "awsflowlogs: record version, 2 or 3 (3 adds vpc-id ... pkt-dstaddr).").min(2).max(3);
    private final OptionSpec accountId = OptionSpec.string("account-id", "12345678",
            "awsflowlogs: the account-id column.");

    @Override
    public String name() {
        return "skydive-transform";
    }

    @Override
    public String description() {
        return "Turns each Skydive flow into a secadvisor, awsflowlogs or vpclogs record (attribute skydive.record).";
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
        List<OptionSpec> all = new ArrayList<>(List.of(format, excludeStarted, extend, maxTrackedFlows, cacheEntries,
                awsVersion, accountId));
        all.addAll(TopologyOptions.SPECS);
        return all;
    }

    @Override
    public Stage<FlowBatch, FlowBatch> create(StageOptions options, StageContext context) throws OptionException {
        String f = options.getString(format.name());
        ExtendTemplates templates;
        try {
            templates = ExtendTemplates.parse(options.getString(extend.name()));
        } catch (IllegalArgumentException e) {
            throw new OptionException("stage '" + name() + "': option '" + extend.name() + "': " + e.getMessage());
        }
        TopologyResolver topology = TopologyOptions.configured(options)
                ? new TopologyResolver(TopologyOptions.client(options), context.clock(),
                        options.getInt(cacheEntries.name()),
                        context.counter("caravan.skydive.topology.errors", "purpose", "transform"),
                        context.logger("transform"))
                : null;
        Counter dropped = context.counter("caravan.skydive.transform.dropped", "reason", "started");
        FlowTransform transform = switch (f) {
            case "awsflowlogs" -> new AwsFlowLogsTransform(options.getInt(awsVersion.name()),
                    options.getString(accountId.name()));
            case "vpclogs" -> new VpcLogsTransform(topology,
                    context.counter("caravan.skydive.transform.dropped", "reason", "no-transport"));
            default -> new SecadvisorTransform(new UpdateCounts(context.clock(), options.getInt(maxTrackedFlows.name())),
                    options.getBoolean(excludeStarted.name()), topology, templates, dropped);
        };
        return new TransformStage(f, transform,
                context.counter("caravan.skydive.transform.bad"),
                context.counter("caravan.skydive.transform.evicted"),
                context.logger("transform"));
    }
}
