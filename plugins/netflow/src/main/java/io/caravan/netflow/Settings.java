package io.caravan.netflow;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;

/**
 * The bound options of one {@code decode-netflow} stage (see {@link DecodeNetflowStageProvider} for each one's doc).
 *
 * @param fail                    onError = fail
 * @param keyByPort               templateKeyIncludesPort
 * @param maxTemplatesPerExporter templates per exporter
 * @param maxTemplates            templates in total
 * @param templateTimeoutMs       0 = never expire
 * @param pendingDatagrams        held datagrams per exporter
 * @param pendingTimeoutMs        how long held data waits
 * @param templateFile            persistence file, null = off
 * @param saveIntervalMs          periodic save interval, 0 = only at close
 * @param maxExporterLabels       distinct exporter label values
 * @param maxExporters            exporters with state of their own; later ones share the overflow state
 * @param rates                   configured sampling rates
 */
record Settings(boolean fail, boolean keyByPort, int maxTemplatesPerExporter, int maxTemplates, long templateTimeoutMs,
                int pendingDatagrams, long pendingTimeoutMs, Path templateFile, long saveIntervalMs,
                int maxExporterLabels, int maxExporters, Rates rates) {

    /** Configured rates: per address, else {@code any}; 0 = unknown. */
    record Rates(Map<InetAddress, Long> byAddress, long any) {
        long rate(InetAddress address) {
            Long r = address == null ? null : byAddress.get(address);
            return r != null ? r : any;
        }
    }
}
