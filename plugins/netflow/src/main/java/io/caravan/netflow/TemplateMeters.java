package io.caravan.netflow;

import io.caravan.api.metrics.Counter;
import io.caravan.api.metrics.DecoderMetrics;
import io.caravan.api.metrics.Meters;
import io.caravan.netflow.session.TemplateStore;
import io.caravan.netflow.wire.IpfixHeader;
import io.caravan.netflow.wire.V9Header;

/**
 * The template store's series: {@code caravan.decoder.state_bytes{protocol}} (gauge, estimated heap bytes of the
 * templates of NetFlow v9 and of IPFIX) and {@code caravan.decoder.state_evictions{protocol,kind=template}}
 * (templates evicted to stay within the budget). Thread-safe.
 */
final class TemplateMeters implements TemplateStore.EvictionListener {
    static final String KIND_TEMPLATE = "template";

    private final Meters meters;
    private final Counter v9Evictions;
    private final Counter ipfixEvictions;

    TemplateMeters(Meters meters) {
        this.meters = meters;
        this.v9Evictions = evictions(Protocol.NETFLOW_V9);
        this.ipfixEvictions = evictions(Protocol.IPFIX);
    }

    private Counter evictions(Protocol p) {
        return meters.counter(DecoderMetrics.STATE_EVICTIONS, DecoderMetrics.TAG_PROTOCOL, p.tag,
                DecoderMetrics.TAG_KIND, KIND_TEMPLATE);
    }

    /** Registers the state-bytes gauges of {@code store}. */
    void gauges(TemplateStore store) {
        meters.gauge(DecoderMetrics.STATE_BYTES, () -> store.bytes(V9Header.VERSION), DecoderMetrics.TAG_PROTOCOL,
                Protocol.NETFLOW_V9.tag);
        meters.gauge(DecoderMetrics.STATE_BYTES, () -> store.bytes(IpfixHeader.VERSION), DecoderMetrics.TAG_PROTOCOL,
                Protocol.IPFIX.tag);
    }

    @Override
    public void evicted(int version) {
        (version == IpfixHeader.VERSION ? ipfixEvictions : v9Evictions).increment();
    }
}
