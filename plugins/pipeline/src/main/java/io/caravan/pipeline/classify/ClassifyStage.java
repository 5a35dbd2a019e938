package io.caravan.pipeline.classify;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.net.Cidr;
import io.caravan.api.stage.Stage;
import java.util.List;

/**
 * Sets one attribute per record from where its addresses lie:
 * <ul>
 *   <li>{@code internal}: source and destination both inside,</li>
 *   <li>{@code egress}: only the source inside,</li>
 *   <li>{@code ingress}: only the destination inside,</li>
 *   <li>{@code other}: neither inside, or either address missing.</li>
 * </ul>
 * The prefixes are copied into an array once; a lookup allocates nothing (a prefix of the other
 * family is rejected on the address length alone). Stateless after construction, hence thread-safe.
 */
final class ClassifyStage implements Stage<FlowBatch, FlowBatch> {
    static final String INTERNAL = "internal";
    static final String EGRESS = "egress";
    static final String INGRESS = "ingress";
    static final String OTHER = "other";

    private final Cidr[] inside;
    private final String attribute;

    ClassifyStage(List<Cidr> inside, String attribute) {
        this.inside = inside.toArray(new Cidr[0]);
        this.attribute = attribute;
    }

    @Override
    public FlowBatch apply(FlowBatch batch) {
        List<FlowRecord> records = batch.records();
        for (int i = 0, n = records.size(); i < n; i++) {
            FlowRecord r = records.get(i);
            r.attribute(attribute, classify(r.srcAddr(), r.dstAddr()));
        }
        return batch;
    }

    private String classify(byte[] src, byte[] dst) {
        if (src == null || dst == null) {
            return OTHER;
        }
        boolean srcInside = inside(src);
        boolean dstInside = inside(dst);
        if (srcInside) {
            return dstInside ? INTERNAL : EGRESS;
        }
        return dstInside ? INGRESS : OTHER;
    }

    private boolean inside(byte[] address) {
        for (Cidr prefix : inside) {
            if (prefix.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
