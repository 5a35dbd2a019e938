package io.caravan.netflow;

import io.caravan.api.decode.DecodeException;
import io.caravan.api.decode.DecodeException.Reason;
import io.caravan.api.flow.Datagram;
import io.caravan.api.flow.DatagramBatch;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.Origin;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import io.caravan.netflow.session.ExporterKey;
import io.caravan.netflow.session.InMemoryTemplateStore;
import io.caravan.netflow.session.PendingSet;
import io.caravan.netflow.session.SamplingStore;
import io.caravan.netflow.session.TemplateFile;
import io.caravan.netflow.session.TemplateStore;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * The {@code decode-netflow} stage: a {@link DatagramBatch} in, one {@link FlowBatch} out. Each datagram is decoded
 * on its own by one {@link NetflowDecoder} under its exporter's state ({@link Exporters}); a datagram that cannot be
 * decoded is counted by reason and left out, and the rest of the batch goes on. Thread-safe: one exporter's
 * datagrams are decoded one at a time, different exporters in parallel. Around the decoder: {@link Housekeeping}
 * (lazily, at most once a second), {@link SavedTemplates} and {@link StatusView}.
 *
 * <p>The batch's origin is the merge ({@link Origin#merge}) of its decoded datagrams' origins. A batch that carries
 * no records (templates only, data waiting for its template, or nothing decodable) is empty, which ends routing of
 * that message.
 */
final class DecodeNetflowStage implements Stage<DatagramBatch, FlowBatch> {
    /** How long after the template budget last evicted or refused the stage still reports itself degraded. */
    static final long PRESSURE_MS = 60_000;

    private final StageContext context;
    private final Settings settings;
    private final Clock clock;
    private final TemplateStore templates;
    private final NetflowDecoder decoder;
    private final Exporters exporters;
    private final Housekeeping housekeeping;
    private final SavedTemplates saved;
    private final StatusView status;

    DecodeNetflowStage(Settings settings, StageContext context) {
        this.context = context;
        this.settings = settings;
        this.clock = context.clock();
        Logger log = context.logger("decode-netflow");
        TemplateMeters templateMeters = new TemplateMeters(context);
        this.templates = new InMemoryTemplateStore(clock, settings.templateTimeoutMs(), settings.templateBudget(),
                templateMeters);
        templateMeters.gauges(templates);
        SamplingStore sampling = new SamplingStore(clock, SamplingStore.MAX_ENTRIES, SamplingStore.MAX_PER_ADDRESS);
        this.decoder = new NetflowDecoder(templates, sampling, settings.rates()::rate);
        this.exporters = new Exporters(settings, context, templates, log);
        this.saved = settings.templateFile() == null ? null : new SavedTemplates(
                new TemplateFile(settings.templateFile(), settings.maxTemplateFileSize(), clock, log), templates,
                sampling, settings.saveIntervalMs(), context.stageName(), log);
        if (saved != null) {
            saved.load(clock.millis());
        }
        this.housekeeping = new Housekeeping(exporters, templates, sampling, settings.templateTimeoutMs(), saved);
        this.status = new StatusView(exporters, templates, sampling, saved);
    }

    /** The decoder behind this stage (templates and sampling stores included). */
    NetflowDecoder decoder() {
        return decoder;
    }

    @Override
    public FlowBatch apply(DatagramBatch batch) {
        long now = clock.millis();
        housekeeping.runIfDue(now);
        List<Datagram> datagrams = batch.datagrams();
        List<FlowRecord> out = new ArrayList<>();
        Origin origin = null;
        for (int i = 0; i < datagrams.size(); i++) {
            Datagram datagram = datagrams.get(i);
            Origin o = decode(datagram, out, now);
            if (o != null) {
                origin = origin == null ? o : Origin.merge(origin, o);
            }
        }
        if (origin == null) {
            origin = datagrams.isEmpty() ? Origin.UNKNOWN
                    : new Origin(datagrams.get(0).sender(), 0, datagrams.get(0).receivedMs());
        }
        return new FlowBatch(origin, out);
    }

