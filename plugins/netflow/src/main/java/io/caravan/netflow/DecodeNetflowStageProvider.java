package io.caravan.netflow;

import io.caravan.api.flow.DatagramBatch;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.OptionType;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import io.caravan.api.stage.StageOptions;
import io.caravan.api.stage.StageProvider;
import io.caravan.netflow.session.TemplateBudget;
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
 * the three versions (sniffed per datagram). Every bound is declared on its option, so the runtime refuses a
 * route with a value out of range before the stage exists.
 */
@Extension
public class DecodeNetflowStageProvider implements StageProvider<DatagramBatch, FlowBatch> {
    private final OptionSpec templateKeyIncludesPort = OptionSpec.bool("templateKeyIncludesPort", false,
            "Key templates and accounting by exporter address and source port instead of address only.");
    private final OptionSpec maxTemplateFields = OptionSpec.integer("maxTemplateFields", 512,
            "Fields one template may have; a template with more is refused and counted as TEMPLATE_TOO_LARGE.")
            .min(1).max(16_383);
    private final OptionSpec maxTemplateBytesPerExporter = OptionSpec.size("maxTemplateBytesPerExporter", "4MiB",
            "Heap one exporter's templates may take; past it its least recently announced ones make room.")
            .min("16KiB").max("1GiB");
    private final OptionSpec maxTemplateBytes = OptionSpec.size("maxTemplateBytes", "64MiB",
            "Heap all templates may take; past it idle exporters' least recently used templates are evicted, else new ones refused (TEMPLATE_LIMIT).")
            .min("16KiB").max("16GiB");
    private final OptionSpec templateTimeout = OptionSpec.duration("templateTimeout", "30m",
            "Forget a template (and a sampling rate) not re-announced for this long; 0 keeps them forever.")
            .max("30d");
    private final OptionSpec pendingDatagrams = OptionSpec.integer("pendingDatagrams", 64,
            "Datagrams per exporter held while their template is missing; 0 drops such data at once.")
            .min(0).max(65_536);
    private final OptionSpec pendingTimeout = OptionSpec.duration("pendingTimeout", "10s",
            "How long held data waits for its template before it is dropped as MISSING_TEMPLATE.").max("1h");
    private final OptionSpec maxPendingBytes = OptionSpec.size("maxPendingBytes", "16MiB",
            "Bytes of held data over all exporters; data that finds no room is dropped as MISSING_TEMPLATE.")
            .min(0).max("4GiB");
    private final OptionSpec templateFile = OptionSpec.string("templateFile", null,
            "File to keep templates and sampling rates in across restarts (loaded at start, saved at stop); unset = off.");
    private final OptionSpec maxTemplateFileSize = OptionSpec.size("maxTemplateFileSize", "16MiB",
            "Largest template file written or loaded; a larger file is set aside at start, a save keeps the most recent templates that fit.")
            .min("1KiB").max("4GiB");
    private final OptionSpec templateSaveInterval = OptionSpec.duration("templateSaveInterval", "60s",
            "How often changed templates are also saved to templateFile while running; 0 saves only at stop.")
            .max("1d");
    private final OptionSpec maxExporterLabels = OptionSpec.integer("maxExporterLabels", 100,
            "Exporters with their own metric label; later ones share the label 'other'.").min(0).max(100_000);
    private final OptionSpec maxExporters = OptionSpec.integer("maxExporters", 10_000,
            "Exporters with state of their own; later ones are decoded under one shared state without sequence or pending-template tracking.")
            .min(0).max(1_000_000);
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
    public Class<DatagramBatch> inputType() {
        return DatagramBatch.class;
    }

    @Override
    public Class<FlowBatch> outputType() {
        return FlowBatch.class;
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(templateKeyIncludesPort, maxTemplateFields, maxTemplateBytesPerExporter, maxTemplateBytes,
                templateTimeout, pendingDatagrams, pendingTimeout, maxPendingBytes, templateFile, maxTemplateFileSize,
                templateSaveInterval, maxExporterLabels, maxExporters, samplingRates);
    }

    @Override
    public Stage<DatagramBatch, FlowBatch> create(StageOptions options, StageContext context) throws OptionException {
        String file = options.getString(templateFile.name());
        Settings s = new Settings(
                options.getBoolean(templateKeyIncludesPort.name()),
                new TemplateBudget(options.getInt(maxTemplateFields.name()),
                        options.getSize(maxTemplateBytesPerExporter.name()), options.getSize(maxTemplateBytes.name())),
                millis(options, templateTimeout),
                options.getInt(pendingDatagrams.name()),
                millis(options, pendingTimeout),
                options.getSize(maxPendingBytes.name()),
                file == null || file.isBlank() ? null : Path.of(file.trim()),
                options.getSize(maxTemplateFileSize.name()),
                millis(options, templateSaveInterval),
                options.getInt(maxExporterLabels.name()),
                options.getInt(maxExporters.name()),
                rates(options.getList(samplingRates.name())));
        return new DecodeNetflowStage(s, context);
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
