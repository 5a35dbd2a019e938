package io.caravan.netflow;

import io.caravan.netflow.session.TemplateBudget;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;

/**
 * The bound options of one {@code decode-netflow} stage (see {@link DecodeNetflowStageProvider} for each one's doc).
 *
 * @param keyByPort           templateKeyIncludesPort
 * @param templateBudget      maxTemplateFields, maxTemplateBytesPerExporter, maxTemplateBytes
 * @param templateTimeoutMs   0 = never expire
 * @param pendingDatagrams    held datagrams per exporter
 * @param pendingTimeoutMs    how long held data waits
 * @param maxPendingBytes     held data of all exporters together
 * @param templateFile        persistence file, null = off
 * @param maxTemplateFileSize largest template file saved or loaded
 * @param saveIntervalMs      periodic save interval, 0 = only at close
 * @param maxExporterLabels   distinct exporter label values
 * @param maxExporters        exporters with state of their own; later ones share the overflow state
 * @param rates               configured sampling rates
 */
record Settings(boolean keyByPort, TemplateBudget templateBudget, long templateTimeoutMs, int pendingDatagrams,
                long pendingTimeoutMs, long maxPendingBytes, Path templateFile, long maxTemplateFileSize,
                long saveIntervalMs, int maxExporterLabels, int maxExporters, Rates rates) {

    /** Configured rates: per address, else {@code any}; 0 = unknown. */
    record Rates(Map<InetAddress, Long> byAddress, long any) {
        long rate(InetAddress address) {
            Long r = address == null ? null : byAddress.get(address);
            return r != null ? r : any;
        }
    }
}
