package io.caravan.netflow.encode;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import io.caravan.api.stage.StageOptions;
import io.caravan.api.stage.StageProvider;
import java.time.Duration;
import java.util.List;
import org.pf4j.Extension;

/**
 * {@code stage:encode-netflow}: re-exports flow records from any source as NetFlow v5, v9 or IPFIX datagrams
 * (a {@code List<byte[]>}; split it and send each to {@code netty:udp://...?udpByteArrayCodec=true}).
 */
@Extension
public class EncodeNetflowStageProvider implements StageProvider<FlowBatch, List<byte[]>> {
    private final OptionSpec version = OptionSpec.choice("version", "9",
            "Export format: 5 (NetFlow v5, IPv4 only), 9 (NetFlow v9) or 10 (IPFIX).", "5", "9", "10");
    private final OptionSpec mtu = OptionSpec.integer("mtu", 1400,
            "Largest datagram payload written, in bytes (v5 also stops at 30 records).").min(512).max(65_507);
    private final OptionSpec templateInterval = OptionSpec.duration("templateInterval", "60s",
            "v9/IPFIX: re-send templates when this long passed since they were last sent; 0 = not by time.")
            .max("1d");
    private final OptionSpec templatePackets = OptionSpec.integer("templatePackets", 100,
            "v9/IPFIX: re-send templates every this many datagrams of a stream; 0 = not by count.")
            .min(0).max(1_000_000);
    private final OptionSpec observationDomain = OptionSpec.longInteger("observationDomain", -1,
            "v9 source id / IPFIX observation domain of every datagram; -1 keeps each record's own (one stream each).")
            .min(-1).max(0xFFFF_FFFFL);
    private final OptionSpec engineType = OptionSpec.integer("engineType", 0, "v5 header engine_type.").min(0).max(255);
    private final OptionSpec engineId = OptionSpec.integer("engineId", 0, "v5 header engine_id.").min(0).max(255);

    @Override
    public String name() {
        return "encode-netflow";
    }

    @Override
    public String description() {
        return "Encodes flow records from any source as NetFlow v5, v9 or IPFIX datagrams (a list of byte[] to send over UDP).";
    }

    @Override
    public Class<FlowBatch> inputType() {
        return FlowBatch.class;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Class<List<byte[]>> outputType() {
        return (Class) List.class;
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(version, mtu, templateInterval, templatePackets, observationDomain, engineType, engineId);
    }

    @Override
    public Stage<FlowBatch, List<byte[]>> create(StageOptions options, StageContext context) throws OptionException {
        ExportVersion v = ExportVersion.of(Integer.parseInt(options.getString(version.name())));
        int m = options.getInt(mtu.name());
        if (v != ExportVersion.V5 && m < TemplateEncoder.minimumMtu(v)) {
            throw new OptionException("stage '" + name() + "': option 'mtu' must be at least "
                    + TemplateEncoder.minimumMtu(v) + " for version " + v.number()
                    + " (header, templates and one record); got " + m);
        }
        Duration interval = options.getDuration(templateInterval.name());
        EncodeSettings s = new EncodeSettings(v, m, interval == null ? 0 : interval.toMillis(),
                options.getInt(templatePackets.name()), options.getLong(observationDomain.name()),
                options.getInt(engineType.name()), options.getInt(engineId.name()));
        return new EncodeNetflowStage(s, context);
    }
}
