package io.caravan.netflow;

import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.OptionType;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import io.caravan.api.stage.StageOptions;
import io.caravan.api.stage.StageProvider;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * {@code stage:decode-netflow}: NetFlow v5, v9 and IPFIX datagrams to flow records. One stage takes any mix of
 * the three versions (sniffed per datagram).
 */
@Extension
public class DecodeNetflowStageProvider implements StageProvider<Datagram, FlowBatch> {
    private final OptionSpec onError = OptionSpec.choice("onError", "drop",
            "On a malformed datagram: drop it (counted by reason), or fail the message with a StageException.",
            "drop", "fail");
    private final OptionSpec templateKeyIncludesPort = OptionSpec.of("templateKeyIncludesPort", OptionType.BOOLEAN,
            "false", "Key templates and accounting by exporter address and source port instead of address only.");
    private final OptionSpec maxTemplatesPerExporter = OptionSpec.of("maxTemplatesPerExporter", OptionType.INT,
            "1024", "Templates kept per exporter; at the cap its least recently announced one makes room.");
    private final OptionSpec maxTemplates = OptionSpec.of("maxTemplates", OptionType.INT, "65536",
            "Templates kept over all exporters; at the cap new templates are refused and counted.");
    private final OptionSpec templateTimeout = OptionSpec.of("templateTimeout", OptionType.DURATION, "30m",
            "Forget a template not re-announced for this long; 0 keeps templates forever.");
    private final OptionSpec pendingDatagrams = OptionSpec.of("pendingDatagrams", OptionType.INT, "64",
            "Datagrams per exporter held while their template is missing; 0 drops such data at once.");
    private final OptionSpec pendingTimeout = OptionSpec.of("pendingTimeout", OptionType.DURATION, "10s",
            "How long held data waits for its template before it is dropped as MISSING_TEMPLATE.");
    private final OptionSpec templateFile = OptionSpec.of("templateFile", OptionType.STRING, null,
            "File to keep templates and sampling rates in across restarts (loaded at start, saved at stop); unset = off.");
    private final OptionSpec templateSaveInterval = OptionSpec.of("templateSaveInterval", OptionType.DURATION, "60s",
            "How often changed templates are also saved to templateFile while running; 0 saves only at stop.");
    private final OptionSpec maxExporterLabels = OptionSpec.of("maxExporterLabels", OptionType.INT, "100",
            "Exporters with their own metric label; later ones share the label 'other'.");
    private final OptionSpec maxExporters = OptionSpec.of("maxExporters", OptionType.INT, "10000",
            "Exporters with state of their own; later ones are decoded under one shared state without sequence or pending-template tracking.");
    private final OptionSpec samplingRates = OptionSpec.of("samplingRates", OptionType.LIST, null,
            "Rates for exporters that announce none: address=rate entries, *=rate for any other exporter.");

    @Override
    public String name() {
        return "decode-netflow";
    }

    @Override
    public String description() {
        return "Decodes NetFlow v5, v9 and IPFIX datagrams into flow records, with templates, sampling rates and per-exporter accounting.";
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
        return List.of(onError, templateKeyIncludesPort, maxTemplatesPerExporter, maxTemplates, templateTimeout,
                pendingDatagrams, pendingTimeout, templateFile, templateSaveInterval, maxExporterLabels, maxExporters,
                samplingRates);
    }

    @Override
    public Stage<Datagram, FlowBatch> create(StageOptions options, StageContext context) throws OptionException {
        String file = options.getString(templateFile.name());
        Settings s = new Settings(
                "fail".equals(options.getString(onError.name())),
                options.getBoolean(templateKeyIncludesPort.name()),
                nonNegative(options, maxTemplatesPerExporter),
                nonNegative(options, maxTemplates),
                millis(options, templateTimeout),
                nonNegative(options, pendingDatagrams),
                millis(options, pendingTimeout),
                file == null || file.isBlank() ? null : Path.of(file.trim()),
                millis(options, templateSaveInterval),
                nonNegative(options, maxExporterLabels),
                nonNegative(options, maxExporters),
                rates(options.getList(samplingRates.name())));
        return new DecodeNetflowStage(s, context);
    }

    private int nonNegative(StageOptions options, OptionSpec spec) throws OptionException {
        int v = options.getInt(spec.name());
        if (v < 0) {
            throw new OptionException("stage '" + name() + "': option '" + spec.name() + "' must be >= 0; got " + v);
        }
        return v;
    }

    private static long millis(StageOptions options, OptionSpec spec) {
        Duration d = options.getDuration(spec.name());
        return d == null ? 0 : d.toMillis();
    }

    /** Parses address=rate entries; addresses must be literal IPv4/IPv6 (no name is ever looked up). */
    private Settings.Rates rates(List<String> entries) throws OptionException {
        Map<InetAddress, Long> byAddress = new HashMap<>();
        long any = 0;
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            String where = eq < 0 ? "" : entry.substring(0, eq).trim();
            String rate = eq < 0 ? "" : entry.substring(eq + 1).trim();
            long r;
            try {
                r = Long.parseLong(rate);
            } catch (NumberFormatException e) {
                r = -1;
            }
            if (eq < 0 || r < 1 || where.isEmpty()) {
                throw new OptionException("stage '" + name() + "': option 'samplingRates' expects address=rate "
                        + "entries (rate >= 1, address '*' for any); got '" + entry + "'");
            }
            if (where.equals("*")) {
                any = r;
            } else {
                byAddress.put(literal(where), r);
            }
        }
        return new Settings.Rates(Map.copyOf(byAddress), any);
    }

    private InetAddress literal(String text) throws OptionException {
        if (!text.matches("[0-9A-Fa-f:.]+") || !(text.indexOf(':') >= 0 || text.matches("\\d+\\.\\d+\\.\\d+\\.\\d+"))) {
            throw new OptionException("stage '" + name() + "': option 'samplingRates': '" + text
                    + "' is not a numeric IPv4 or IPv6 address");
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new OptionException("stage '" + name() + "': option 'samplingRates': '" + text
                    + "' is not a numeric IPv4 or IPv6 address");
        }
    }
}
