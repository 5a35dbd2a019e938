package io.caravan.netflow;

import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.netflow.map.CompiledTemplate;
import io.caravan.netflow.map.DataContext;
import io.caravan.netflow.map.OptionsValues;
import io.caravan.netflow.map.RecordDecoder;
import io.caravan.netflow.map.V5Records;
import io.caravan.netflow.session.ExporterKey;
import io.caravan.netflow.session.PendingSet;
import io.caravan.netflow.session.SamplingStore;
import io.caravan.netflow.session.TemplateStore;
import io.caravan.api.decode.DecodeException;
import io.caravan.api.decode.DecodeException.Reason;
import io.caravan.netflow.wire.IpfixHeader;
import io.caravan.netflow.wire.SetHeader;
import io.caravan.netflow.wire.TemplateOp;
import io.caravan.netflow.wire.TemplateSets;
import io.caravan.netflow.wire.V5Header;
import io.caravan.netflow.wire.V9Header;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Decodes one NetFlow v5, v9 or IPFIX datagram (version sniffed from the first two bytes) into flow records,
 * feeding the template and sampling stores it was given. No I/O, no logging, no metrics: the caller counts
 * from the {@link Decoded} result and from {@link DecodeException}s. Thread-safe as far as its stores are.
 *
 * <p>v9 and IPFIX are walked in four passes over the sets, so a set's position in the datagram does not
 * matter: (1) every set header is checked (length ≥ 4 and within the message; IPFIX reserved ids rejected)
 * before anything is stored, so a malformed datagram changes nothing; (2) template and options template sets
 * are parsed, then applied in order; (3) options data is read (sampling rates, system init time); (4) data
 * sets are decoded with the sampling known after (3). A data set whose template is unknown is copied to
 * {@link Decoded#missing()}. A malformed data set (FIELD_TOO_LONG) fails the datagram after its templates and
 * options were applied. A template redefined later in the same datagram as data using it decodes that data
 * with the new definition.
 */
public final class NetflowDecoder {
    private final TemplateStore templates;
    private final SamplingStore sampling;
    private final ToLongFunction<InetAddress> configuredRate;
    /** Each thread's record decoder: its scratch state and address cache live from datagram to datagram. */
    private final ThreadLocal<RecordDecoder> recordDecoders = ThreadLocal.withInitial(RecordDecoder::new);

    /** In place of a time for template lookups: ask the template store's own clock. */
    private static final long STORE_CLOCK = Long.MIN_VALUE;

    /**
     * @param configuredRate rate to assume for an exporter that announces none (0 = unknown)
     */
    public NetflowDecoder(TemplateStore templates, SamplingStore sampling, ToLongFunction<InetAddress> configuredRate) {
        this.templates = templates;
        this.sampling = sampling;
        this.configuredRate = configuredRate;
    }

    public TemplateStore templates() {
        return templates;
    }

    public SamplingStore sampling() {
        return sampling;
    }

    /** Decodes a datagram; {@code b} covers exactly the datagram (position ignored, offsets from 0 to limit). */
    public Decoded decode(ByteBuffer b, ExporterKey exporter, long receivedMs) throws DecodeException {
        return decode(b, exporter, receivedMs, new ArrayList<>());
    }

    /**
     * Decodes a datagram, appending its records to {@code out} (a batch's list). When it throws, {@code out} is as
     * it was: no record of a datagram that fails is passed on.
     */
    public Decoded decode(ByteBuffer b, ExporterKey exporter, long receivedMs, List<FlowRecord> out)
            throws DecodeException {
        return decode(b, exporter, receivedMs, out, STORE_CLOCK);
    }

    /**
     * {@link #decode(ByteBuffer, ExporterKey, long, List)} with templates looked up at {@code nowMs}, read by the
     * caller from the template store's clock for its whole batch: a clock read per data set cost 3.5 % of the
     * decoder's CPU time (DecodeBenchmark, IPFIX).
     */
    public Decoded decode(ByteBuffer b, ExporterKey exporter, long receivedMs, List<FlowRecord> out, long nowMs)
            throws DecodeException {
        if (b.limit() < 2) {
            throw new DecodeException(Reason.TRUNCATED, b.limit(), "datagram of " + b.limit()
                    + " bytes has no version", b);
        }
        int version = b.getShort(0) & 0xFFFF;
        Decoded d = new Decoded(out);
        d.version = version;
        try {
            switch (version) {
                case V5Header.VERSION -> v5(b, exporter, receivedMs, d);
                case V9Header.VERSION -> v9(b, exporter, receivedMs, d, nowMs);
                case IpfixHeader.VERSION -> ipfix(b, exporter, receivedMs, d, nowMs);
                default -> throw new DecodeException(Reason.BAD_VERSION, 0, "version " + version
                        + " is not 5, 9 or 10", b);
            }
        } catch (DecodeException | RuntimeException e) {
            d.discardRecords();
            throw e;
        }
        return d;
    }

    private void v5(ByteBuffer b, ExporterKey exporter, long receivedMs, Decoded d) throws DecodeException {
        V5Header h = V5Header.parse(b);
        d.type = FlowType.NETFLOW_V5;
        d.sequence = h.flowSequence();
        d.domain = (h.engineType() << 8) | h.engineId();
        d.sysUptime = h.sysUptime();
        d.sequenceUnits = h.count();
        V5Records.decode(b, h, receivedMs, exporter.addressBytes(), configuredRate.applyAsLong(exporter.address()),
                d.records);
    }

    private void v9(ByteBuffer b, ExporterKey exporter, long receivedMs, Decoded d, long nowMs)
            throws DecodeException {
        V9Header h = V9Header.parse(b);
        d.type = FlowType.NETFLOW_V9;
        d.sequence = h.sequence();
        d.domain = h.sourceId();
        d.sysUptime = h.sysUptime();
        d.sequenceUnits = 1;
        sets(b, V9Header.SIZE, b.limit(), exporter, receivedMs, d, h.exportMs(), h.sysUptime(), nowMs);
    }

    private void ipfix(ByteBuffer b, ExporterKey exporter, long receivedMs, Decoded d, long nowMs)
            throws DecodeException {
        IpfixHeader h = IpfixHeader.parse(b);
        d.type = FlowType.IPFIX;
        d.sequence = h.sequence();
        d.domain = h.observationDomain();
        sets(b, IpfixHeader.SIZE, h.length(), exporter, receivedMs, d, h.exportTime() * 1000, 0, nowMs);
        d.sequenceUnits = d.missing.isEmpty() ? d.recordCount() + d.optionsRecords : -1;
    }

    private void sets(ByteBuffer b, int from, int end, ExporterKey exporter, long receivedMs, Decoded d, long exportMs,
                      long sysUptime, long nowMs) throws DecodeException {
        boolean v9 = d.version == V9Header.VERSION;
        // 1. Headers: lengths and ids, before anything is stored.
        List<SetHeader> sets = new ArrayList<>();
        int pos = from;
        while (end - pos >= SetHeader.SIZE) {
            SetHeader h = SetHeader.parse(b, pos, end);
            if (!v9 && h.setId() < 256 && h.setId() != 2 && h.setId() != 3) {
                throw new DecodeException(Reason.UNKNOWN_SET, pos, "set id " + h.setId() + " is reserved in IPFIX", b);
            }
            sets.add(h);
            pos = h.end();
        }
        // 2. Templates: all parsed before any is applied.
        List<TemplateOp> ops = new ArrayList<>();
        for (SetHeader h : sets) {
            int id = h.setId();
            if (v9 && id == 0) {
                TemplateSets.v9Templates(b, h, ops);
            } else if (v9 && id == 1) {
                TemplateSets.v9OptionsTemplates(b, h, ops);
            } else if (!v9 && (id == 2 || id == 3)) {
                TemplateSets.ipfix(b, h, id == 3, ops);
            }
        }
        apply(ops, exporter, d);
        // 3. Options data.
        RecordDecoder decoder = recordDecoders.get();
        InetAddress address = exporter.address();
        CompiledTemplate[] found = new CompiledTemplate[sets.size()];
        DataContext optionsContext = null;
        for (int i = 0; i < sets.size(); i++) {
            SetHeader h = sets.get(i);
            if (h.setId() < 256) {
                continue;
            }
            CompiledTemplate t = nowMs == STORE_CLOCK ? templates.get(exporter, d.version, d.domain, h.setId())
                    : templates.get(exporter, d.version, d.domain, h.setId(), nowMs);
            found[i] = t;
            if (t != null && t.isOptions()) {
                if (optionsContext == null) {
                    optionsContext = context(d, exporter, exportMs, sysUptime, receivedMs, address);
                }
                options(b, h.bodyOffset(), h.end(), t, optionsContext, decoder, address, d);
            }
        }
        // 4. Flow data.
        DataContext context = null;
        for (int i = 0; i < sets.size(); i++) {
            SetHeader h = sets.get(i);
            if (h.setId() < 256) {
                continue;
            }
            CompiledTemplate t = found[i];
            if (t == null) {
                byte[] body = new byte[h.length() - SetHeader.SIZE];
                b.get(h.bodyOffset(), body);
                d.missing.add(new PendingSet(d.version, d.domain, h.setId(), body, exportMs, sysUptime, d.sequence,
                        receivedMs));
            } else if (!t.isOptions()) {
                if (context == null) {
                    context = context(d, exporter, exportMs, sysUptime, receivedMs, address);
                }
                decoder.decodeData(b, h.bodyOffset(), h.end(), t, context, d.records);
            }
        }
    }

    /**
     * Decodes a set buffered earlier whose template is now known, appending its records to {@code out} (none
     * when it throws).
     *
     * @return false when the template is still unknown
     */
    public boolean decodePending(PendingSet p, ExporterKey exporter, Decoded d, List<FlowRecord> out)
            throws DecodeException {
        CompiledTemplate t = templates.get(exporter, p.version(), p.domain(), p.templateId());
        if (t == null) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(p.body());
        Decoded pd = new Decoded(out);
        pd.version = p.version();
        pd.type = p.version() == V9Header.VERSION ? FlowType.NETFLOW_V9 : FlowType.IPFIX;
        pd.domain = p.domain();
        pd.sequence = p.sequence();
        DataContext c = context(pd, exporter, p.exportMs(), p.sysUptime(), p.receivedMs(), exporter.address());
        RecordDecoder decoder = recordDecoders.get();
        try {
            if (t.isOptions()) {
                options(b, 0, b.limit(), t, c, decoder, exporter.address(), pd);
                d.optionsRecords += pd.optionsRecords;
            } else {
                decoder.decodeData(b, 0, b.limit(), t, c, out);
            }
        } catch (DecodeException | RuntimeException e) {
            pd.discardRecords();
            throw e;
        }
        return true;
    }

    private void options(ByteBuffer b, int from, int end, CompiledTemplate t, DataContext c, RecordDecoder decoder,
                         InetAddress address, Decoded d) throws DecodeException {
        List<OptionsValues> values = new ArrayList<>();
        d.optionsRecords += decoder.decodeOptions(b, from, end, t, c, values);
        for (OptionsValues v : values) {
            if (v.rate() > 0) {
                sampling.putRate(address, d.version, d.domain,
                        v.samplerId() < 0 ? SamplingStore.SYSTEM : v.samplerId(), v.rate());
            }
            if (v.sysInitMs() > 0) {
                sampling.putSysInit(address, d.version, d.domain, v.sysInitMs());
            }
        }
    }

    private DataContext context(Decoded d, ExporterKey exporter, long exportMs, long sysUptime, long receivedMs,
                                InetAddress address) {
        long rate = sampling.systemRate(address, d.version, d.domain);
        if (rate == 0) {
            rate = configuredRate.applyAsLong(address);
        }
        return new DataContext(d.type, exportMs, sysUptime, d.sequence, d.domain, receivedMs,
                exporter.addressBytes(), d.version == IpfixHeader.VERSION ? sampling.sysInit(address, d.version, d.domain)
                : 0, sampling.rates(address, d.version, d.domain), rate);
    }

    private void apply(List<TemplateOp> ops, ExporterKey exporter, Decoded d) {
        for (TemplateOp op : ops) {
            if (op instanceof TemplateOp.Define def) {
                switch (templates.put(exporter, d.domain, def.template())) {
                    case ADDED -> d.templatesAdded++;
                    case UPDATED -> d.templatesUpdated++;
                    case UNCHANGED -> d.templatesUnchanged++;
                    case REJECTED -> d.templatesRejected++;
                    case TOO_LARGE -> d.templatesTooLarge++;
                }
            } else if (op instanceof TemplateOp.Withdraw w) {
                if (templates.withdraw(exporter, d.version, d.domain, w.templateId(), w.kind())) {
                    d.templatesWithdrawn++;
                }
            } else if (op instanceof TemplateOp.WithdrawAll all) {
                d.templatesWithdrawn += templates.withdrawAll(exporter, d.version, d.domain, all.kind());
            }
        }
    }
}
