package io.caravan.skydive.mangle;

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
 * {@code stage:skydive-mangle?type=logstatus|action}: the exporter's mangle stage, run after
 * {@code skydive-transform}. {@code logstatus} marks records OK and adds NODATA/SKIPDATA records
 * (secadvisor, awsflowlogs); {@code action} decides Accept/Reject of vpclogs records seen at two
 * capture points.
 */
@Extension
public class SkydiveMangleStageProvider implements StageProvider<FlowBatch, FlowBatch> {
    private final OptionSpec type = OptionSpec.choice("type", "logstatus",
            "logstatus: OK/NODATA/SKIPDATA per tag; action: vpclogs Accept/Reject from two capture points.",
            "logstatus", "action");
    private final OptionSpec linkMemory = OptionSpec.duration("link-memory", "1h",
            "logstatus: how long an interface (Link.ID) not seen any more still gets NODATA records.")
            .min("1s").max("7d");
    private final OptionSpec flowMemory = OptionSpec.duration("flow-memory", "10m",
            "logstatus: how long a flow's last Metric is kept to check the next update for lost data.")
            .min("1s").max("1d");
    private final OptionSpec maxFlows = OptionSpec.integer("max-flows", 200_000,
            "logstatus: flows remembered per tag; beyond it the least recently seen is forgotten (counted).")
            .min(100).max(10_000_000);
    private final OptionSpec tid1 = OptionSpec.string("tid1", "",
            "action: TID of the capture interface on one side of the firewall (required for action).");
    private final OptionSpec tid2 = OptionSpec.string("tid2", "",
            "action: TID of the capture interface on the other side (required for action).");
    private final OptionSpec rejectTimeout = OptionSpec.duration("reject-timeout", "5s",
            "action: a connection seen on one side only for longer than this is rejected (R).").min("1s").max("1h");
    private final OptionSpec idle = OptionSpec.duration("idle", "10m",
            "action: a connection not seen for this long is forgotten.").min("10s").max("1d");
    private final OptionSpec maxConnections = OptionSpec.integer("max-connections", 100_000,
            "action: connections tracked; beyond it the oldest is forgotten (counted).").min(10).max(10_000_000);

    @Override
    public String name() {
        return "skydive-mangle";
    }

    @Override
    public String description() {
        return "Post-processes transformed Skydive records: log status (OK, NODATA, SKIPDATA) or vpclogs Accept/Reject.";
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
        return List.of(type, linkMemory, flowMemory, maxFlows, tid1, tid2, rejectTimeout, idle, maxConnections);
    }

    @Override
    public Stage<FlowBatch, FlowBatch> create(StageOptions options, StageContext context) throws OptionException {
        if (options.getString(type.name()).equals("action")) {
            String t1 = options.getString(tid1.name()).trim();
            String t2 = options.getString(tid2.name()).trim();
            if (t1.isEmpty() || t2.isEmpty() || t1.equals(t2)) {
                throw new OptionException("stage '" + name() + "': type=action needs options '" + tid1.name()
                        + "' and '" + tid2.name() + "', two different capture interface TIDs");
            }
            return new ActionMangle(t1, t2, options.getDuration(rejectTimeout.name()).toMillis(),
                    options.getDuration(idle.name()).toMillis(), options.getInt(maxConnections.name()),
                    context.clock(),
                    context.counter("caravan.skydive.mangle.dropped", "reason", "other-capture-point"),
                    context.counter("caravan.skydive.mangle.dropped", "reason", "not-transformed"),
                    context.counter("caravan.skydive.mangle.evicted"),
                    context.logger("mangle"));
        }
        return new LogStatusMangle(context.clock(), options.getDuration(linkMemory.name()).toMillis(),
                options.getDuration(flowMemory.name()).toMillis(), options.getInt(maxFlows.name()),
                context.counter("caravan.skydive.mangle.synthetic"),
                context.counter("caravan.skydive.mangle.untransformed"),
                context.counter("caravan.skydive.mangle.evicted"));
    }
}