    /** Decodes one datagram into {@code out}; its origin, or null when it could not be decoded (counted). */
    private Origin decode(Datagram datagram, List<FlowRecord> out, long now) {
        ExporterKey key = ExporterKey.of(datagram.sender(), settings.keyByPort());
        byte[] payload = datagram.payload() == null ? new byte[0] : datagram.payload();
        Protocol protocol = Protocol.of(payload);
        while (true) {
            ExporterState ex = exporters.of(key);
            if (exporters.isOverflow(ex)) {
                exporters.cap().overflow(protocol, now);
            }
            synchronized (ex) {
                if (!ex.forgotten) {
                    return decode(datagram, key, ex, payload, protocol, out, now);
                }
            }
        }
    }

    /** Decodes one datagram under its exporter's state; the caller holds {@code ex}'s monitor. */
    private Origin decode(Datagram datagram, ExporterKey key, ExporterState ex, byte[] payload, Protocol protocol,
                          List<FlowRecord> out, long now) {
        ex.received(protocol, payload.length, now);
        ex.pending.expire(now, v -> ex.error(Protocol.of(v), Reason.MISSING_TEMPLATE, 1));
        Decoded d;
        try {
            d = decoder.decode(ByteBuffer.wrap(payload), key, datagram.receivedMs(), out, now);
        } catch (DecodeException e) {
            ex.error(protocol, e.reason(), 1);
            return null;
        } catch (RuntimeException e) {
            ex.error(protocol, Reason.INTERNAL, 1);
            return null;
        }
        ex.error(protocol, Reason.TEMPLATE_LIMIT, d.templatesRejected());
        ex.error(protocol, Reason.TEMPLATE_TOO_LARGE, d.templatesTooLarge());
        ex.templatesWithdrawn += d.templatesWithdrawn();
        boolean learnt = d.templatesAdded() + d.templatesUpdated() > 0;
        if (saved != null && (learnt || d.templatesWithdrawn() > 0 || d.optionsRecords() > 0)) {
            saved.changed();
        }
        int records = d.recordCount();
        if (learnt && ex.pending.size() > 0) {
            records += drainPending(ex, protocol, d, out);
        }
        if (!d.missing().isEmpty()) {
            ex.pending.add(d.missing(), now, v -> ex.error(Protocol.of(v), Reason.MISSING_TEMPLATE, 1));
        }
        ex.sequence(protocol, d.version(), d.domain(), d.sequence(), d.sequenceUnits(), d.sysUptime(), now);
        ex.decoded(protocol, records);
        long domain = protocol == Protocol.NETFLOW_V5 ? 0 : d.domain();
        return new Origin(datagram.sender(), domain, datagram.receivedMs());
    }

    /** Decodes held sets whose template has just arrived into {@code out}; returns how many records they gave. */
    private int drainPending(ExporterState ex, Protocol protocol, Decoded d, List<FlowRecord> out) {
        List<PendingSet> ready = ex.pending.take(p ->
                templates.get(ex.key, p.version(), p.domain(), p.templateId()) != null);
        int before = out.size();
        for (PendingSet p : ready) {
            try {
                decoder.decodePending(p, ex.key, d, out);
            } catch (DecodeException e) {
                ex.error(protocol, e.reason(), 1);
            } catch (RuntimeException e) {
                ex.error(protocol, Reason.INTERNAL, 1);
            }
        }
        return out.size() - before;
    }

    @Override
    public void close() {
        housekeeping.saveNow();
    }

    @Override
    public Map<String, Object> status() {
        return status.render();
    }

    /**
     * Degraded while the template budget is at its bound (within a sixteenth of it, or it evicted or refused a
     * template in the last {@value #PRESSURE_MS} ms), and while exporters beyond {@code maxExporters} were seen in
     * that time.
     */
    @Override
    public Optional<String> degraded() {
        long now = clock.millis();
        List<String> why = new ArrayList<>();
        long max = templates.budget().bytesTotal();
        long pressure = templates.lastPressureMs();
        if (templates.bytes() > max - max / 16 || (pressure != Long.MIN_VALUE && now - pressure < PRESSURE_MS)) {
            why.add("templates at their memory budget: " + templates.bytes() + " of " + max + " bytes (maxTemplateBytes) held, "
                    + templates.evictions() + " evicted, " + templates.refusals() + " refused; data of refused "
                    + "templates is dropped as MISSING_TEMPLATE");
        }
        long overflow = exporters.cap().lastOverflowMs();
        if (overflow != Long.MIN_VALUE && now - overflow < PRESSURE_MS) {
            why.add("more exporters than maxExporters (" + exporters.cap().max() + "): the rest are decoded "
                    + "without sequence or pending-template tracking");
        }
        return why.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", why));
    }
}
