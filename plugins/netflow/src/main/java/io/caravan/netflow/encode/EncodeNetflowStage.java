package io.caravan.netflow.encode;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.log.LogLimit;
import io.caravan.api.metrics.Counter;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * {@code stage:encode-netflow}: flow records from any source to NetFlow v5, v9 or IPFIX datagrams, returned
 * as a {@code List<byte[]>} in send order (a route splits it and sends each one over UDP). The stage is the
 * exporter: its start is the exporter's boot (sysUptime 0), and it keeps one sequence and template schedule
 * per stream (v9 source id / IPFIX observation domain; one stream for v5).
 *
 * <p>Records the format cannot carry are skipped and counted by reason, never silently: IPv6 in v5
 * ({@code ipv6}), and records without a source and destination address of one family ({@code no_address}).
 * A batch with nothing to send returns null (the runtime counts it as dropped).
 */
final class EncodeNetflowStage implements Stage<FlowBatch, List<byte[]>> {
    static final String RECORDS = "caravan.export.records";
    static final String DATAGRAMS = "caravan.export.datagrams";
    static final String BYTES = "caravan.export.bytes";
    static final String TEMPLATES = "caravan.export.templates";

    private final EncodeSettings settings;
    private final StageContext context;
    private final long bootMs;
    private final V5Encoder v5;
    private final TemplateEncoder templated;
    private final Map<Long, ExportStream> streams = new ConcurrentHashMap<>();
    private final Counter exported;
    private final Counter skippedIpv6;
    private final Counter skippedNoAddress;
    private final Counter datagrams;
    private final Counter bytes;
    private final Counter templates;
    private final Logger log;
    private final LogLimit skipLog = new LogLimit(LogLimit.DEFAULT_INTERVAL_MS);

    EncodeNetflowStage(EncodeSettings settings, StageContext context) {
        this.settings = settings;
        this.context = context;
        this.bootMs = context.clock().millis();
        this.v5 = settings.version() == ExportVersion.V5 ? new V5Encoder(settings, bootMs) : null;
        this.templated = settings.version() == ExportVersion.V5 ? null : new TemplateEncoder(settings, bootMs);
        String version = settings.version().label();
        this.exported = context.counter(RECORDS, "version", version, "outcome", "exported");
        this.skippedIpv6 = context.counter(RECORDS, "version", version, "outcome", "ipv6");
        this.skippedNoAddress = context.counter(RECORDS, "version", version, "outcome", "no_address");
        this.datagrams = context.counter(DATAGRAMS, "version", version);
        this.bytes = context.counter(BYTES, "version", version);
        this.templates = context.counter(TEMPLATES, "version", version);
        this.log = context.logger("encode");
    }

    @Override
    public List<byte[]> apply(FlowBatch batch) {
        long now = context.clock().millis();
        Map<Long, List<ExportRecord>> byStream = new LinkedHashMap<>();
        long ipv6 = 0;
        long noAddress = 0;
        for (FlowRecord f : batch.records()) {
            ExportRecord r = new ExportRecord(f, now, bootMs);
            if (r.isIpv4() || r.isIpv6() && v5 == null) {
                byStream.computeIfAbsent(streamKey(f), k -> new ArrayList<>()).add(r);
            } else if (r.isIpv6()) {
                ipv6++;
            } else {
                noAddress++;
            }
        }
        if (ipv6 + noAddress > 0) {
            skippedIpv6.increment(ipv6);
            skippedNoAddress.increment(noAddress);
            if (skipLog.allow()) {
                log.info("{} records from {} cannot go out as {}: {} IPv6 (v5 is IPv4 only), {} without a source and "
                        + "destination address of one family; counted in {} (next note in {} s)", ipv6 + noAddress,
                        batch.origin(), settings.version().label(), ipv6, noAddress, RECORDS, skipLog.intervalSeconds());
            }
        }
        List<byte[]> out = new ArrayList<>();
        for (Map.Entry<Long, List<ExportRecord>> e : byStream.entrySet()) {
            // IPv4 first, then IPv6: one data set of each per datagram at most.
            List<ExportRecord> records = e.getValue();
            records.sort((a, b) -> Boolean.compare(b.isIpv4(), a.isIpv4()));
            ExportStream stream = streams.computeIfAbsent(e.getKey(), ExportStream::new);
            Encoded encoded;
            synchronized (stream) {
                encoded = v5 != null ? v5.encode(records, stream, now) : templated.encode(records, stream, now);
            }
            exported.increment(encoded.records());
            templates.increment(encoded.templateRecords());
            datagrams.increment(encoded.datagrams().size());
            bytes.increment(encoded.datagrams().stream().mapToLong(d -> d.length).sum());
            out.addAll(encoded.datagrams());
        }
        return out.isEmpty() ? null : out;
    }

    private long streamKey(FlowRecord f) {
        if (v5 != null) {
            return 0;
        }
        return settings.domain() >= 0 ? settings.domain() : f.observationDomainId() & 0xFFFF_FFFFL;
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("version", settings.version().number());
        s.put("bootMs", bootMs);
        Map<String, Object> perStream = new LinkedHashMap<>();
        streams.forEach((domain, st) -> {
            synchronized (st) {
                perStream.put(Long.toString(domain), Map.of("sequence", st.sequence,
                        "templatesAtMs", st.templatesSent ? st.templatesAtMs : 0));
            }
        });
        s.put("streams", perStream);
        return s;
    }
}
